package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/** A device matrix kept across steps and reallocated only when the batch size changes. */
final class Buffers {
    private Buffers() {
    }

    /** {@code current} if it is rows x cols, else a new zero matrix (closing the old one). */
    static DeviceMatrix ensure(Backend backend, DeviceMatrix current, int rows, int cols) {
        if (current != null && current.rows() == rows && current.cols() == cols) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        return backend.allocate(rows, cols);
    }

    static void close(DeviceMatrix... ms) {
        for (DeviceMatrix m : ms) {
            if (m != null) {
                m.close();
            }
        }
    }
}
