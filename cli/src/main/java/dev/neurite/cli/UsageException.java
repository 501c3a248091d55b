package dev.neurite.cli;

/** A wrong or missing flag: printed with the command's usage, exit status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
