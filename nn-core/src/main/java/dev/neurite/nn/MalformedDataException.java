package dev.neurite.nn;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that cannot be what it claims: the message names the file and the fault. */
public class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedDataException(Path file, String fault) {
        super(file + ": " + fault);
    }
}
