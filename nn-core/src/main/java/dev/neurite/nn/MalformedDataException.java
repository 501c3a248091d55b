package dev.neurite.nn;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be what it claims: the message names the file and the fault, e.g.
 * {@code iris.csv: line 7, column 3 (petal_length): 'abc' is not a number}.
 */
public class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String fault;

    public MalformedDataException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
        this.fault = fault;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong with it (the message without the file name). */
    public String fault() {
        return fault;
    }
}
