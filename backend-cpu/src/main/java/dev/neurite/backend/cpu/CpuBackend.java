package dev.neurite.backend.cpu;

import dev.neurite.backend.AbstractBackend;
import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
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
 * split over the backend's own worker threads ({@link CpuParallel}). Small ops stay on the calling thread. Threads may
 * share it: ops keep no scratch between calls except the matrix multiply's, which is its own.
 */
public final class CpuBackend extends AbstractBackend {
    /** Window ops (memory moves) split across threads from this many floats touched. */
    private static final long WINDOW_MIN_WORK = 1 << 16;
    private final CpuParallel parallel;
    private final CpuGemm gemm;
    private final String gemmVariant;

    /** {@code gemmVariant}: one of {@link CpuBackendProvider#gemmVariants()}, planned for this machine. */
    CpuBackend(int threads, String gemmVariant) {
        super(Memory.HEAP);
        this.parallel = new CpuParallel(threads);
        this.gemm = new CpuGemm(parallel, CpuGemmPlan.forVariant(gemmVariant, CpuGemmKernels.V,
                CpuGemmPlan.registersFor(CpuGemmKernels.S.vectorBitSize()), CpuCaches.detect()));
        this.gemmVariant = gemmVariant;
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

    /** The matrix-multiply variant it was opened with ({@code cpu.gemm}). */
    public String gemmVariant() {
        return gemmVariant;
    }

    // ---- memory ---------------------------------------------------------------------------

    @Override
    protected DeviceMatrix doAllocate(int rows, int cols) {
        return new CpuMatrix(this, rows, cols);
    }

    @Override
    protected DeviceMatrix doView(DeviceMatrix m, int rows, int cols) {
        return new CpuMatrix(this, (CpuMatrix) m, rows, cols);
    }

    @Override
    protected void doUpload(float[] host, DeviceMatrix dst) {
        System.arraycopy(host, 0, data(dst), 0, dst.size());
    }

    /** Each row straight into the matrix: one copy. */
    @Override
    protected void doUploadRows(float[] table, int[] rows, int from, int to, DeviceMatrix dst) {
        Shapes.gatherRows(table, rows, from, to, dst.cols(), data(dst));
    }

    @Override
    protected void doDownload(DeviceMatrix src, float[] host) {
        System.arraycopy(data(src), 0, host, 0, src.size());
    }

    // ---- matrix multiply ------------------------------------------------------------------

    @Override
    protected void doGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                          float beta, DeviceMatrix c) {
        // op(A) (m,k) · op(B) (k,n) -> C (m,n)
        gemm.gemm(transA, transB, c.rows(), c.cols(), transA.cols(a), alpha, data(a), data(b), beta, data(c));
    }

    // ---- activations ----------------------------------------------------------------------

    @Override
    protected void doActivationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int cols = x.cols();
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS / 8;
        if (f.rowWise()) {
            if (parallel.inline(x.rows(), x.size(), min, 1)) {
                CpuActivations.softmaxForward(xs, ys, cols, 0, x.rows());
            } else {
                parallel.forArgs(x.rows(), x.size(), min, 1, CpuArgs.of(xs, ys).sizes(0, cols),
                        (q, r0, r1) -> CpuActivations.softmaxForward(q.a, q.b, q.cols, r0, r1));
            }
        } else if (parallel.inline(x.size(), x.size(), min, CpuGemmKernels.V)) {
            CpuActivations.forwardRange(f, xs, ys, 0, x.size());
        } else {
            parallel.forArgs(x.size(), x.size(), min, CpuGemmKernels.V, CpuArgs.of(xs, ys).op(f),
                    (q, from, to) -> CpuActivations.forwardRange((Activation) q.op, q.a, q.b, from, to));
        }
    }

    @Override
    protected void doActivationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy, DeviceMatrix dx) {
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
                parallel.forArgs(x.rows(), x.size(), min, 1, CpuArgs.of(ys, dys, dxs).sizes(0, cols),
                        (q, r0, r1) -> CpuActivations.softmaxBackward(q.a, q.b, q.c, q.cols, r0, r1));
            }
        } else if (parallel.inline(x.size(), x.size(), min, CpuGemmKernels.V)) {
            CpuActivations.backwardRange(f, xs, ys, dys, dxs, 0, x.size());
        } else {
            parallel.forArgs(x.size(), x.size(), min, CpuGemmKernels.V, CpuArgs.of(xs, ys, dys, dxs, null).op(f),
                    (q, from, to) -> CpuActivations.backwardRange((Activation) q.op, q.a, q.b, q.c, q.d, from, to));
        }
    }

    @Override
    protected void doApply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
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
    protected void doAdd(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        CpuArithmetic.add(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    protected void doSubtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        CpuArithmetic.subtract(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    protected void doMultiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        CpuArithmetic.multiply(parallel, data(a), data(b), data(out), out.size());
    }

    @Override
    protected void doScale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        CpuArithmetic.scale(parallel, alpha, data(x), data(out), out.size());
    }

    @Override
    protected void doAxpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        CpuArithmetic.axpy(parallel, alpha, data(x), data(y), y.size());
    }

    @Override
    protected void doSign(DeviceMatrix x, DeviceMatrix out) {
        CpuArithmetic.sign(parallel, data(x), data(out), x.size());
    }

    @Override
    protected void doInverseSqrt(float epsilon, DeviceMatrix x, DeviceMatrix out) {
        CpuArithmetic.inverseSqrt(parallel, epsilon, data(x), data(out), x.size());
    }

    @Override
    protected void doAddRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        CpuArithmetic.addRowVector(parallel, data(x), data(bias), data(out), x.rows(), x.cols());
    }

    @Override
    protected void doMultiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        CpuArithmetic.multiplyRowVector(parallel, data(x), data(v), data(out), x.rows(), x.cols());
    }

    @Override
    protected void doBernoulli(float p, float value, long seed, DeviceMatrix out) {
        float[] o = data(out);
        // operands in the thread's reused CpuArgs and a body that captures nothing: no garbage a step
        parallel.forArgs(o.length, o.length, CpuArithmetic.PARALLEL_MIN_ELEMENTS / 4, 1,
                CpuArgs.of(o, null).scalars(p, value).seed(seed),
                (q, from, to) -> CpuWindows.bernoulli(q.x, q.y, q.seed, q.a, from, to));
    }

    @Override
    protected void doUpdate(Update rule, float lr, float c1, float c2, DeviceMatrix theta, DeviceMatrix grad,
                            DeviceMatrix s1, DeviceMatrix s2, DeviceMatrix s3) {
        float[] t = data(theta);
        float[] g = data(grad);
        float[] a = data(s1);
        float[] b = data(s2);
        float[] c = data(s3);
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS / 4;
        if (parallel.inline(t.length, t.length, min, 1)) {
            CpuUpdates.step(rule, lr, c1, c2, t, g, a, b, c, 0, t.length);
        } else {
            parallel.forArgs(t.length, t.length, min, 1, CpuArgs.of(t, g, a, b, c).op(rule).scalars(lr, c1, c2),
                    (q, from, to) -> CpuUpdates.step((Update) q.op, q.x, q.y, q.z, q.a, q.b, q.c, q.d, q.e, from, to));
        }
    }

    @Override
    protected void doFill(DeviceMatrix x, float value) {
        java.util.Arrays.fill(data(x), value);
    }

    @Override
    protected void doCopy(DeviceMatrix src, DeviceMatrix dst) {
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    // ---- sliding windows ------------------------------------------------------------------

    @Override
    protected void doIm2col(Window w, DeviceMatrix x, DeviceMatrix cols) {
        float[] xs = data(x);
        float[] cs = data(cols);
        parallel.forArgs(x.rows(), cols.size(), WINDOW_MIN_WORK, 1, CpuArgs.of(xs, cs).window(w),
                (q, n0, n1) -> CpuWindows.im2col((Window) q.window, q.a, q.b, n0, n1));
    }

    @Override
    protected void doCol2im(Window w, DeviceMatrix cols, DeviceMatrix x) {
        float[] xs = data(x);
        float[] cs = data(cols);
        parallel.forArgs(x.rows(), cols.size(), WINDOW_MIN_WORK, 1, CpuArgs.of(cs, xs).window(w),
                (q, n0, n1) -> CpuWindows.col2im((Window) q.window, q.a, q.b, n0, n1));
    }

    @Override
    protected void doPoolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y) {
        float[] xs = data(x);
        float[] ys = data(y);
        long work = (long) y.size() * w.kernelHeight() * w.kernelWidth();
        parallel.forArgs(x.rows(), work, WINDOW_MIN_WORK, 1, CpuArgs.of(xs, ys).op(p).window(w),
                (q, n0, n1) -> CpuWindows.poolForward((Pooling) q.op, (Window) q.window, q.a, q.b, n0, n1));
    }

    @Override
    protected void doPoolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx) {
        float[] xs = data(x);
        float[] dys = data(dy);
        float[] dxs = data(dx);
        long work = (long) dy.size() * w.kernelHeight() * w.kernelWidth();
        parallel.forArgs(x.rows(), work, WINDOW_MIN_WORK, 1, CpuArgs.of(xs, dys, dxs).op(p).window(w),
                (q, n0, n1) -> CpuWindows.poolBackward((Pooling) q.op, (Window) q.window, q.a, q.b, q.c, n0, n1));
    }

    // ---- reductions -----------------------------------------------------------------------

    @Override
    protected void doReduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        CpuReductions.reduce(parallel, op, axis, data(x), x.rows(), x.cols(), data(out));
    }

    @Override
    protected void doClose() {
        parallel.close();
    }

    private static float[] data(DeviceMatrix m) {
        return ((CpuMatrix) m).data;
    }
}
