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

    @Override
    protected void release() {
        data = null;
    }
}
