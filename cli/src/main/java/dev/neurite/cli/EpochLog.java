package dev.neurite.cli;

import dev.neurite.nn.Dataset;
import dev.neurite.nn.Fit;
import dev.neurite.nn.Trainer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code neurite train} says while {@link Fit} runs: the progress bar within an epoch, then
 * one line per epoch (loss, accuracy on each part, seconds, samples/s), and the same numbers kept
 * as {@link Curves} for {@code --plot} and {@code --metrics}.
 */
final class EpochLog implements Fit.EpochListener, Trainer.Progress {
    private final Trainer trainer;
    private final Dataset test;
    private final int epochs;
    private final int rows;
    private final PrintStream out;
    private final ProgressBar bar;
    private final Curves curves = new Curves();
    private long mark = System.nanoTime();
    private long trained = mark;

    /** Lines to {@code out} for a run of {@code epochs} over {@code rows} training rows, scoring {@code test} (scaled, may be null). */
    EpochLog(Trainer trainer, Dataset test, int epochs, int rows, PrintStream out, ProgressBar bar) {
        this.trainer = trainer;
        this.test = test;
        this.epochs = epochs;
        this.rows = rows;
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void step(int done, int total) {
        if (done == 1) {
            bar.start("epoch " + (trainer.epochs() + 1) + "/" + epochs);
        }
        bar.update(done, total);
        if (done == total) {
            trained = System.nanoTime();
            bar.clear();
        }
    }

    @Override
    public void epoch(int epoch, Trainer.Evaluation train, Trainer.Evaluation validation) {
        double seconds = (trained - mark) / 1e9;
        Trainer.Evaluation t = test == null ? null : trainer.evaluate(test);
        curves.add(new Curves.Row(epoch, train, validation, t, seconds));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs,
                train.loss()));
        if (train.labelled()) {
            line.append(String.format(Locale.ROOT, "  train %.2f%%", 100 * train.accuracy()));
        }
        if (validation != null) {
            line.append(validation.labelled() ? String.format(Locale.ROOT, "  validation %.2f%% (loss %.4f)",
                    100 * validation.accuracy(), validation.loss())
                    : String.format(Locale.ROOT, "  validation loss %.4f", validation.loss()));
        }
        if (t != null) {
            line.append(t.labelled() ? String.format(Locale.ROOT, "  test %.2f%%", 100 * t.accuracy())
                    : String.format(Locale.ROOT, "  test loss %.4f", t.loss()));
        }
        line.append(String.format(Locale.ROOT, "  %.2f s  %.0f samples/s", seconds, rows / Math.max(seconds, 1e-9)));
        out.println(line);
        mark = System.nanoTime();
    }

    Curves curves() {
        return curves;
    }

    /** Text for one part's result: "train 98.33%" or, for a regression, "train loss 0.0123". */
    static String result(String part, Trainer.Evaluation e) {
        return e.labelled() ? String.format(Locale.ROOT, "%s %.2f%%", part, 100 * e.accuracy())
                : String.format(Locale.ROOT, "%s loss %.4f", part, e.loss());
    }
}
