package dev.neurite.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --quiet} and {@code --verbose}: how much a command prints. Quiet leaves only a command's
 * final line on stdout (errors still go to stderr) and the library's logger {@code dev.neurite}
 * at WARNING; verbose sets that logger to FINE with a handler at FINE, so the backend selection
 * and other debug lines show. Closing puts the logger back as it was.
 */
final class Verbosity implements AutoCloseable {
    /** The switches every command that trains or reads data takes. */
    static final java.util.Set<String> SWITCHES = java.util.Set.of("quiet", "verbose");
    /** Held here: java.util.logging keeps loggers only weakly, so a level set on an unreferenced one is lost. */
    private static final Logger LIBRARY = Logger.getLogger("dev.neurite");
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private final boolean quiet;
    private final Level previous;
    private final Handler handler;

    private Verbosity(boolean quiet, boolean verbose) {
        this.quiet = quiet;
        this.previous = LIBRARY.getLevel();
        if (quiet) {
            LIBRARY.setLevel(Level.WARNING);
            handler = null;
        } else if (verbose) {
            LIBRARY.setLevel(Level.FINE);
            handler = new ConsoleHandler();
            handler.setLevel(Level.FINE);
            LIBRARY.addHandler(handler);
        } else {
            handler = null;
        }
    }

    /** From the flags; both switches at once is a usage error. */
    static Verbosity of(Flags f) throws UsageException {
        if (f.has("quiet") && f.has("verbose")) {
            throw new UsageException("--quiet and --verbose contradict each other: give one");
        }
        return new Verbosity(f.has("quiet"), f.has("verbose"));
    }

    boolean quiet() {
        return quiet;
    }

    /** Where the lines before the final one go: {@code out}, or nowhere when quiet. */
    PrintStream info(PrintStream out) {
        return quiet ? NOWHERE : out;
    }

    @Override
    public void close() {
        LIBRARY.setLevel(previous);
        if (handler != null) {
            LIBRARY.removeHandler(handler);
        }
    }
}
