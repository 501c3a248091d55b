package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Update;
import java.io.Serializable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates parameters from their gradients, on the device: plain gradient descent or one of the
 * fused rules of {@link Update.Kind}, whose state (velocities, moment estimates) lives on the
 * device beside each parameter. The learning rate may decay with time: η_t = η / (1 + decay·(t-1)).
 * An optimizer holds device memory; the {@link Trainer} that uses it closes it.
 *
 * <p>Its hyper-parameters ({@link #settings()}) and its state ({@link #state}: the step count
 * and the rule's matrices per parameter) go to and from the host as plain values, so an equal
 * optimizer can be rebuilt elsewhere, replicas' states averaged, and training resumed.
 */
public final class Optimizer implements AutoCloseable {
    private final Update.Kind kind;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float decay;
    /** The fused rule's fixed part, made once: null for plain descent. */
    private final Update rule;
    private final Map<DeviceMatrix, DeviceMatrix[]> state = new IdentityHashMap<>();
    private int t;

    /**
     * Everything that defines an optimizer apart from its state.
     *
     * @param kind  the fused rule, or null for plain gradient descent
     * @param lr    learning rate η
     * @param beta1 μ (momentum, Nesterov), ρ (Adadelta, RMSProp) or β1 (the Adam family); 0 for plain descent
     * @param beta2 β2 (the Adam family), else 0
     * @param eps   ε (the adaptive rules), else 0
     * @param decay time-based decay of the learning rate, 0 for none
     */
    public record Settings(Update.Kind kind, float lr, float beta1, float beta2, float eps, float decay)
            implements Serializable {
    }

    /**
     * An optimizer's state on the host.
     *
     * @param step   steps taken, t; it drives the decay of the learning rate and the Adam family's bias corrections
     * @param values per parameter (in the order of the list it was taken for, {@link Network#parameters()}),
     *               the rule's state matrices ({@link Update.Kind#states()} of them, none for plain descent),
     *               each row-major with the parameter's shape
     */
    public record State(int step, float[][][] values) implements Serializable {
        public State {
            if (step < 0) {
                throw new IllegalArgumentException("optimizer step count must be non-negative, got " + step);
            }
            java.util.Objects.requireNonNull(values, "optimizer state values");
        }
    }

    private Optimizer(Update.Kind kind, float lr, float beta1, float beta2, float eps, float decay) {
        if (!(lr > 0) || decay < 0) {
            throw new IllegalArgumentException("learning rate must be positive and decay non-negative, got " + lr + ", " + decay);
        }
        this.kind = kind;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decay = decay;
        this.rule = kind == null ? null : new Update(kind, beta1, beta2, eps);
    }

    /** Gradient descent θ ← θ - η·g (full batch, stochastic or mini-batch, by the trainer's batch size). */
    public static Optimizer sgd(float lr) {
        return new Optimizer(null, lr, 0, 0, 0, 0);
    }

    /** Momentum, μ typically 0.9. */
    public static Optimizer momentum(float lr, float mu) {
        return new Optimizer(Update.Kind.MOMENTUM, lr, mu, 0, 0, 0);
    }

    /** Nesterov momentum. */
    public static Optimizer nesterov(float lr, float mu) {
        return new Optimizer(Update.Kind.NESTEROV, lr, mu, 0, 0, 0);
    }

    /** Any rule with its usual defaults: μ = 0.9, ρ = 0.9 (Adadelta 0.95), β1 = 0.9, β2 = 0.999, ε = 1e-7 (Adadelta 1e-6). */
    public static Optimizer of(Update.Kind kind, float lr) {
        float b1 = kind == Update.Kind.ADADELTA ? 0.95f : 0.9f;
        float eps = kind == Update.Kind.ADADELTA ? 1e-6f : 1e-7f;
        return new Optimizer(kind, lr, b1, 0.999f, eps, 0);
    }

    /** Any rule with explicit hyper-parameters (β1 is μ or ρ for the rules that have those). */
    public static Optimizer of(Update.Kind kind, float lr, float beta1, float beta2, float eps) {
        return new Optimizer(kind, lr, beta1, beta2, eps, 0);
    }

    /** A new optimizer with these settings and no state (step 0). */
    public static Optimizer of(Settings settings) {
        return new Optimizer(settings.kind(), settings.lr(), settings.beta1(), settings.beta2(), settings.eps(),
                settings.decay());
    }

    /** This optimizer's hyper-parameters; {@link #of(Settings)} builds an equal one from them. */
    public Settings settings() {
        return new Settings(kind, lr, beta1, beta2, eps, decay);
    }

    /** The same optimizer with time-based learning-rate decay η_t = η / (1 + decay·(t-1)). */
    public Optimizer withDecay(float decay) {
        return new Optimizer(kind, lr, beta1, beta2, eps, decay);
    }

    /** The learning rate of the coming step. */
    public float learningRate() {
        return lr / (1 + decay * t);
    }

    /** One update of every parameter from its current gradient. */
    public void step(Backend backend, List<Parameter> parameters) {
        float rate = learningRate();
        t++;
        // indexed loops: an iterator per step was garbage where the JIT did not remove it
        if (rule == null) {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                backend.axpy(-rate, p.grad(), p.value());
            }
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            DeviceMatrix[] s = state.get(p.value());
            if (s == null) {
                // not computeIfAbsent: its lambda captures the backend, an allocation every call
                s = allocate(backend, p.value());
                state.put(p.value(), s);
            }
            backend.update(rule, rate, t, p.value(), p.grad(), s[0], s[1], s[2]);
        }
    }

    /**
     * Downloads the step count and, for each of {@code parameters}, the rule's state matrices
     * (zero for a parameter not yet updated).
     */
    public State state(Backend backend, List<Parameter> parameters) {
        int slots = kind == null ? 0 : kind.states();
        float[][][] values = new float[parameters.size()][slots][];
        for (int i = 0; i < parameters.size(); i++) {
            DeviceMatrix v = parameters.get(i).value();
            DeviceMatrix[] s = state.get(v);
            for (int k = 0; k < slots; k++) {
                values[i][k] = s == null ? new float[v.size()] : backend.download(s[k]);
            }
        }
        return new State(t, values);
    }

    /**
     * Uploads {@code saved} as this optimizer's state for {@code parameters} (allocating the
     * matrices a parameter does not have yet) and sets the step count. The state must have been
     * taken for parameters of the same shapes in the same order, by an optimizer of the same rule.
     */
    public void restore(Backend backend, List<Parameter> parameters, State saved) {
        int slots = kind == null ? 0 : kind.states();
        if (saved.values().length != parameters.size()) {
            throw new IllegalArgumentException("optimizer state holds " + saved.values().length + " parameters, the network has "
                    + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[][] values = saved.values()[i];
            if (values.length != slots) {
                throw new IllegalArgumentException("optimizer state of " + p.name() + " holds " + values.length
                        + " matrices, " + this + " keeps " + slots);
            }
            for (float[] v : values) {
                if (v.length != p.value().size()) {
                    throw new IllegalArgumentException("optimizer state of " + p.name() + " has " + v.length
                            + " values, the parameter " + p.value().shape() + " has " + p.value().size());
                }
            }
        }
        for (int i = 0; i < parameters.size() && slots > 0; i++) {
            DeviceMatrix[] s = state.computeIfAbsent(parameters.get(i).value(), v -> allocate(backend, v));
            for (int k = 0; k < slots; k++) {
                backend.upload(saved.values()[i][k], s[k]);
            }
        }
        t = saved.step();
    }

    /** Steps taken so far. */
    public int steps() {
        return t;
    }

    /** The rule's state matrices, zero; unused slots repeat the first. */
    private DeviceMatrix[] allocate(Backend backend, DeviceMatrix like) {
        DeviceMatrix[] s = new DeviceMatrix[3];
        for (int i = 0; i < 3; i++) {
            s[i] = i < kind.states() ? backend.allocate(like.rows(), like.cols()) : s[0];
        }
        return s;
    }

    @Override
    public void close() {
        for (DeviceMatrix[] s : state.values()) {
            for (int i = 0; i < kind.states(); i++) {
                s[i].close();
            }
        }
        state.clear();
    }

    @Override
    public String toString() {
        String name = kind == null ? "sgd" : kind.name().toLowerCase(Locale.ROOT);
        return name + "(lr=" + lr + (decay > 0 ? ", decay=" + decay : "") + ")";
    }
}
