package dev.neurite.backend;

import java.util.Objects;

/**
 * A fused optimizer rule, applied element-wise by {@link Backend#update} to a parameter θ with
 * gradient g and up to three state matrices s1, s2, s3 (zero at the start, kept by the caller
 * between steps). This is the rule's fixed part, made once per optimizer; what changes from step
 * to step (the learning rate η under decay and the step count t behind the bias corrections
 * c1 = 1 - β1^t and c2 = 1 - β2^t) goes to each call as plain numbers, so a step allocates
 * nothing.
 *
 * @param kind  the rule
 * @param beta1 μ (momentum, Nesterov), ρ (Adadelta, RMSProp) or β1 (the Adam family)
 * @param beta2 β2 (the Adam family)
 * @param eps   ε
 */
public record Update(Kind kind, float beta1, float beta2, float eps) {

    public Update {
        Objects.requireNonNull(kind, "update rule kind");
    }

    /** The rules; s1, s2, s3 name the state each keeps. */
    public enum Kind {
        /** s1 = v: v = μv - ηg; θ += v. */
        MOMENTUM,
        /** s1 = v: v' = μv - ηg; θ += -μv + (1 + μ)v'. */
        NESTEROV,
        /** s1 = G: G += g²; θ -= ηg / (√G + ε). */
        ADAGRAD,
        /** s1 = E[g²], s2 = E[Δ²]: E[g²] = ρE[g²] + (1-ρ)g²; Δ = -√(E[Δ²]+ε)/√(E[g²]+ε)·g; E[Δ²] = ρE[Δ²] + (1-ρ)Δ²; θ += ηΔ. */
        ADADELTA,
        /** s1 = E[g²]: E[g²] = ρE[g²] + (1-ρ)g²; θ -= ηg / (√E[g²] + ε). */
        RMSPROP,
        /** s1 = m, s2 = v: m = β1m + (1-β1)g; v = β2v + (1-β2)g²; θ -= η(m/c1) / (√(v/c2) + ε). */
        ADAM,
        /** s1 = m, s2 = u: m = β1m + (1-β1)g; u = max(β2u, |g|); θ -= η(m/c1) / (u + ε). */
        ADAMAX,
        /** s1 = m, s2 = v: as Adam, with the Nesterov look-ahead θ -= η(β1·m/c1 + (1-β1)g/c1) / (√(v/c2) + ε). */
        NADAM,
        /** s1 = m, s2 = v, s3 = v̂max: as Adam, with v̂max = max(v̂max, v); θ -= η(m/c1) / (√(v̂max/c2) + ε). */
        AMSGRAD;

        /** How many state matrices the rule uses (s1..s3). */
        public int states() {
            return switch (this) {
                case MOMENTUM, NESTEROV, ADAGRAD, RMSPROP -> 1;
                case ADADELTA, ADAM, ADAMAX, NADAM -> 2;
                case AMSGRAD -> 3;
            };
        }
    }

    /** The first moment's bias correction c1 = 1 - β1^t at step t ≥ 1. */
    public float c1(int t) {
        return (float) (1 - Math.pow(beta1, t));
    }

    /** The second moment's bias correction c2 = 1 - β2^t at step t ≥ 1. */
    public float c2(int t) {
        return (float) (1 - Math.pow(beta2, t));
    }
}
