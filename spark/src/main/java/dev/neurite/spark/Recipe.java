package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What every replica needs to build and train the same network on its executor: the network
 * (a serializable factory, called there with the executor's backend), the loss, the optimizer
 * (its settings travel; each round's replica gets a fresh one with the driver's state), the
 * mini-batch per task and the L1/L2 penalties. The network factory is a lambda: it must capture only
 * serializable values (numbers, strings, enums such as {@code Preset}), e.g.
 * {@code (backend, seed) -> Preset.MLP_LARGE.network(backend, Shape.flat(784), 10, seed)}.
 */
public final class Recipe implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<Loss> LOSSES = List.of(Loss.QUADRATIC, Loss.SOFTMAX_CROSS_ENTROPY,
            Loss.BINARY_CROSS_ENTROPY, Loss.PERCEPTRON);

    /** Builds the network on {@code backend}, initial weights drawn from {@code seed}. */
    @FunctionalInterface
    public interface NetworkFactory extends Serializable {
        Network build(Backend backend, long seed);
    }

    private final NetworkFactory network;
    private final String lossName;
    private final Loss customLoss;
    private final Optimizer.Settings optimizer;
    private final int batch;
    private final float l1;
    private final float l2;

    /**
     * @param loss one of the {@link Loss} constants, or a loss of your own that implements {@link Serializable}
     * @param optimizer its settings (rule, learning rate, decay...) are taken; it is not used itself
     * @param batch mini-batch of each task (the global batch is partitions x batch)
     */
    public Recipe(NetworkFactory network, Loss loss, Optimizer optimizer, int batch) {
        this(network, lossName(loss), LOSSES.contains(loss) ? null : serializable(loss), optimizer.settings(), batch, 0f, 0f);
    }

    private Recipe(NetworkFactory network, String lossName, Loss customLoss, Optimizer.Settings optimizer, int batch,
                   float l1, float l2) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
        }
        if (l1 < 0 || l2 < 0) {
            throw new IllegalArgumentException("L1 and L2 must be non-negative, got " + l1 + ", " + l2);
        }
        this.network = Objects.requireNonNull(network, "network factory");
        this.lossName = lossName;
        this.customLoss = customLoss;
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.batch = batch;
        this.l1 = l1;
        this.l2 = l2;
    }

    /** The same recipe with penalties L1·Σ|w| and ½·L2·Σw² on the weights. */
    public Recipe regularize(float l1, float l2) {
        return new Recipe(network, lossName, customLoss, optimizer, batch, l1, l2);
    }

    private static String lossName(Loss loss) {
        Objects.requireNonNull(loss, "loss");
        return LOSSES.contains(loss) ? loss.toString() : null;
    }

    private static Loss serializable(Loss loss) {
        if (!(loss instanceof Serializable)) {
            throw new IllegalArgumentException("loss " + loss + " (" + loss.getClass().getName() + ") travels to the "
                    + "executors, so it must implement java.io.Serializable (the Loss constants need not)");
        }
        return loss;
    }

    public NetworkFactory network() {
        return network;
    }

    public Loss loss() {
        if (customLoss != null) {
            return customLoss;
        }
        return LOSSES.stream().filter(l -> l.toString().equals(lossName)).findFirst().orElseThrow();
    }

    /** A new optimizer of the recipe's settings, at step 0. */
    public Optimizer optimizer() {
        return Optimizer.of(optimizer);
    }

    public int batch() {
        return batch;
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }
}
