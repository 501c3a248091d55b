package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Update;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates parameters from their gradients, on the device: plain gradient descent or one of the
 * fused rules of {@link Update.Kind}, whose state (velocities, moment estimates) lives on the
 * device beside each parameter. The learning rate may decay with time: η_t = η / (1 + decay·(t-1)).
 * An optimizer holds device memory; the {@link Trainer} that uses it closes it.
 */
public final class Optimizer implements AutoCloseable {
    private final Update.Kind kind;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float decay;
    private final Map<DeviceMatrix, DeviceMatrix[]> state = new IdentityHashMap<>();
    private int t;

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
        if (kind == null) {
            for (Parameter p : parameters) {
                backend.axpy(-rate, p.grad(), p.value());
            }
            return;
        }
        Update rule = Update.of(kind, rate, beta1, beta2, eps, t);
        for (Parameter p : parameters) {
            DeviceMatrix[] s = state.computeIfAbsent(p.value(), v -> allocate(backend, v));
            backend.update(rule, p.value(), p.grad(), s[0], s[1], s[2]);
        }
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
