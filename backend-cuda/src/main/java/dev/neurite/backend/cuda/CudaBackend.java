package dev.neurite.backend.cuda;

import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.DeviceMemoryException;
import dev.neurite.backend.KernelArgs;
import dev.neurite.backend.KernelBackend;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Undo;
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
 * on whichever thread calls (ops from several threads take turns), buffers resident on the
 * device, the shared kernels loaded once, and the matrix multiply through {@link CudaGemm}.
 * Launch geometry mirrors the OpenCL backend.
 */
public final class CudaBackend extends KernelBackend {

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final CudaModule module;
    private final CudaGemm gemm;
    private final Map<String, CudaModule> custom = new HashMap<>();

    /** Opens a context on {@code device}; whatever fails on the way releases what came before it. */
    CudaBackend(CudaDevice device, String gemmPath) {
        this.device = device;
        try (Undo undo = new Undo()) {
            CUdevice d = new CUdevice();
            JCudaDriver.cuDeviceGet(d, device.index());
            JCudaDriver.cuCtxCreate(context, 0, d);
            undo.add(() -> JCudaDriver.cuCtxDestroy(context));
            this.module = new CudaModule(device.major(), device.minor());
            undo.add(module::unload);
            this.gemm = new CudaGemm(module, gemmPath);
            undo.keep();
        }
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
    protected void onEnter() {
        makeCurrent();
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    protected DeviceMatrix doView(DeviceMatrix m, int rows, int cols) {
        return new CudaMatrix(this, (CudaMatrix) m, rows, cols);
    }

    @Override
    protected DeviceMatrix doAllocate(int rows, int cols) {
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
    protected void doUpload(float[] host, DeviceMatrix dst) {
        if (dst.size() > 0) {
            JCudaDriver.cuMemcpyHtoD(ptr(dst), Pointer.to(host), (long) dst.size() * Sizeof.FLOAT);
        }
    }

    @Override
    protected void doDownload(DeviceMatrix src, float[] host) {
        if (src.size() > 0) {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(host), ptr(src), (long) src.size() * Sizeof.FLOAT);
        }
    }

    @Override
    protected void doCopy(DeviceMatrix src, DeviceMatrix dst) {
        if (src.size() > 0) {
            JCudaDriver.cuMemcpyDtoD(ptr(dst), ptr(src), (long) src.size() * Sizeof.FLOAT);
        }
    }

    // ---- kernels --------------------------------------------------------------------------

    /** op(A) (m,k) · op(B) (k,n) -> C (m,n), on cuBLAS or the shared tiled kernel. */
    @Override
    protected void launchGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                              float beta, DeviceMatrix c) {
        gemm.gemm(transA, transB, c.rows(), c.cols(), transA.cols(a), alpha, a, b, beta, c, args());
    }

    @Override
    protected void launch1d(String name, int n, KernelArgs args) {
        module.launch1d(name, n, args);
    }

    @Override
    protected void buildCustom(CustomOp op) {
        custom.put(op.name(), new CudaModule(KernelSources.customElementwise(KernelSources.Dialect.CUDA, op.name(),
                op.deviceExpression()), null, device.major(), device.minor()));
    }

    @Override
    protected void launchCustom(String name, int n, KernelArgs args) {
        custom.get(name).launch1d("custom_" + name, n, args);
    }

    @Override
    protected void doFinish() {
        JCudaDriver.cuCtxSynchronize();
    }

    @Override
    protected void closeDevice() {
        gemm.close();
        custom.values().forEach(CudaModule::unload);
        module.unload();
        JCudaDriver.cuCtxDestroy(context);
    }

    static CUdeviceptr ptr(DeviceMatrix m) {
        return ((CudaMatrix) m).ptr;
    }
}
