package dev.neurite.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains epoch after epoch with the stopping rules of the course material: a fixed number of
 * epochs, early stopping when the validation loss has not improved for {@code patience} epochs,
 * and a convergence criterion when the training loss improves by less than {@code threshold}.
 * Callbacks: per-step progress, per-epoch metrics, and a checkpoint file that always holds the
 * best model so far (lowest validation loss, or training loss without a validation set).
 */
public final class Fit {
    /** Told after every epoch. */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(int epoch, Trainer.Evaluation train, Trainer.Evaluation validation);
    }

    /**
     * Why and when training stopped.
     *
     * @param epochs  epochs run
     * @param reason  "epochs", "early stopping" or "converged"
     * @param history the training loss after each epoch
     */
    public record Result(int epochs, String reason, List<Double> history) {
    }

    private int maxEpochs = 30;
    private int patience;
    private double threshold;
    private EpochListener listener = (e, t, v) -> { };
    private Trainer.Progress progress = (done, total) -> { };
    private Checkpoint checkpoint;

    public Fit epochs(int n) {
        this.maxEpochs = n;
        return this;
    }

    /** Stop when the validation loss has not improved for this many epochs (0: never). */
    public Fit earlyStopping(int patience) {
        this.patience = patience;
        return this;
    }

    /** Stop when the training loss improves by less than this from one epoch to the next (0: never). */
    public Fit convergence(double threshold) {
        this.threshold = threshold;
        return this;
    }

    public Fit onEpoch(EpochListener l) {
        this.listener = l;
        return this;
    }

    /** Told after every step of every epoch. */
    public Fit onProgress(Trainer.Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * After each epoch that improves on every earlier one, saves the network to {@code file}
     * ({@link ModelFile}: checksummed, written atomically), so the file holds the best model.
     */
    public Fit checkpoint(java.nio.file.Path file) {
        this.checkpoint = new Checkpoint(file);
        return this;
    }

    /**
     * Runs {@code trainer} on {@code train}, judging early stopping on {@code validation} (may be
     * null). A checkpoint that cannot be written stops the run with {@link java.io.UncheckedIOException}.
     */
    public Result run(Trainer trainer, Dataset train, Dataset validation) {
        List<Double> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        for (int e = 1; e <= maxEpochs; e++) {
            trainer.epoch(train, progress);
            Trainer.Evaluation t = trainer.evaluate(train);
            Trainer.Evaluation v = validation == null ? null : trainer.evaluate(validation);
            listener.epoch(e, t, v);
            if (checkpoint != null) {
                try {
                    checkpoint.offer(trainer.network(), v != null ? v.loss() : t.loss());
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException("checkpoint after epoch " + e + " to " + checkpoint.file(), ex);
                }
            }
            double previous = history.isEmpty() ? Double.POSITIVE_INFINITY : history.get(history.size() - 1);
            history.add(t.loss());
            if (v != null && patience > 0) {
                if (v.loss() < best) {
                    best = v.loss();
                    sinceBest = 0;
                } else if (++sinceBest >= patience) {
                    return new Result(e, "early stopping", history);
                }
            }
            if (threshold > 0 && previous - t.loss() < threshold) {
                return new Result(e, "converged", history);
            }
        }
        return new Result(maxEpochs, "epochs", history);
    }
}
