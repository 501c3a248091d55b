package dev.neurite.backend;

/** How a pooling window combines its inputs. */
public enum Pooling {
    /** The largest input; the gradient goes to the first largest. Padding never wins. */
    MAX,
    /** The mean over KH·KW inputs, padding counted as zeros. */
    AVERAGE
}
