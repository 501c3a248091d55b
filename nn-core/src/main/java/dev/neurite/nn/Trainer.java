package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.Random;

/**
 * Mini-batch training of a {@link Network}: each epoch reshuffles the rows with a generator
 * seeded once (same seed, same backend: same result), then per batch uploads the batch and its
 * one-hot targets, runs forward, the loss gradient, backward and one optimizer step. Nothing
 * else crosses to the host during training.
 */
public final class Trainer implements AutoCloseable {
    private final Network network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int batch;
    private final Random shuffle;
    private final Backend backend;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix grad;
    private float[] hostX;
    private float[] hostY;
    private float l1;
    private float l2;
    private final java.util.Map<DeviceMatrix, DeviceMatrix> signs = new java.util.IdentityHashMap<>();

    /**
     * Result of {@link #evaluate}.
     *
     * @param loss     mean loss over the rows
     * @param correct  rows whose largest output is the label (0 for regression data)
     * @param rows     rows evaluated
     * @param labelled false for regression data, which has no accuracy
     */
    public record Evaluation(double loss, int correct, int rows, boolean labelled) {
        /** Fraction correct; NaN for regression data. */
        public double accuracy() {
            return !labelled ? Double.NaN : rows == 0 ? 0 : (double) correct / rows;
        }
    }

    /** The network being trained. */
    public Network network() {
        return network;
    }

    public Trainer(Network network, Loss loss, Optimizer optimizer, int batch, long seed) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
        }
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.batch = batch;
        this.shuffle = new Random(seed);
        this.backend = network.backend();
    }

    /** Told after each step of an epoch: steps done so far and steps in the epoch. */
    @FunctionalInterface
    public interface Progress {
        void step(int done, int total);
    }

    /**
     * Adds penalties on the weights (not the biases) to the loss: L1·Σ|w| and ½·L2·Σw², whose
     * gradients L1·sign(w) and L2·w join each step's weight gradient on the device.
     */
    public Trainer regularize(float l1, float l2) {
        if (l1 < 0 || l2 < 0) {
            throw new IllegalArgumentException("L1 and L2 must be non-negative, got " + l1 + ", " + l2);
        }
        this.l1 = l1;
        this.l2 = l2;
        return this;
    }

    /** One pass over {@code data} in shuffled mini-batches (the last one may be smaller). */
    public void epoch(Dataset data) {
        epoch(data, (done, total) -> { });
    }

    /** {@link #epoch(Dataset)}, telling {@code progress} after every step. */
    public void epoch(Dataset data, Progress progress) {
        int[] order = permutation(data.rows());
        int total = (data.rows() + batch - 1) / batch;
        int done = 0;
        for (int from = 0; from < data.rows(); from += batch) {
            step(data, order, from, Math.min(data.rows(), from + batch));
            progress.step(++done, total);
        }
    }

    /** One training step on rows order[from..to) of {@code data}: up, forward, back, update. */
    public void step(Dataset data, int[] order, int from, int to) {
        upload(data, order, from, to);
        DeviceMatrix out = network.forward(x, true);
        grad = Buffers.ensure(backend, grad, out.rows(), out.cols());
        loss.gradient(backend, out, y, grad);
        network.backward(grad);
        penalize();
        optimizer.step(backend, network.parameters());
    }

    /** Adds the L1 and L2 gradients to the weight gradients (parameters named "weights"). */
    private void penalize() {
        if (l1 == 0 && l2 == 0) {
            return;
        }
        for (Parameter p : network.parameters()) {
            if (!p.name().equals("weights")) {
                continue;
            }
            if (l2 > 0) {
                backend.axpy(l2, p.value(), p.grad());
            }
            if (l1 > 0) {
                DeviceMatrix s = signs.computeIfAbsent(p.value(), v -> backend.allocate(v.rows(), v.cols()));
                backend.sign(p.value(), s);
                backend.axpy(l1, s, p.grad());
            }
        }
    }

    /** Loss and accuracy over {@code data}, in batches; downloads only outputs and argmaxes. */
    public Evaluation evaluate(Dataset data) {
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < data.rows(); from += batch) {
            int to = Math.min(data.rows(), from + batch);
            upload(data, order, from, to);
            DeviceMatrix out = network.forward(x, false);
            float[] a = backend.download(out);
            int k = out.cols();
            lossSum += loss.value(a, hostY, to - from, k) * (to - from);
            // the outputs are on the host already: the prediction is their first maximum
            for (int r = 0; r < to - from; r++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (a[r * k + c] > a[r * k + best]) {
                        best = c;
                    }
                }
                if (!data.isRegression() && best == data.labels()[from + r]) {
                    correct++;
                }
            }
        }
        return new Evaluation(lossSum / data.rows(), correct, data.rows(), !data.isRegression());
    }

    /** Rows order[from..to) of data and their one-hot targets into the device batch matrices. */
    private void upload(Dataset data, int[] order, int from, int to) {
        if (data.cols() != network.inputWidth() || data.classes() > network.outputWidth()
                || (data.isRegression() && data.classes() != network.outputWidth())) {
            throw new IllegalArgumentException("trainer: data has " + data.cols() + " features and " + data.classes()
                    + " classes, the network takes " + network.inputWidth() + " inputs to " + network.outputWidth()
                    + " outputs");
        }
        int rows = to - from;
        int cols = data.cols();
        int classes = network.outputWidth();
        if (hostX == null || hostX.length != rows * cols) {
            hostX = new float[rows * cols];
            hostY = new float[rows * classes];
        }
        java.util.Arrays.fill(hostY, 0f);
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            System.arraycopy(data.features(), row * cols, hostX, r * cols, cols);
            data.target(row, hostY, r * classes);
        }
        x = Buffers.ensure(backend, x, rows, cols);
        y = Buffers.ensure(backend, y, rows, classes);
        backend.upload(hostX, x);
        backend.upload(hostY, y);
    }

    private int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Releases the batch buffers and the optimizer's state. */
    @Override
    public void close() {
        Buffers.close(x, y, grad);
        signs.values().forEach(DeviceMatrix::close);
        optimizer.close();
    }
}
