package dev.neurite.backend.opencl;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import org.jocl.CL;
import org.jocl.cl_mem;

/** A matrix in an OpenCL buffer (at least one float, since OpenCL has no empty buffers). */
final class OpenClMatrix extends DeviceMatrix {
    final cl_mem mem;

    OpenClMatrix(Backend owner, int rows, int cols, cl_mem mem) {
        super(owner, rows, cols);
        this.mem = mem;
    }

    /** A view of {@code base}'s buffer as rows x cols. */
    OpenClMatrix(Backend owner, OpenClMatrix base, int rows, int cols) {
        super(owner, rows, cols, base);
        this.mem = base.mem;
    }

    @Override
    protected void release() {
        CL.clReleaseMemObject(mem);
    }
}
