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

    /**
     * A view of {@code base} as rows x cols: {@code current} when it is already that (the view
     * last made for the same base), else a new one. Views free nothing, so an old one is dropped.
     */
    static DeviceMatrix view(Backend backend, DeviceMatrix current, DeviceMatrix[] lastBase, DeviceMatrix base,
                             int rows, int cols) {
        if (current != null && lastBase[0] == base && current.rows() == rows && !current.isClosed()) {
            return current;
        }
        lastBase[0] = base;
        return backend.view(base, rows, cols);
    }

    static void close(DeviceMatrix... ms) {
        for (DeviceMatrix m : ms) {
            if (m != null) {
                m.close();
            }
        }
    }
}
