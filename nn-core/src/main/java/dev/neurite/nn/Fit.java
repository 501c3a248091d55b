package dev.neurite.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains epoch after epoch with the stopping rules of the course material: a fixed number of
 * epochs, early stopping when the validation loss has not improved for {@code patience} epochs,
 * and a convergence criterion when the training loss improves by less than {@code threshold}.
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

    /** Runs {@code trainer} on {@code train}, judging early stopping on {@code validation} (may be null). */
    public Result run(Trainer trainer, Dataset train, Dataset validation) {
        List<Double> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        for (int e = 1; e <= maxEpochs; e++) {
            trainer.epoch(train);
            Trainer.Evaluation t = trainer.evaluate(train);
            Trainer.Evaluation v = validation == null ? null : trainer.evaluate(validation);
            listener.epoch(e, t, v);
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
