package dev.neurite.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains epoch after epoch with the stopping rules of the course material: a number of epochs,
 * early stopping when the validation loss has not improved for {@code patience} epochs (the
 * network then goes back to the weights of its best epoch), and a convergence criterion when
 * the training loss improves by less than {@code minDelta}. Callbacks: per-step progress and
 * per-epoch metrics. Files: a checkpoint holding the best model so far, and one holding the
 * latest state; both are {@link Trainer#save checkpoints} that {@link Trainer#resume} continues.
 *
 * <p>The run's progress (epoch, best loss, history) lives in the trainer and in its checkpoints,
 * so {@code run} on a resumed trainer continues the run where it stopped: {@link #epochs} counts
 * every epoch of the run, before and after the resume.
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
     * @param epochs    epochs run, in all
     * @param reason    "epochs", "early stopping" or "converged"
     * @param history   the training loss after each epoch
     * @param bestEpoch the epoch of the lowest validation loss (training loss without validation data)
     * @param bestLoss  that loss
     */
    public record Result(int epochs, String reason, List<Double> history, int bestEpoch, double bestLoss) {
    }

    /** A run's progress, kept by its trainer and saved in its checkpoints. */
    static final class Progress {
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch;
        int sinceBest;
        /** "early stopping" or "converged" once the run has ended so; null while it may go on. */
        String stopped;
        List<Double> history = new ArrayList<>();
        float[][] bestParameters;
        float[][] bestState;
    }

    private int maxEpochs = 30;
    private int patience;
    private double minDelta;
    private EpochListener listener = (e, t, v) -> { };
    private Trainer.Progress progress = (done, total) -> { };
    private Path checkpoint;
    private Path latest;

    /** Train until this many epochs are done in all (default 30). */
    public Fit epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs must be non-negative, got " + n);
        }
        this.maxEpochs = n;
        return this;
    }

    /**
     * Stop when the validation loss has not improved for this many epochs (0: never), and end
     * with the weights of the best epoch.
     */
    public Fit earlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be non-negative, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    /** The convergence criterion: stop when the training loss improves by less than this from one epoch to the next (0: never). */
    public Fit minDelta(double minDelta) {
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be non-negative, got " + minDelta);
        }
        this.minDelta = minDelta;
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
     * After each epoch that improves on every earlier one (validation loss, or training loss
     * without validation data), saves the trainer's checkpoint to {@code file}: it holds the best
     * model so far, loads as a model, and resumes from that epoch.
     */
    public Fit checkpoint(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** After every epoch, saves the trainer's checkpoint to {@code file}, so a run can resume where it stopped. */
    public Fit latest(Path file) {
        this.latest = file;
        return this;
    }

    /**
     * Runs {@code trainer} on {@code train}, judging early stopping and the checkpoint on
     * {@code validation} (may be null). A checkpoint that cannot be written stops the run with
     * {@link UncheckedIOException}; divergence stops it with {@link DivergenceException}, and
     * nothing is saved from the diverged state.
     */
    public Result run(Trainer trainer, Dataset train, Dataset validation) {
        Progress p = trainer.fitProgress();
        if (p == null) {
            p = new Progress();
            trainer.fitProgress(p);
        }
        if (p.stopped == null) {
            train(trainer, train, validation, p);
        }
        if (p.bestParameters != null) {
            trainer.network().setParameterValues(p.bestParameters);
            trainer.network().setStateValues(p.bestState);
        }
        return new Result(trainer.epochs(), p.stopped == null ? "epochs" : p.stopped, List.copyOf(p.history), p.bestEpoch,
                p.best);
    }

    /** Epoch after epoch until the run is done or a stopping rule sets {@code p.stopped}. */
    private void train(Trainer trainer, Dataset train, Dataset validation, Progress p) {
        for (int e = trainer.epochs() + 1; e <= maxEpochs; e++) {
            trainer.epoch(train, progress);
            Trainer.Evaluation t = trainer.evaluate(train);
            Trainer.Evaluation v = validation == null ? null : trainer.evaluate(validation);
            double score = v != null ? v.loss() : t.loss();
            if (!Double.isFinite(t.loss()) || !Double.isFinite(score)) {
                boolean onTraining = !Double.isFinite(t.loss());
                throw trainer.diverged(new DivergenceException(e, trainer.epochSteps(), onTraining ? t.loss() : score,
                        "the loss over the " + (onTraining ? "training" : "validation") + " data"));
            }
            listener.epoch(e, t, v);
            double previous = p.history.isEmpty() ? Double.POSITIVE_INFINITY : p.history.get(p.history.size() - 1);
            p.history.add(t.loss());
            boolean improved = score < p.best;
            if (improved) {
                p.best = score;
                p.bestEpoch = e;
                p.sinceBest = 0;
                if (patience > 0 && validation != null) {
                    p.bestParameters = trainer.network().parameterValues();
                    p.bestState = trainer.network().stateValues();
                }
            } else {
                p.sinceBest++;
            }
            if (validation != null && patience > 0 && p.sinceBest >= patience) {
                p.stopped = "early stopping";
            } else if (minDelta > 0 && previous - t.loss() < minDelta) {
                p.stopped = "converged";
            }
            save(trainer, improved ? checkpoint : null, e);
            save(trainer, latest, e);
            if (p.stopped != null) {
                return;
            }
        }
    }

    private static void save(Trainer trainer, Path file, int epoch) {
        if (file == null) {
            return;
        }
        try {
            trainer.save(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("checkpoint after epoch " + epoch + " to " + file, ex);
        }
    }
}
