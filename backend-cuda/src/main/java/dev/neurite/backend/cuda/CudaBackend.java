package dev.neurite.backend.cuda;

import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.DeviceMemoryException;
import dev.neurite.backend.KernelBackend;
import dev.neurite.backend.Shapes;
import dev.neurite.backend.Transpose;
import dev.neurite.kernels.KernelSources;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend on one device, through the driver API: a context of its own made current
 * on whichever thread calls, buffers resident on the device, the shared kernels loaded once,
 * and the matrix multiply through {@link CudaGemm}. Launch geometry mirrors the OpenCL backend.
 */
public final class CudaBackend extends KernelBackend {

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final CudaModule module;
    private final CudaGemm gemm;
    private final CUdeviceptr partValues = new CUdeviceptr();
    private final CUdeviceptr partIndices = new CUdeviceptr();
    private final Map<String, CudaModule> custom = new HashMap<>();
    private boolean closed;

    CudaBackend(CudaDevice device) {
        this.device = device;
        CUdevice d = new CUdevice();
        JCudaDriver.cuDeviceGet(d, device.index());
        JCudaDriver.cuCtxCreate(context, 0, d);
        this.module = new CudaModule(device.major(), device.minor());
        this.gemm = new CudaGemm(module);
        JCudaDriver.cuMemAlloc(partValues, (long) REDUCE_PARTS * Sizeof.FLOAT);
        JCudaDriver.cuMemAlloc(partIndices, (long) REDUCE_PARTS * Sizeof.INT);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String device() {
        return "cuda:" + device.index() + " " + device.describe() + ", kernels: " + module.path() + ", gemm: "
                + gemm.path();
    }

    /** Makes this backend's context current on the calling thread. */
    void makeCurrent() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    protected void enter(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the cuda backend is closed");
        }
        makeCurrent();
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    public DeviceMatrix view(DeviceMatrix m, int rows, int cols) {
        Shapes.checkView(this, m, rows, cols);
        return new CudaMatrix(this, (CudaMatrix) m, rows, cols);
    }

    @Override
    public DeviceMatrix allocate(int rows, int cols) {
        enter("allocate");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("allocate: matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        long bytes = Math.max(1L, (long) rows * cols) * Sizeof.FLOAT;
        CUdeviceptr ptr = new CUdeviceptr();
        try {
            JCudaDriver.cuMemAlloc(ptr, bytes);
        } catch (RuntimeException e) {
            long[] free = new long[1];
            long[] total = new long[1];
            JCudaDriver.cuMemGetInfo(free, total);
            throw new DeviceMemoryException("cuda: cannot allocate " + rows + "x" + cols + " floats (" + bytes
                    + " bytes) on " + device.name() + ": " + free[0] + " of " + total[0] + " bytes free", e);
        }
        JCudaDriver.cuMemsetD32(ptr, 0, Math.max(1, rows * cols));
        return new CudaMatrix(this, rows, cols, ptr);
    }

    @Override
    public void upload(float[] host, DeviceMatrix dst) {
        Shapes.checkHost("upload", this, dst, host, true);
        enter("upload");
        if (dst.size() > 0) {
            JCudaDriver.cuMemcpyHtoD(ptr(dst), Pointer.to(host), (long) dst.size() * Sizeof.FLOAT);
        }
    }

    @Override
    public void download(DeviceMatrix src, float[] host) {
        Shapes.checkHost("download", this, src, host, false);
        enter("download");
        if (src.size() > 0) {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(host), ptr(src), (long) src.size() * Sizeof.FLOAT);
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
        gemm.gemm(transA, transB, c.rows(), c.cols(), transA.cols(a), alpha, ptr(a), ptr(b), beta, ptr(c));
    }

    // ---- activations ----------------------------------------------------------------------



    @Override
    protected void buildCustom(CustomOp op) {
        custom.put(op.name(), new CudaModule(KernelSources.customElementwise(KernelSources.Dialect.CUDA, op.name(),
                op.deviceExpression()), null, device.major(), device.minor()));
    }

    @Override
    protected void launchCustom(String name, int n, Object... args) {
        custom.get(name).launch1d("custom_" + name, n, args);
    }

    // ---- element-wise arithmetic ----------------------------------------------------------










    @Override
    public void copy(DeviceMatrix src, DeviceMatrix dst) {
        Shapes.checkSameShape("copy", this, src, dst);
        enter("copy");
        if (src.size() > 0) {
            JCudaDriver.cuMemcpyDtoD(ptr(dst), ptr(src), (long) src.size() * Sizeof.FLOAT);
        }
    }

    // ---- reductions -----------------------------------------------------------------------


    @Override
    public void finish() {
        enter("finish");
        JCudaDriver.cuCtxSynchronize();
    }

    @Override
    public void close() {
        if (!closed) {
            makeCurrent();
            JCudaDriver.cuCtxSynchronize();
            closed = true;
            gemm.close();
            custom.values().forEach(CudaModule::unload);
            module.unload();
            JCudaDriver.cuMemFree(partValues);
            JCudaDriver.cuMemFree(partIndices);
            JCudaDriver.cuCtxDestroy(context);
        }
    }

    @Override
    protected Object handle(DeviceMatrix m) {
        return ptr(m);
    }

    @Override
    protected void launch1d(String name, int n, Object... args) {
        module.launch1d(name, n, args);
    }

    @Override
    protected Object partValues() {
        return partValues;
    }

    @Override
    protected Object partIndices() {
        return partIndices;
    }

    private static CUdeviceptr ptr(DeviceMatrix m) {
        return ((CudaMatrix) m).ptr;
    }
}
