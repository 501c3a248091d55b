package dev.neurite.backend;

/** An explicitly requested backend cannot be used; the message says why and what is known. */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the reason, and what is known, in the message. */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /** With the reason in the message and the failure that gave it. */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
