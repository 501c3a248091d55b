package dev.neurite.backend.cuda;

import dev.neurite.backend.DeviceMatrix;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/** A matrix in device memory (at least one float, so that every matrix has an address). */
final class CudaMatrix extends DeviceMatrix {
    final CUdeviceptr ptr;
    private final CudaBackend backend;

    CudaMatrix(CudaBackend backend, int rows, int cols, CUdeviceptr ptr) {
        super(backend, rows, cols);
        this.backend = backend;
        this.ptr = ptr;
    }

    /** A view of {@code base}'s memory as rows x cols. */
    CudaMatrix(CudaBackend backend, CudaMatrix base, int rows, int cols) {
        super(backend, rows, cols, base);
        this.backend = backend;
        this.ptr = base.ptr;
    }

    @Override
    protected void release() {
        backend.makeCurrent();
        JCudaDriver.cuMemFree(ptr);
    }
}
