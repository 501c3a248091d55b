package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Mini-batch training of a {@link Network}: each epoch reshuffles the rows with a generator
 * seeded once (same seed, same backend: same result), then per batch uploads the batch and its
 * targets (one-hot, the label itself for one output unit and two classes, or real values), runs
 * forward, the loss gradient, backward and one optimizer step. Nothing else crosses to the host
 * during training but one number every {@link #checkEvery} steps: the sum of squares of the
 * outputs, reduced on the device, which catches divergence ({@link DivergenceException}).
 *
 * <p>{@link #save} writes a checkpoint holding everything training needs (weights, layer state,
 * optimizer state, epoch, the shuffle and dropout generators' positions, the recipe), and
 * {@link #resume} continues from it exactly: on the same backend, 2 epochs + save + resume + 2
 * epochs give the same bits as 4 epochs.
 *
 * <p>A trainer is single-threaded, like its network: concurrent use fails with
 * {@link IllegalStateException} naming it.
 */
public final class Trainer implements AutoCloseable {
    private final Network network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int batch;
    private final long seed;
    private final RandomStream shuffle;
    private final Backend backend;
    private final Guard guard = new Guard(() -> "trainer of network " + network());
    private final java.util.Map<DeviceMatrix, DeviceMatrix> signs = new java.util.IdentityHashMap<>();
    private boolean ownsNetwork;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix grad;
    private final DivergenceCheck check;
    private float[] hostY;
    private float l1;
    private float l2;
    private int checkEvery = 16;
    private int epochs;
    private long steps;
    private int epochStep;
    private Fit.Progress fitProgress;
    private boolean trackLoss;
    private double lossSum;
    private int lossCount;

    /**
     * Result of {@link #evaluate}.
     *
     * @param loss     mean loss over the rows
     * @param correct  rows whose predicted class is the label (0 for regression data)
     * @param rows     rows evaluated
     * @param labelled false for regression data, which has no accuracy
     */
    public record Evaluation(double loss, int correct, int rows, boolean labelled) {
        /** Fraction correct; NaN for regression data. */
        public double accuracy() {
            return !labelled ? Double.NaN : rows == 0 ? 0 : (double) correct / rows;
        }
    }

    public Trainer(Network network, Loss loss, Optimizer optimizer, int batch, long seed) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
        }
        this.network = network;
        this.loss = java.util.Objects.requireNonNull(loss, "loss");
        this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
        this.batch = batch;
        this.seed = seed;
        this.shuffle = new RandomStream(seed);
        this.backend = network.backend();
        this.check = new DivergenceCheck(backend, loss);
    }

    /** Told after each step of an epoch: steps done so far and steps in the epoch. */
    @FunctionalInterface
    public interface Progress {
        void step(int done, int total);
    }

    /**
     * Adds penalties on the parameters that are {@link Parameter#penalized() penalized} (weights,
     * not biases) to the loss: L1·Σ|w| and ½·L2·Σw², whose gradients L1·sign(w) and L2·w join
     * each step's gradient on the device.
     */
    public Trainer regularize(float l1, float l2) {
        if (!(l1 >= 0) || !(l2 >= 0) || !Float.isFinite(l1) || !Float.isFinite(l2)) {
            throw new IllegalArgumentException("L1 and L2 must be finite and non-negative, got " + l1 + ", " + l2);
        }
        this.l1 = l1;
        this.l2 = l2;
        return this;
    }

    /**
     * Checks for divergence every {@code steps} steps (and always at the end of an epoch), by one
     * reduction on the device and one number downloaded; 0 checks at epoch ends only. Default 16.
     */
    public Trainer checkEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("check interval must be non-negative, got " + steps);
        }
        this.checkEvery = steps;
        return this;
    }

    /**
     * Also keeps a running loss for progress displays ({@link #runningLoss}): at each divergence
     * check (every {@link #checkEvery} steps) that step's outputs are downloaded and their loss
     * averaged with the epoch's earlier ones. Off by default, as it costs that download.
     */
    public Trainer trackLoss(boolean on) {
        this.trackLoss = on;
        return this;
    }

    /** The mean loss of the batches sampled by {@link #trackLoss} so far this epoch; NaN before the first. */
    public double runningLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** One pass over {@code data} in shuffled mini-batches (the last one may be smaller). */
    public void epoch(Dataset data) {
        epoch(data, (done, total) -> { });
    }

    /**
     * {@link #epoch(Dataset)}, telling {@code progress} after every step. Ends by checking the
     * outputs of the last step and every parameter (one number downloaded); on divergence throws
     * {@link DivergenceException} and the epoch does not count.
     */
    public void epoch(Dataset data, Progress progress) {
        enter();
        try {
            if (network.head() == null) {
                network.head(OutputHead.forLoss(loss, data.isRegression()));
            }
            int[] order = permutation(data.rows());
            int total = (data.rows() + batch - 1) / batch;
            epochStep = 0;
            lossSum = 0;
            lossCount = 0;
            int done = 0;
            DeviceMatrix out = null;
            for (int from = 0; from < data.rows(); from += batch) {
                out = train(data, order, from, Math.min(data.rows(), from + batch));
                progress.step(++done, total);
            }
            check.epochEnd(out, hostY, network.parameters(), epochs + 1, epochStep);
            epochs++;
        } finally {
            exit();
        }
    }

    /** One training step on rows order[from..to) of {@code data}: up, forward, back, update. */
    public void step(Dataset data, int[] order, int from, int to) {
        enter();
        try {
            train(data, order, from, to);
        } finally {
            exit();
        }
    }

    private DeviceMatrix train(Dataset data, int[] order, int from, int to) {
        upload(data, order, from, to);
        DeviceMatrix out = network.forward(x, true);
        grad = Buffers.ensure(backend, grad, out.rows(), out.cols());
        loss.gradient(backend, out, y, grad);
        network.backward(grad);
        penalize();
        optimizer.step(backend, network.parameters());
        steps++;
        epochStep++;
        if (checkEvery > 0 && epochStep % checkEvery == 0) {
            check.outputs(out, hostY, epochs + 1, epochStep);
            if (trackLoss) {
                lossSum += check.lossOf(out, hostY);
                lossCount++;
            }
        }
        return out;
    }

    /** Holds this trainer and its network for the caller's thread, for the whole call. */
    private void enter() {
        guard.enter();
        try {
            network.guard().enter();
        } catch (IllegalStateException e) {
            guard.exit();
            throw e;
        }
    }

    private void exit() {
        network.guard().exit();
        guard.exit();
    }

    /** Adds the L1 and L2 gradients to the gradients of the penalized parameters. */
    private void penalize() {
        if (l1 == 0 && l2 == 0) {
            return;
        }
        java.util.List<Parameter> parameters = network.parameters();
        for (int i = 0; i < parameters.size(); i++) {  // indexed, no capturing lambda: nothing allocated per step
            Parameter p = parameters.get(i);
            if (!p.penalized()) {
                continue;
            }
            if (l2 > 0) {
                backend.axpy(l2, p.value(), p.grad());
            }
            if (l1 > 0) {
                DeviceMatrix s = signs.get(p.value());
                if (s == null) {
                    s = backend.allocate(p.value().rows(), p.value().cols());
                    signs.put(p.value(), s);
                }
                backend.sign(p.value(), s);
                backend.axpy(l1, s, p.grad());
            }
        }
    }

    /** Loss and accuracy over {@code data}, in batches; downloads only the outputs. */
    public Evaluation evaluate(Dataset data) {
        enter();
        try {
            OutputHead head = network.head() != null ? network.head() : OutputHead.forLoss(loss, data.isRegression());
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
                for (int r = 0; r < to - from && !data.isRegression(); r++) {
                    if (head.label(a, r * k, k) == data.labels()[from + r]) {
                        correct++;
                    }
                }
            }
            return new Evaluation(lossSum / data.rows(), correct, data.rows(), !data.isRegression());
        } finally {
            exit();
        }
    }

    /** Rows order[from..to) of data and their targets into the device batch matrices. */
    private void upload(Dataset data, int[] order, int from, int to) {
        int outputs = network.outputWidth();
        boolean binary = !data.isRegression() && outputs == 1 && data.classes() == 2;
        if (data.cols() != network.inputWidth() || (data.classes() > outputs && !binary)
                || (data.isRegression() && data.classes() != outputs)) {
            throw new IllegalArgumentException("trainer: data has " + data.cols() + " features and " + data.classes()
                    + " classes, the network takes " + network.inputWidth() + " inputs to " + outputs + " outputs");
        }
        int rows = to - from;
        int cols = data.cols();
        if (hostY == null || hostY.length != rows * outputs) {
            hostY = new float[rows * outputs];
        }
        java.util.Arrays.fill(hostY, 0f);
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            if (binary) {
                // one unit: the target is the label itself, p(y = 1 | x)
                hostY[r] = data.labels()[row];
            } else {
                data.target(row, hostY, r * outputs);
            }
        }
        x = Buffers.ensure(backend, x, rows, cols);
        y = Buffers.ensure(backend, y, rows, outputs);
        // the features go from the table to the device in one gather (on the CPU, one copy)
        backend.uploadRows(data.features(), order, from, to, x);
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

    /**
     * Writes a checkpoint to {@code file} atomically: the network as {@link ModelFile} saves it
     * (so it also loads as a model) and the training state beside it. Refused with
     * {@link IllegalStateException} after divergence.
     */
    public void save(Path file) throws IOException {
        enter();
        try {
            if (check.diverged() != null) {
                throw new IllegalStateException("trainer: not saved, training diverged (" + check.diverged().getMessage()
                        + ")");
            }
            ModelFile.save(network, file, out -> TrainingState.write(this, out));
        } finally {
            exit();
        }
    }

    /**
     * A trainer continuing the checkpoint in {@code file} ({@link #save}) on {@code backend},
     * with the network, loss, optimizer and all its state, as they were. The trainer owns the
     * network it loaded and closes it. Give the same data as before, for the same result.
     */
    public static Trainer resume(Path file, Backend backend) throws IOException {
        return resume(file, backend, null);
    }

    /** {@link #resume(Path, Backend)} for a checkpoint trained with a loss of your own, which is not stored. */
    public static Trainer resume(Path file, Backend backend, Loss loss) throws IOException {
        ModelFile.Loaded loaded = ModelFile.read(file, backend);
        if (loaded.training() == null) {
            loaded.network().close();
            throw new MalformedDataException(file, "holds a model but no training state (written by ModelFile.save, "
                    + "not by Trainer.save)");
        }
        try {
            Trainer t = TrainingState.read(loaded.training(), loaded.network(), loss);
            t.ownsNetwork = true;
            return t;
        } catch (IOException | RuntimeException e) {
            loaded.network().close();
            throw e;
        }
    }

    /** The network being trained. */
    public Network network() {
        return network;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public int batch() {
        return batch;
    }

    /** The seed the shuffles started from. */
    public long seed() {
        return seed;
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    int checkInterval() {
        return checkEvery;
    }

    /** Epochs completed. */
    public int epochs() {
        return epochs;
    }

    /** Steps taken, over all epochs. */
    public long steps() {
        return steps;
    }

    /** Steps of the last (or current) epoch. */
    int epochSteps() {
        return epochStep;
    }

    /** Marks training diverged (seen outside the trainer, e.g. by Fit's evaluation): nothing is saved after it. */
    DivergenceException diverged(DivergenceException e) {
        return check.diverged(e);
    }

    RandomStream shuffle() {
        return shuffle;
    }

    /** Sets the counters of a resumed run. */
    void restore(int epochs, long steps) {
        this.epochs = epochs;
        this.steps = steps;
    }

    Fit.Progress fitProgress() {
        return fitProgress;
    }

    void fitProgress(Fit.Progress p) {
        this.fitProgress = p;
    }

    /** Releases the batch buffers and the optimizer's state, and the network when the trainer loaded it. */
    @Override
    public void close() {
        Buffers.close(x, y, grad);
        check.close();
        signs.values().forEach(DeviceMatrix::close);
        optimizer.close();
        if (ownsNetwork) {
            network.close();
        }
    }
}
