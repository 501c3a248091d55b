package dev.neurite.backend.cpu;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/** A CPU "device" matrix: a row-major float array on the Java heap. */
final class CpuMatrix extends DeviceMatrix {
    float[] data;

    CpuMatrix(Backend owner, int rows, int cols) {
        super(owner, rows, cols);
        this.data = new float[Math.multiplyExact(rows, cols)];
    }

    /** A view of {@code base}'s array as rows x cols. */
    CpuMatrix(Backend owner, CpuMatrix base, int rows, int cols) {
        super(owner, rows, cols, base);
        this.data = base.data;
    }

    @Override
    protected void release() {
        data = null;
    }
}
