package dev.neurite.backend;

/** A device kernel failed to compile; the message ends with the compiler's full log. */
public class KernelBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String log;

    /** {@code what} failed to build; {@code log} is the compiler's. */
    public KernelBuildException(String what, String log) {
        super(what + "\n--- compiler log ---\n" + log);
        this.log = log;
    }

    /** The compiler's log, as it printed it. */
    public String log() {
        return log;
    }
}
