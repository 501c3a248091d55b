package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/**
 * Device buffers a layer keeps across steps: allocated on the first batch and again only when
 * the batch size changes, so a training step allocates nothing.
 */
public final class Buffers {
    private Buffers() {
    }

    /** {@code current} if it is rows x cols, else a new zero matrix (closing the old one). */
    public static DeviceMatrix ensure(Backend backend, DeviceMatrix current, int rows, int cols) {
        if (current != null && current.rows() == rows && current.cols() == cols) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        return backend.allocate(rows, cols);
    }

    /** Closes each non-null matrix. */
    public static void close(DeviceMatrix... ms) {
        for (DeviceMatrix m : ms) {
            if (m != null) {
                m.close();
            }
        }
    }

    /**
     * A view of another buffer under a new shape, kept while the base and the shape stay the
     * same (views free nothing, so an outdated one is simply dropped).
     */
    public static final class View {
        private DeviceMatrix base;
        private DeviceMatrix view;

        /** {@code base} seen as rows x cols: the view made last time when it is of the same base and shape. */
        public DeviceMatrix of(Backend backend, DeviceMatrix base, int rows, int cols) {
            if (view == null || this.base != base || view.rows() != rows || view.cols() != cols || view.isClosed()) {
                this.base = base;
                view = backend.view(base, rows, cols);
            }
            return view;
        }
    }
}
