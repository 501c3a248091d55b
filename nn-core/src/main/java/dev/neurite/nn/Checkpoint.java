package dev.neurite.nn;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that always holds the best network so far: {@link #offer} saves (through
 * {@link ModelFile}: checksummed, written atomically) only when the loss beats every earlier one,
 * so a NaN loss never saves. ({@link Fit#checkpoint} keeps the best as a resumable trainer
 * checkpoint instead.)
 */
public final class Checkpoint {
    private final Path file;
    private double best = Double.POSITIVE_INFINITY;

    public Checkpoint(Path file) {
        this.file = java.util.Objects.requireNonNull(file, "checkpoint file");
    }

    /** Saves {@code net} when {@code loss} is the lowest offered yet; true when it saved. */
    public boolean offer(Network net, double loss) throws IOException {
        if (!(loss < best)) {
            return false;
        }
        best = loss;
        ModelFile.save(net, file);
        return true;
    }

    public Path file() {
        return file;
    }
}
