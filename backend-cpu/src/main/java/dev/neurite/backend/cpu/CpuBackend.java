package dev.neurite.backend.cpu;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Shapes;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Update;
import dev.neurite.backend.Window;

/**
 * The CPU backend: matrices are heap float arrays, ops are Vector API loops, and large ops
 * split over the backend's own ForkJoinPool. Small ops stay on the calling thread.
 */
public final class CpuBackend implements Backend {
    /** Window ops (memory moves) split across threads from this many floats touched. */
    private static final long WINDOW_MIN_WORK = 1 << 16;
    private final CpuParallel parallel;
    private final CpuGemm gemm;
    private boolean closed;

    CpuBackend(int threads) {
        this.parallel = new CpuParallel(threads);
        this.gemm = new CpuGemm(parallel);
    }

    static String describe(int threads) {
        return "Java " + Runtime.version().feature() + " Vector API, " + CpuGemmKernels.S.vectorBitSize()
                + "-bit vectors (" + CpuGemmKernels.V + " floats), " + threads + " thread(s)";
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return describe(parallel.threads()) + "; " + gemm.plan().describe();
    }

    /** Threads in the backend's pool. */
    public int threads() {
        return parallel.threads();
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    public DeviceMatrix allocate(int rows, int cols) {
        checkOpen("allocate");
        return new CpuMatrix(this, rows, cols);
    }

    @Override
    public DeviceMatrix view(DeviceMatrix m, int rows, int cols) {
        Shapes.checkView(this, m, rows, cols);
        return new CpuMatrix(this, (CpuMatrix) m, rows, cols);
    }

    @Override
    public void upload(float[] host, DeviceMatrix dst) {
        Shapes.checkHost("upload", this, dst, host, true);
        checkOpen("upload");
        System.arraycopy(host, 0, data(dst), 0, dst.size());
    }

    @Override
    public void download(DeviceMatrix src, float[] host) {
        Shapes.checkHost("download", this, src, host, false);
        checkOpen("download");
        System.arraycopy(data(src), 0, host, 0, src.size());
    }

    // ---- matrix multiply ------------------------------------------------------------------

    @Override
    public void gemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                     float beta, DeviceMatrix c) {
        Shapes.checkGemm(this, transA, transB, a, b, c);
        checkOpen("gemm");
        // op(A) (m,k) · op(B) (k,n) -> C (m,n)
        gemm.gemm(transA, transB, c.rows(), c.cols(), transA.cols(a), alpha, data(a), data(b), beta, data(c));
    }

    // ---- activations ----------------------------------------------------------------------

    @Override
    public void activationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(f + " forward", this, x, y);
        checkOpen(f + " forward");
        float[] xs = data(x);
        float[] ys = data(y);
        int cols = x.cols();
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS / 8;
        if (f.rowWise()) {
            if (parallel.inline(x.rows(), x.size(), min, 1)) {
                CpuActivations.softmaxForward(xs, ys, cols, 0, x.rows());
            } else {
                parallel.forRange(x.rows(), x.size(), min, 1, (r0, r1) -> CpuActivations.softmaxForward(xs, ys, cols, r0, r1));
            }
        } else if (parallel.inline(x.size(), x.size(), min, CpuGemmKernels.V)) {
            CpuActivations.forwardRange(f, xs, ys, 0, x.size());
        } else {
            parallel.forRange(x.size(), x.size(), min, CpuGemmKernels.V,
                    (from, to) -> CpuActivations.forwardRange(f, xs, ys, from, to));
        }
    }

    @Override
    public void activationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy, DeviceMatrix dx) {
        Shapes.checkSameShape(f + " backward", this, x, y, dy, dx);
        checkOpen(f + " backward");
        float[] xs = data(x);
        float[] ys = data(y);
        float[] dys = data(dy);
        float[] dxs = data(dx);
        int cols = x.cols();
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS / 8;
        if (f.rowWise()) {
            if (parallel.inline(x.rows(), x.size(), min, 1)) {
                CpuActivations.softmaxBackward(ys, dys, dxs, cols, 0, x.rows());
            } else {
                parallel.forRange(x.rows(), x.size(), min, 1,
                        (r0, r1) -> CpuActivations.softmaxBackward(ys, dys, dxs, cols, r0, r1));
            }
        } else if (parallel.inline(x.size(), x.size(), min, CpuGemmKernels.V)) {
            CpuActivations.backwardRange(f, xs, ys, dys, dxs, 0, x.size());
        } else {
            parallel.forRange(x.size(), x.size(), min, CpuGemmKernels.V,
                    (from, to) -> CpuActivations.backwardRange(f, xs, ys, dys, dxs, from, to));
        }
    }

    @Override
    public void apply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(op.name(), this, x, y);
        checkOpen(op.name());
        float[] xs = data(x);
        float[] ys = data(y);
        CustomOp.Function f = op.function();
        parallel.forRange(x.size(), x.size(), CpuArithmetic.PARALLEL_MIN_ELEMENTS / 8, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                ys[i] = f.apply(xs[i]);
            }
        });
    }

    // ---- element-wise arithmetic ----------------------------------------------------------

    @Override
    public void add(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        Shapes.checkSameShape("add", this, a, b, out);
        checkOpen("add");
        CpuArithmetic.add(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    public void subtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        Shapes.checkSameShape("subtract", this, a, b, out);
        checkOpen("subtract");
        CpuArithmetic.subtract(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    public void multiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        Shapes.checkSameShape("multiply", this, a, b, out);
        checkOpen("multiply");
        CpuArithmetic.multiply(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    public void scale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkSameShape("scale", this, x, out);
        checkOpen("scale");
        CpuArithmetic.scale(parallel, alpha, data(x), data(out), out.size());
    }

    @Override
    public void axpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape("axpy", this, x, y);
        checkOpen("axpy");
        CpuArithmetic.axpy(parallel, alpha, data(x), data(y), y.size());
    }

    @Override
    public void addRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        Shapes.checkRowVector("addRowVector", this, x, bias, out);
        checkOpen("addRowVector");
        CpuArithmetic.addRowVector(parallel, data(x), data(bias), data(out), x.rows(), x.cols());
    }

    @Override
    public void multiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        Shapes.checkRowVector("multiplyRowVector", this, x, v, out);
        checkOpen("multiplyRowVector");
        CpuArithmetic.multiplyRowVector(parallel, data(x), data(v), data(out), x.rows(), x.cols());
    }

    @Override
    public void bernoulli(float p, float value, long seed, DeviceMatrix out) {
        Shapes.usable("bernoulli", this, out);
        checkOpen("bernoulli");
        float[] o = data(out);
        parallel.forRange(o.length, o.length, CpuArithmetic.PARALLEL_MIN_ELEMENTS / 4, 1,
                (from, to) -> CpuWindows.bernoulli(p, value, seed, o, from, to));
    }

    @Override
    public void update(Update rule, DeviceMatrix theta, DeviceMatrix grad, DeviceMatrix s1, DeviceMatrix s2,
                       DeviceMatrix s3) {
        Shapes.checkSameShape("update " + rule.kind(), this, theta, grad, s1, s2, s3);
        checkOpen("update");
        float[] t = data(theta);
        float[] g = data(grad);
        float[] a = data(s1);
        float[] b = data(s2);
        float[] c = data(s3);
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS / 4;
        if (parallel.inline(t.length, t.length, min, 1)) {
            CpuUpdates.step(rule, t, g, a, b, c, 0, t.length);
        } else {
            parallel.forRange(t.length, t.length, min, 1, (from, to) -> CpuUpdates.step(rule, t, g, a, b, c, from, to));
        }
    }

    @Override
    public void fill(DeviceMatrix x, float value) {
        Shapes.usable("fill", this, x);
        checkOpen("fill");
        java.util.Arrays.fill(data(x), value);
    }

    @Override
    public void copy(DeviceMatrix src, DeviceMatrix dst) {
        Shapes.checkSameShape("copy", this, src, dst);
        checkOpen("copy");
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    // ---- sliding windows ------------------------------------------------------------------

    @Override
    public void im2col(Window w, DeviceMatrix x, DeviceMatrix cols) {
        Shapes.checkIm2col("im2col", this, w, x, cols);
        checkOpen("im2col");
        float[] xs = data(x);
        float[] cs = data(cols);
        parallel.forRange(x.rows(), cols.size(), WINDOW_MIN_WORK, 1, (n0, n1) -> CpuWindows.im2col(w, xs, cs, n0, n1));
    }

    @Override
    public void col2im(Window w, DeviceMatrix cols, DeviceMatrix x) {
        Shapes.checkIm2col("col2im", this, w, x, cols);
        checkOpen("col2im");
        float[] xs = data(x);
        float[] cs = data(cols);
        parallel.forRange(x.rows(), cols.size(), WINDOW_MIN_WORK, 1, (n0, n1) -> CpuWindows.col2im(w, cs, xs, n0, n1));
    }

    @Override
    public void poolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkPool(p + " pool forward", this, w, x, y);
        checkOpen("pool forward");
        float[] xs = data(x);
        float[] ys = data(y);
        long work = (long) y.size() * w.kernelHeight() * w.kernelWidth();
        parallel.forRange(x.rows(), work, WINDOW_MIN_WORK, 1, (n0, n1) -> CpuWindows.poolForward(p, w, xs, ys, n0, n1));
    }

    @Override
    public void poolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx) {
        Shapes.checkPool(p + " pool backward", this, w, x, dy);
        Shapes.checkSameShape(p + " pool backward", this, x, dx);
        checkOpen("pool backward");
        float[] xs = data(x);
        float[] dys = data(dy);
        float[] dxs = data(dx);
        long work = (long) dy.size() * w.kernelHeight() * w.kernelWidth();
        parallel.forRange(x.rows(), work, WINDOW_MIN_WORK, 1,
                (n0, n1) -> CpuWindows.poolBackward(p, w, xs, dys, dxs, n0, n1));
    }

    // ---- reductions -----------------------------------------------------------------------

    @Override
    public void reduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkReduce(this, op, axis, x, out);
        checkOpen("reduce");
        CpuReductions.reduce(parallel, op, axis, data(x), x.rows(), x.cols(), data(out));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parallel.close();
        }
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the cpu backend is closed");
        }
    }

    private static float[] data(DeviceMatrix m) {
        return ((CpuMatrix) m).data;
    }
}
