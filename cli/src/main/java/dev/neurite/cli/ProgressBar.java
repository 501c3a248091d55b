package dev.neurite.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A one-line progress bar redrawn in place with a carriage return: steps done, the estimated time
 * left in the epoch and the running loss. Drawn only on a terminal (a log file or a pipe gets no
 * {@code \r} lines), at most ten times a second.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private final boolean enabled;
    private final DoubleSupplier loss;
    private String label = "";
    private long started;
    private long drawn;
    private int length;

    /** A bar on {@code out}, drawn only when {@code enabled}; {@code loss} gives the running loss (NaN: none yet). */
    ProgressBar(PrintStream out, boolean enabled, DoubleSupplier loss) {
        this.out = out;
        this.enabled = enabled;
        this.loss = loss;
    }

    /**
     * True when the standard error goes to a terminal: on Linux when /proc/self/fd/2 is a tty
     * device, elsewhere when the JVM has an interactive console.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.exists(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    boolean enabled() {
        return enabled;
    }

    /** Starts a new epoch's bar. */
    void start(String label) {
        this.label = label;
        this.started = System.nanoTime();
        this.drawn = 0;
    }

    void update(int done, int total) {
        long now = System.nanoTime();
        if (!enabled || (now - drawn < REDRAW_NANOS && done < total)) {
            return;
        }
        drawn = now;
        int filled = (int) ((long) WIDTH * done / total);
        double elapsed = (now - started) / 1e9;
        String line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  ETA %s", label, "=".repeat(filled),
                " ".repeat(WIDTH - filled), 100L * done / total, clock(elapsed / done * (total - done)));
        double l = loss.getAsDouble();
        if (!Double.isNaN(l)) {
            line += String.format(Locale.ROOT, "  loss %.4f", l);
        }
        out.print("\r" + line + " ".repeat(Math.max(0, length - line.length())));
        out.flush();
        length = line.length();
    }

    /** Wipes the bar, so the next line starts clean. */
    void clear() {
        if (enabled && length > 0) {
            out.print("\r" + " ".repeat(length) + "\r");
            out.flush();
            length = 0;
        }
    }

    /** Seconds as m:ss (or h:mm:ss). */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
