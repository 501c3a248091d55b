package dev.neurite.backend.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.DeviceMemoryException;
import dev.neurite.backend.KernelBackend;
import dev.neurite.backend.Shapes;
import dev.neurite.backend.Transpose;
import dev.neurite.kernels.KernelSources;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * The OpenCL backend on one device: buffers stay on the device, the kernels are built once
 * when the backend opens, and every op is one or two kernel launches on an in-order queue.
 * Host transfers are counted ({@link #transfers()}) so tests can check what crosses the bus.
 */
public final class OpenClBackend extends KernelBackend {

    private final OpenClDevice device;
    private final int index;
    private final cl_context context;
    private final cl_command_queue queue;
    private final OpenClProgram program;
    private final cl_mem partValues;
    private final cl_mem partIndices;
    private final OpenClTransfers transfers = new OpenClTransfers();
    private final Map<String, OpenClProgram> customPrograms = new HashMap<>();
    private boolean closed;

    OpenClBackend(OpenClDevice device, int index) {
        this.device = device;
        this.index = index;
        org.jocl.cl_context_properties props = new org.jocl.cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        this.context = CL.clCreateContext(props, 1, new org.jocl.cl_device_id[] {device.id()}, null, null, null);
        this.queue = CL.clCreateCommandQueue(context, device.id(), 0, null);
        try {
            this.program = new OpenClProgram(device, context, queue);
        } catch (RuntimeException e) {
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
            throw e;
        }
        this.partValues = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, (long) REDUCE_PARTS * Sizeof.cl_float, null, null);
        this.partIndices = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, (long) REDUCE_PARTS * Sizeof.cl_int, null, null);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return "opencl:" + index + " " + device.describe() + ", gemm tile " + program.tile + "x" + program.tile;
    }

    /** Host↔device traffic since the backend opened. */
    public OpenClTransfers transfers() {
        return transfers;
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    public DeviceMatrix view(DeviceMatrix m, int rows, int cols) {
        Shapes.checkView(this, m, rows, cols);
        return new OpenClMatrix(this, (OpenClMatrix) m, rows, cols);
    }

    @Override
    public DeviceMatrix allocate(int rows, int cols) {
        checkOpen("allocate");
        long bytes = Math.max(1L, (long) rows * cols) * Sizeof.cl_float;
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("allocate: matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        if (bytes > device.maxAllocation()) {
            throw new DeviceMemoryException(allocationMessage(rows, cols, bytes), null);
        }
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (RuntimeException e) {
            throw new DeviceMemoryException(allocationMessage(rows, cols, bytes), e);
        }
        OpenClMatrix m = new OpenClMatrix(this, rows, cols, mem);
        fill(m, 0f);
        return m;
    }

    private String allocationMessage(int rows, int cols, long bytes) {
        return "opencl: cannot allocate " + rows + "x" + cols + " floats (" + OpenClDevice.bytes(bytes) + ") on "
                + device.name() + ": " + OpenClDevice.bytes(device.globalMemory()) + " global memory, largest single "
                + "allocation " + OpenClDevice.bytes(device.maxAllocation());
    }

    @Override
    public void upload(float[] host, DeviceMatrix dst) {
        Shapes.checkHost("upload", this, dst, host, true);
        checkOpen("upload");
        if (dst.size() > 0) {
            CL.clEnqueueWriteBuffer(queue, mem(dst), CL_TRUE, 0, (long) dst.size() * Sizeof.cl_float,
                    Pointer.to(host), 0, null, null);
            transfers.uploaded(dst.size());
        }
    }

    @Override
    public void download(DeviceMatrix src, float[] host) {
        Shapes.checkHost("download", this, src, host, false);
        checkOpen("download");
        if (src.size() > 0) {
            CL.clEnqueueReadBuffer(queue, mem(src), CL_TRUE, 0, (long) src.size() * Sizeof.cl_float,
                    Pointer.to(host), 0, null, null);
            transfers.downloaded(src.size());
        }
    }

    // ---- matrix multiply ------------------------------------------------------------------

    @Override
    public void gemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b, float beta,
                     DeviceMatrix c) {
        if (gemmTrivial(transA, transB, alpha, a, b, beta, c)) {
            return;
        }
        // op(A) (m,k) · op(B) (k,n) -> C (m,n)
        int m = c.rows();
        int n = c.cols();
        int k = transA.cols(a);
        int t = program.tile;
        int threads = t / program.wpt;
        long[] global = {(long) (n + t - 1) / t * threads, (long) (m + t - 1) / t * threads};
        program.launch2d("gemm", global, new long[] {threads, threads}, m, n, k, alpha, mem(a),
                transA == Transpose.TRANSPOSE ? 1 : 0, mem(b), transB == Transpose.TRANSPOSE ? 1 : 0, beta, mem(c));
    }

    // ---- activations ----------------------------------------------------------------------



    @Override
    protected void buildCustom(CustomOp op) {
        customPrograms.put(op.name(), new OpenClProgram(device, context, queue,
                KernelSources.customElementwise(KernelSources.Dialect.OPENCL, op.name(), op.deviceExpression())));
    }

    @Override
    protected void launchCustom(String name, int n, Object... args) {
        customPrograms.get(name).launch1d("custom_" + name, n, args);
    }

    // ---- element-wise arithmetic ----------------------------------------------------------










    @Override
    public void copy(DeviceMatrix src, DeviceMatrix dst) {
        Shapes.checkSameShape("copy", this, src, dst);
        checkOpen("copy");
        if (src.size() > 0) {
            CL.clEnqueueCopyBuffer(queue, mem(src), mem(dst), 0, 0, (long) src.size() * Sizeof.cl_float, 0, null, null);
        }
    }

    // ---- reductions -----------------------------------------------------------------------


    @Override
    public void finish() {
        checkOpen("finish");
        CL.clFinish(queue);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CL.clFinish(queue);
            CL.clReleaseMemObject(partValues);
            CL.clReleaseMemObject(partIndices);
            program.close();
            customPrograms.values().forEach(OpenClProgram::close);
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the opencl backend is closed");
        }
    }

    @Override
    protected void enter(String op) {
        checkOpen(op);
    }

    @Override
    protected Object handle(DeviceMatrix m) {
        return mem(m);
    }

    @Override
    protected void launch1d(String name, int n, Object... args) {
        program.launch1d(name, n, args);
    }

    @Override
    protected Object partValues() {
        return partValues;
    }

    @Override
    protected Object partIndices() {
        return partIndices;
    }

    private static cl_mem mem(DeviceMatrix m) {
        return ((OpenClMatrix) m).mem;
    }
}
