package dev.neurite.backend.cuda;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.DeviceMemoryException;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Shapes;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Update;
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
public final class CudaBackend implements Backend {
    private static final int REDUCE_PARTS = 1024;

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final CudaModule module;
    private final CudaGemm gemm;
    private final CUdeviceptr partValues = new CUdeviceptr();
    private final CUdeviceptr partIndices = new CUdeviceptr();
    private final Map<String, CudaModule> custom = new HashMap<>();
    private final Map<String, String> customExpressions = new HashMap<>();
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

    private void enter(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the cuda backend is closed");
        }
        makeCurrent();
    }

    // ---- memory ---------------------------------------------------------------------------

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
        Shapes.checkGemm(this, transA, transB, a, b, c);
        enter("gemm");
        // op(A) (m,k) · op(B) (k,n) -> C (m,n)
        int m = c.rows();
        int n = c.cols();
        int k = transA.cols(a);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            if (beta == 0f) {
                fill(c, 0f);
            } else {
                scale(beta, c, c);
            }
            return;
        }
        gemm.gemm(transA, transB, m, n, k, alpha, ptr(a), ptr(b), beta, ptr(c));
    }

    // ---- activations ----------------------------------------------------------------------

    @Override
    public void activationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(f + " forward", this, x, y);
        enter(f + " forward");
        if (f.rowWise()) {
            module.launch1d("softmax_forward", x.rows(), x.rows(), x.cols(), ptr(x), ptr(y));
        } else {
            module.launch1d("activation_forward", x.size(), f.kind().ordinal(), f.param(), x.size(), ptr(x), ptr(y));
        }
    }

    @Override
    public void activationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy, DeviceMatrix dx) {
        Shapes.checkSameShape(f + " backward", this, x, y, dy, dx);
        enter(f + " backward");
        if (f.rowWise()) {
            module.launch1d("softmax_backward", x.rows(), x.rows(), x.cols(), ptr(y), ptr(dy), ptr(dx));
        } else {
            module.launch1d("activation_backward", x.size(), f.kind().ordinal(), f.param(), x.size(), ptr(x), ptr(y),
                    ptr(dy), ptr(dx));
        }
    }

    @Override
    public void apply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(op.name(), this, x, y);
        enter(op.name());
        CudaModule m = custom.get(op.name());
        if (m == null) {
            m = new CudaModule(KernelSources.customElementwise(KernelSources.Dialect.CUDA, op.name(),
                    op.deviceExpression()), null, device.major(), device.minor());
            custom.put(op.name(), m);
            customExpressions.put(op.name(), op.deviceExpression());
        } else if (!customExpressions.get(op.name()).equals(op.deviceExpression())) {
            throw new IllegalArgumentException("custom op '" + op.name() + "' was built as '"
                    + customExpressions.get(op.name()) + "', not '" + op.deviceExpression() + "'; give it another name");
        }
        m.launch1d("custom_" + op.name(), x.size(), x.size(), ptr(x), ptr(y));
    }

    // ---- element-wise arithmetic ----------------------------------------------------------

    @Override
    public void add(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("add", 0, a, b, out);
    }

    @Override
    public void subtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("subtract", 1, a, b, out);
    }

    @Override
    public void multiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("multiply", 2, a, b, out);
    }

    private void binary(String op, int code, DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        Shapes.checkSameShape(op, this, a, b, out);
        enter(op);
        module.launch1d("binary", out.size(), code, out.size(), ptr(a), ptr(b), ptr(out));
    }

    @Override
    public void scale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkSameShape("scale", this, x, out);
        enter("scale");
        module.launch1d("scale", x.size(), x.size(), alpha, ptr(x), ptr(out));
    }

    @Override
    public void axpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape("axpy", this, x, y);
        enter("axpy");
        module.launch1d("axpy", x.size(), x.size(), alpha, ptr(x), ptr(y));
    }

    @Override
    public void addRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        Shapes.checkRowVector("addRowVector", this, x, bias, out);
        enter("addRowVector");
        module.launch1d("add_row_vector", x.size(), x.rows(), x.cols(), ptr(x), ptr(bias), ptr(out));
    }

    @Override
    public void update(Update rule, DeviceMatrix theta, DeviceMatrix grad, DeviceMatrix s1, DeviceMatrix s2,
                       DeviceMatrix s3) {
        Shapes.checkSameShape("update " + rule.kind(), this, theta, grad, s1, s2, s3);
        enter("update");
        int n = theta.size();
        module.launch1d("optimizer_update", n, rule.kind().ordinal(), n, rule.lr(), rule.beta1(), rule.beta2(),
                rule.eps(), rule.c1(), rule.c2(), ptr(theta), ptr(grad), ptr(s1), ptr(s2), ptr(s3));
    }

    @Override
    public void fill(DeviceMatrix x, float value) {
        Shapes.usable("fill", this, x);
        enter("fill");
        module.launch1d("fill", x.size(), x.size(), value, ptr(x));
    }

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
    public void reduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkReduce(this, op, axis, x, out);
        enter("reduce");
        int rows = x.rows();
        int cols = x.cols();
        switch (axis) {
            case ROW -> module.launch1d("reduce_rows", rows, op.ordinal(), rows, cols, ptr(x), ptr(out));
            case COLUMN -> module.launch1d("reduce_cols", cols, op.ordinal(), rows, cols, ptr(x), ptr(out));
            case ALL -> {
                int n = x.size();
                int parts = Math.max(1, Math.min(REDUCE_PARTS, n / 256));
                int chunk = (n + parts - 1) / parts;
                module.launch1d("reduce_partial", parts, op.ordinal(), n, chunk, parts, ptr(x), partValues, partIndices);
                module.launch1d("reduce_final", 1, op.ordinal(), n, parts, partValues, partIndices, ptr(out));
            }
        }
    }

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

    private static CUdeviceptr ptr(DeviceMatrix m) {
        return ((CudaMatrix) m).ptr;
    }
}
