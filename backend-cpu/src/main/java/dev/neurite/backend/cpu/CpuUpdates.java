package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SQRT;

import dev.neurite.backend.Update;
import jdk.incubator.vector.FloatVector;

/**
 * Fused optimizer steps on the CPU, one vector of elements at a time, the formulas of
 * {@link Update.Kind} in float. One loop per rule, so that the rule is chosen once a call; each
 * loop reads θ, g and the rule's state once and writes θ and the state once.
 *
 * <p>State that decays geometrically (a moment whose gradient is zero, as for a dead ReLU unit)
 * reaches the subnormal range after some hundreds of steps, and x86 cores without flush-to-zero
 * (Java has none) take a microcode assist on every vector that touches a subnormal: Adam over
 * 784-512-512-10 ran 5x slower once its moments had decayed. So state below {@value #TINY} in
 * magnitude is stored as zero, and a squared gradient below it counts as zero: far below anything
 * that can move θ (ε alone is at least a million times larger) and never a subnormal.
 */
final class CpuUpdates {
    /** Magnitudes below this are flushed to zero; 0.9·TINY is still a normal float. */
    static final float TINY = 1e-30f;

    private CpuUpdates() {
    }

    /**
     * θ[from..to) and its states, one step of {@code u} with learning rate {@code lr} and bias
     * corrections c1, c2 (used by the Adam family only).
     */
    static void step(Update u, float lr, float c1, float c2, float[] theta, float[] g, float[] s1, float[] s2,
                     float[] s3, int from, int to) {
        switch (u.kind()) {
            case MOMENTUM, NESTEROV -> momentum(u, lr, theta, g, s1, from, to);
            case ADAGRAD, RMSPROP -> squares(u, lr, theta, g, s1, from, to);
            case ADADELTA -> adadelta(u, lr, theta, g, s1, s2, from, to);
            case ADAMAX -> adamax(u, lr / c1, theta, g, s1, s2, from, to);
            case ADAM, NADAM, AMSGRAD -> adam(u, lr / c1, (float) (1 / Math.sqrt(c2)), theta, g, s1, s2, s3, from, to);
        }
    }

    /** x, or zero where |x| &lt; TINY. */
    private static FloatVector flush(FloatVector x) {
        return x.blend(0f, x.abs().compare(LT, TINY));
    }

    private static float flush(float x) {
        return Math.abs(x) < TINY ? 0f : x;
    }

    /** g², or zero where it would fall below TINY. */
    private static FloatVector square(FloatVector g) {
        return g.mul(g).blend(0f, g.abs().compare(LT, 1e-15f));
    }

    private static float square(float g) {
        return Math.abs(g) < 1e-15f ? 0f : g * g;
    }

    /** Momentum v = μv - ηg, θ += v; Nesterov θ += -μv + (1 + μ)v'. */
    private static void momentum(Update u, float lr, float[] theta, float[] g, float[] s1, int from, int to) {
        float mu = u.beta1();
        boolean nesterov = u.kind() == Update.Kind.NESTEROV;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector v0 = FloatVector.fromArray(S, s1, i);
            FloatVector v = flush(v0.mul(mu).sub(FloatVector.fromArray(S, g, i).mul(lr)));
            v.intoArray(s1, i);
            FloatVector t = FloatVector.fromArray(S, theta, i);
            (nesterov ? t.add(v0.mul(-mu)).add(v.mul(1f + mu)) : t.add(v)).intoArray(theta, i);
        }
        for (; i < to; i++) {
            float v0 = s1[i];
            float v = flush(mu * v0 - lr * g[i]);
            s1[i] = v;
            theta[i] = nesterov ? theta[i] + -mu * v0 + (1f + mu) * v : theta[i] + v;
        }
    }

    /** Adagrad G += g², RMSProp E[g²] = ρE[g²] + (1-ρ)g²; both θ -= ηg / (√s + ε). */
    private static void squares(Update u, float lr, float[] theta, float[] g, float[] s1, int from, int to) {
        float eps = u.eps();
        boolean rms = u.kind() == Update.Kind.RMSPROP;
        float keep = rms ? u.beta1() : 1f;
        float add = rms ? 1f - u.beta1() : 1f;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector s = flush(FloatVector.fromArray(S, s1, i).mul(keep).add(square(gv).mul(add)));
            s.intoArray(s1, i);
            FloatVector step = gv.mul(lr).div(s.lanewise(SQRT).add(eps));
            FloatVector.fromArray(S, theta, i).sub(step).intoArray(theta, i);
        }
        for (; i < to; i++) {
            float s = flush(keep * s1[i] + add * square(g[i]));
            s1[i] = s;
            theta[i] -= lr * g[i] / ((float) Math.sqrt(s) + eps);
        }
    }

    /** E[g²] = ρE[g²] + (1-ρ)g²; Δ = -√(E[Δ²]+ε)/√(E[g²]+ε)·g; E[Δ²] = ρE[Δ²] + (1-ρ)Δ²; θ += ηΔ. */
    private static void adadelta(Update u, float lr, float[] theta, float[] g, float[] s1, float[] s2, int from,
                                 int to) {
        float rho = u.beta1();
        float eps = u.eps();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector eg = flush(FloatVector.fromArray(S, s1, i).mul(rho).add(square(gv).mul(1f - rho)));
            FloatVector ed = FloatVector.fromArray(S, s2, i);
            FloatVector d = ed.add(eps).lanewise(SQRT).div(eg.add(eps).lanewise(SQRT)).mul(gv).neg();
            eg.intoArray(s1, i);
            flush(ed.mul(rho).add(square(d).mul(1f - rho))).intoArray(s2, i);
            FloatVector.fromArray(S, theta, i).add(d.mul(lr)).intoArray(theta, i);
        }
        for (; i < to; i++) {
            float eg = flush(rho * s1[i] + (1f - rho) * square(g[i]));
            float d = -(float) Math.sqrt(s2[i] + eps) / (float) Math.sqrt(eg + eps) * g[i];
            s1[i] = eg;
            s2[i] = flush(rho * s2[i] + (1f - rho) * square(d));
            theta[i] += lr * d;
        }
    }

    /** m = β1m + (1-β1)g; u = max(β2u, |g|); θ -= η(m/c1) / (u + ε), with rate = η/c1. */
    private static void adamax(Update u, float rate, float[] theta, float[] g, float[] s1, float[] s2, int from,
                               int to) {
        float b1 = u.beta1();
        float b2 = u.beta2();
        float eps = u.eps();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector m = flush(FloatVector.fromArray(S, s1, i).mul(b1).add(gv.mul(1f - b1)));
            FloatVector uu = flush(FloatVector.fromArray(S, s2, i).mul(b2).max(gv.abs()));
            m.intoArray(s1, i);
            uu.intoArray(s2, i);
            FloatVector.fromArray(S, theta, i).sub(m.mul(rate).div(uu.add(eps))).intoArray(theta, i);
        }
        for (; i < to; i++) {
            float m = flush(b1 * s1[i] + (1f - b1) * g[i]);
            float uu = flush(Math.max(b2 * s2[i], Math.abs(g[i])));
            s1[i] = m;
            s2[i] = uu;
            theta[i] -= rate * m / (uu + eps);
        }
    }

    /**
     * Adam: m = β1m + (1-β1)g, v = β2v + (1-β2)g², θ -= η(m/c1) / (√(v/c2) + ε); NADAM steps with
     * β1·m + (1-β1)g in place of m, AMSGRAD with v̂max = max(v̂max, v) in place of v. The bias
     * corrections become factors: rate = η/c1 on the step and unbias = 1/√c2 on √v.
     */
    private static void adam(Update u, float rate, float unbias, float[] theta, float[] g, float[] s1, float[] s2,
                             float[] s3, int from, int to) {
        float b1 = u.beta1();
        float b2 = u.beta2();
        float eps = u.eps();
        boolean ams = u.kind() == Update.Kind.AMSGRAD;
        boolean nesterov = u.kind() == Update.Kind.NADAM;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector m = flush(FloatVector.fromArray(S, s1, i).mul(b1).add(gv.mul(1f - b1)));
            FloatVector v = flush(FloatVector.fromArray(S, s2, i).mul(b2).add(square(gv).mul(1f - b2)));
            m.intoArray(s1, i);
            v.intoArray(s2, i);
            if (ams) {
                v = FloatVector.fromArray(S, s3, i).max(v);
                v.intoArray(s3, i);
            }
            FloatVector num = nesterov ? m.mul(b1).add(gv.mul(1f - b1)) : m;
            FloatVector step = num.mul(rate).div(v.lanewise(SQRT).mul(unbias).add(eps));
            FloatVector.fromArray(S, theta, i).sub(step).intoArray(theta, i);
        }
        for (; i < to; i++) {
            float gi = g[i];
            float m = flush(b1 * s1[i] + (1f - b1) * gi);
            float v = flush(b2 * s2[i] + (1f - b2) * square(gi));
            s1[i] = m;
            s2[i] = v;
            if (ams) {
                v = Math.max(s3[i], v);
                s3[i] = v;
            }
            float num = nesterov ? b1 * m + (1f - b1) * gi : m;
            theta[i] -= rate * num / ((float) Math.sqrt(v) * unbias + eps);
        }
    }
}
