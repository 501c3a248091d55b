package dev.neurite.backend.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.DeviceMemoryException;
import dev.neurite.backend.NativeSignals;
import dev.neurite.backend.KernelArgs;
import dev.neurite.backend.KernelBackend;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Undo;
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
 * when the backend opens, and every op is one or two kernel launches on an in-order queue. Ops
 * from several threads take turns (pocl, among others, does not survive two threads enqueueing
 * on one queue). Host transfers are counted ({@link #transfers()}) so tests can check what
 * crosses the bus.
 */
public final class OpenClBackend extends KernelBackend {

    private final OpenClDevice device;
    private final int index;
    private final cl_context context;
    private final cl_command_queue queue;
    private final OpenClProgram program;
    private final OpenClTransfers transfers = new OpenClTransfers();
    private final Map<String, OpenClProgram> customPrograms = new HashMap<>();

    OpenClBackend(OpenClDevice device, int index, OpenClProgram.Tiling tiling) {
        this.device = device;
        this.index = index;
        try (Undo undo = new Undo()) {
            org.jocl.cl_context_properties props = new org.jocl.cl_context_properties();
            props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
            this.context = CL.clCreateContext(props, 1, new org.jocl.cl_device_id[] {device.id()}, null, null, null);
            undo.add(() -> CL.clReleaseContext(context));
            this.queue = CL.clCreateCommandQueue(context, device.id(), 0, null);
            undo.add(() -> CL.clReleaseCommandQueue(queue));
            this.program = new OpenClProgram(device, context, queue, tiling);
            undo.keep();
        }
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        OpenClProgram.Tiling t = program.tiling;
        return "opencl:" + index + " " + device.describe() + ", gemm tile " + t.tile() + "x" + t.tile() + " ("
                + t.wpt() + "x" + t.wpt() + " a work-item), work-group " + t.group();
    }

    /** Host↔device traffic since the backend opened. */
    public OpenClTransfers transfers() {
        return transfers;
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    protected DeviceMatrix doView(DeviceMatrix m, int rows, int cols) {
        return new OpenClMatrix(this, (OpenClMatrix) m, rows, cols);
    }

    @Override
    protected DeviceMatrix doAllocate(int rows, int cols) {
        long bytes = Math.max(1L, (long) rows * cols) * Sizeof.cl_float;
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
        doFill(m, 0f);
        return m;
    }

    private String allocationMessage(int rows, int cols, long bytes) {
        return "opencl: cannot allocate " + rows + "x" + cols + " floats (" + OpenClDevice.bytes(bytes) + ") on "
                + device.name() + ": " + OpenClDevice.bytes(device.globalMemory()) + " global memory, largest single "
                + "allocation " + OpenClDevice.bytes(device.maxAllocation());
    }

    @Override
    protected void doUpload(float[] host, DeviceMatrix dst) {
        if (dst.size() > 0) {
            CL.clEnqueueWriteBuffer(queue, mem(dst), CL_TRUE, 0, (long) dst.size() * Sizeof.cl_float,
                    Pointer.to(host), 0, null, null);
            transfers.uploaded(dst.size());
        }
    }

    @Override
    protected void doDownload(DeviceMatrix src, float[] host) {
        if (src.size() > 0) {
            CL.clEnqueueReadBuffer(queue, mem(src), CL_TRUE, 0, (long) src.size() * Sizeof.cl_float,
                    Pointer.to(host), 0, null, null);
            transfers.downloaded(src.size());
        }
    }

    @Override
    protected void doCopy(DeviceMatrix src, DeviceMatrix dst) {
        if (src.size() > 0) {
            CL.clEnqueueCopyBuffer(queue, mem(src), mem(dst), 0, 0, (long) src.size() * Sizeof.cl_float, 0, null, null);
        }
    }

    // ---- kernels --------------------------------------------------------------------------

    /** op(A) (m,k) · op(B) (k,n) -> C (m,n): a work-group a T x T tile of C, W x W outputs a work-item. */
    @Override
    protected void launchGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                              float beta, DeviceMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = transA.cols(a);
        int t = program.tiling.tile();
        int threads = t / program.tiling.wpt();
        long[] global = {(long) (n + t - 1) / t * threads, (long) (m + t - 1) / t * threads};
        program.launch2d("gemm", global, new long[] {threads, threads}, args().addInt(m).addInt(n).addInt(k)
                .addFloat(alpha).addBuffer(a).addInt(transA == Transpose.TRANSPOSE ? 1 : 0).addBuffer(b)
                .addInt(transB == Transpose.TRANSPOSE ? 1 : 0).addFloat(beta).addBuffer(c));
    }

    @Override
    protected void launch1d(String name, int n, KernelArgs args) {
        program.launch1d(name, n, args);
    }

    @Override
    protected void buildCustom(CustomOp op) {
        customPrograms.put(op.name(), NativeSignals.keep("opencl", () -> new OpenClProgram(device, context, queue,
                program.tiling, KernelSources.customElementwise(KernelSources.Dialect.OPENCL, op.name(),
                op.deviceExpression()))));
    }

    @Override
    protected void launchCustom(String name, int n, KernelArgs args) {
        customPrograms.get(name).launch1d("custom_" + name, n, args);
    }

    @Override
    protected void doFinish() {
        CL.clFinish(queue);
    }

    @Override
    protected void closeDevice() {
        program.close();
        customPrograms.values().forEach(OpenClProgram::close);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }

    private static cl_mem mem(DeviceMatrix m) {
        return ((OpenClMatrix) m).mem;
    }
}
