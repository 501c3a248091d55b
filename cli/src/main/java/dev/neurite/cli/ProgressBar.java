package dev.neurite.cli;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place (carriage return), at most a hundred times an epoch. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private int shown = -1;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    void update(int done, int total) {
        int percent = (int) (100L * done / total);
        if (percent != shown) {
            shown = percent;
            int filled = WIDTH * percent / 100;
            out.print("\r" + label + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
            out.flush();
        }
    }

    void clear() {
        out.print("\r" + " ".repeat(label.length() + WIDTH + 8) + "\r");
        out.flush();
    }
}
