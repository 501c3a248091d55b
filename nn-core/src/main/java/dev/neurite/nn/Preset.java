package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Update;
import java.util.Locale;

/**
 * Ready-made models with the recipe they train with: network, loss, optimizer, learning rate,
 * mini-batch and epochs. {@code neurite train --model NAME} uses them; flags override the recipe.
 */
public enum Preset {
    /** 784-15-10, sigmoid, quadratic loss, SGD η = 3, batch 10, 30 epochs: the classic MNIST lab. */
    CLASSIC("784-15-10 sigmoid, quadratic loss, SGD", Loss.QUADRATIC, null, 3.0f, 10, 30),
    /** One layer with a step output trained by the perceptron rule (one unit a class). */
    PERCEPTRON("one layer, step output, perceptron criterion, SGD", Loss.PERCEPTRON, null, 1.0f, 1, 5),
    /** Logistic regression: one layer, sigmoid + binary cross-entropy (one unit a class). */
    LOGISTIC("one layer, sigmoid + binary cross-entropy, SGD", Loss.BINARY_CROSS_ENTROPY, null, 0.5f, 10, 10),
    /** Linear regression: one layer, identity + quadratic loss (least squares). */
    LINEAR("one layer, identity + quadratic loss, SGD", Loss.QUADRATIC, null, 0.01f, 10, 10),
    /** 784-512-512-10, ReLU, softmax cross-entropy, Adam η = 0.001, batch 128. */
    MLP_LARGE("input-512-512-out ReLU (He), softmax cross-entropy, Adam", Loss.SOFTMAX_CROSS_ENTROPY, Update.Kind.ADAM,
            0.001f, 128, 10),
    /**
     * LeNet-style: conv 5x5x20 → max-pool 2 → conv 5x5x50 → max-pool 2 → dense 500 ReLU → dense
     * out, softmax cross-entropy, Adam η = 0.001, batch 64 (the convolutions and the dense
     * layers are ReLU, He-initialized).
     */
    LENET("conv5x5x20-pool2-conv5x5x50-pool2-500 ReLU, softmax cross-entropy, Adam", Loss.SOFTMAX_CROSS_ENTROPY,
            Update.Kind.ADAM, 0.001f, 64, 5);

    private final String description;
    private final Loss loss;
    private final Update.Kind adaptive;
    private final float lr;
    private final int batch;
    private final int epochs;

    Preset(String description, Loss loss, Update.Kind adaptive, float lr, int batch, int epochs) {
        this.description = description;
        this.loss = loss;
        this.adaptive = adaptive;
        this.lr = lr;
        this.batch = batch;
        this.epochs = epochs;
    }

    /** The preset named {@code name} (e.g. "mlp-large"), or IllegalArgumentException listing them. */
    public static Preset named(String name) {
        for (Preset p : values()) {
            if (p.toString().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no model preset '" + name + "'; presets: "
                + String.join(", ", java.util.Arrays.stream(values()).map(Preset::toString).toList()));
    }

    /** The network for samples of {@code input} and {@code outputs} classes (or targets), seeded. */
    public Network network(Backend backend, Shape input, int outputs, long seed) {
        return network(backend, input, outputs, seed, 0f);
    }

    /** As {@link #network(Backend, Shape, int, long)}, with dropout at {@code rate} after each hidden layer. */
    public Network network(Backend backend, Shape input, int outputs, long seed, float dropout) {
        Network.Builder b = Network.builder(input);
        switch (this) {
            case CLASSIC -> hidden(b.dense(15, Init.NORMAL, Activation.SIGMOID), dropout)
                    .dense(outputs, Init.NORMAL, Activation.SIGMOID);
            case PERCEPTRON, LOGISTIC, LINEAR -> b.dense(outputs, Init.XAVIER);
            case MLP_LARGE -> hidden(hidden(b.dense(512, Init.HE, Activation.RELU), dropout)
                    .dense(512, Init.HE, Activation.RELU), dropout).dense(outputs, Init.XAVIER);
            case LENET -> {
                if (input.isFlat()) {
                    throw new IllegalArgumentException("lenet needs images (C, H, W), got samples " + input);
                }
                b.conv(20, 5, Init.HE).activation(Activation.RELU).maxPool(2)
                        .conv(50, 5, Init.HE).activation(Activation.RELU).maxPool(2).flatten();
                hidden(b.dense(500, Init.HE, Activation.RELU), dropout).dense(outputs, Init.XAVIER);
            }
        }
        return b.build(backend, seed);
    }

    private static Network.Builder hidden(Network.Builder b, float dropout) {
        return dropout > 0 ? b.dropout(dropout) : b;
    }

    public Loss loss() {
        return loss;
    }

    /** A new optimizer of the recipe's kind at learning rate {@code lr}. */
    public Optimizer optimizer(float lr) {
        return adaptive == null ? Optimizer.sgd(lr) : Optimizer.of(adaptive, lr);
    }

    public float learningRate() {
        return lr;
    }

    public int batch() {
        return batch;
    }

    public int epochs() {
        return epochs;
    }

    public String description() {
        return description;
    }

    /** The name as {@code --model} takes it: "classic", "mlp-large", "lenet", ... */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
