package dev.neurite.backend;

import java.util.HashMap;
import java.util.Map;

/**
 * The ops every device backend runs the same way: one launch of a shared kernel (from the
 * {@code kernels} module) per op, with the same arguments whatever the device API. A device
 * backend supplies memory, the matrix multiply, custom ops and a launcher; what is here is proven
 * on every backend whose conformance run passes, the OpenCL one on pocl among them. Ops run one at
 * a time ({@link AbstractBackend.Memory#DEVICE}), so one {@link KernelArgs} serves every launch.
 */
public abstract class KernelBackend extends AbstractBackend {
    /** Partial results of a reduction over the whole matrix: one a work-item of stage one. */
    protected static final int REDUCE_PARTS = 1024;
    private static final int BIN_ADD = 0;
    private static final int BIN_SUBTRACT = 1;
    private static final int BIN_MULTIPLY = 2;

    private final Map<String, String> customExpressions = new HashMap<>();
    private final KernelArgs args = new KernelArgs();
    /** (1, REDUCE_PARTS) each, made on the first whole-matrix reduction; the indices are ints. */
    private DeviceMatrix partValues;
    private DeviceMatrix partIndices;

    protected KernelBackend() {
        super(Memory.DEVICE);
    }

    /** Launches kernel {@code name} over n work-items with {@code args}. */
    protected abstract void launch1d(String name, int n, KernelArgs args);

    /** C = alpha · op(A) · op(B) + beta · C with M, N, K ≥ 1 and alpha ≠ 0: op(A) (M,K) · op(B) (K,N) -> C (M,N). */
    protected abstract void launchGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a,
                                       DeviceMatrix b, float beta, DeviceMatrix c);

    /** Compiles the one-kernel program of a custom op (kernel {@code custom_NAME}) and keeps it. */
    protected abstract void buildCustom(CustomOp op);

    /** Launches the kernel of a custom op built before. */
    protected abstract void launchCustom(String name, int n, KernelArgs args);

    /** Releases the programs, queue and context, after every matrix is freed. */
    protected abstract void closeDevice();

    /** The argument list, emptied for the next launch. */
    protected final KernelArgs args() {
        return args.clear();
    }

    @Override
    protected final void doClose() {
        if (partValues != null) {
            // internal, never handed out nor counted: freed here directly
            partValues.release();
            partIndices.release();
        }
        closeDevice();
    }

    // ---- matrix multiply ------------------------------------------------------------------

    @Override
    protected final void doGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                                float beta, DeviceMatrix c) {
        if (!gemmWithoutProducts(transA.cols(a), alpha, beta, c)) {
            launchGemm(transA, transB, alpha, a, b, beta, c);
        }
    }

    /**
     * Handles the products that need no multiply: an empty C; and K = 0 or alpha = 0, where
     * C = beta · C (zeros when beta = 0, so that NaN in C does not survive). Returns true when
     * it handled the call, false when the caller must launch the multiply.
     */
    private boolean gemmWithoutProducts(int k, float alpha, float beta, DeviceMatrix c) {
        if (c.rows() == 0 || c.cols() == 0) {
            return true;
        }
        if (k == 0 || alpha == 0f) {
            if (beta == 0f) {
                doFill(c, 0f);
            } else {
                doScale(beta, c, c);
            }
            return true;
        }
        return false;
    }

    // ---- activations and custom ops --------------------------------------------------------

    @Override
    protected final void doActivationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        if (f.rowWise()) {
            launch1d("softmax_forward", x.rows(), args().addInt(x.rows()).addInt(x.cols()).addBuffer(x).addBuffer(y));
        } else {
            launch1d("activation_forward", x.size(), args().addInt(f.kind().ordinal()).addFloat(f.param())
                    .addInt(x.size()).addBuffer(x).addBuffer(y));
        }
    }

    @Override
    protected final void doActivationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy,
                                              DeviceMatrix dx) {
        if (f.rowWise()) {
            launch1d("softmax_backward", x.rows(), args().addInt(x.rows()).addInt(x.cols()).addBuffer(y)
                    .addBuffer(dy).addBuffer(dx));
        } else {
            launch1d("activation_backward", x.size(), args().addInt(f.kind().ordinal()).addFloat(f.param())
                    .addInt(x.size()).addBuffer(x).addBuffer(y).addBuffer(dy).addBuffer(dx));
        }
    }

    /** Builds a custom op on first use; a second op under the same name must be the same expression. */
    @Override
    protected final void doApply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
        String built = customExpressions.get(op.name());
        if (built == null) {
            buildCustom(op);
            customExpressions.put(op.name(), op.deviceExpression());
        } else if (!built.equals(op.deviceExpression())) {
            throw new IllegalArgumentException("custom op '" + op.name() + "' was built as '" + built + "', not '"
                    + op.deviceExpression() + "'; give it another name");
        }
        launchCustom(op.name(), x.size(), args().addInt(x.size()).addBuffer(x).addBuffer(y));
    }

    // ---- element-wise arithmetic -----------------------------------------------------------

    @Override
    protected final void doAdd(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary(BIN_ADD, a, b, out);
    }

    @Override
    protected final void doSubtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary(BIN_SUBTRACT, a, b, out);
    }

    @Override
    protected final void doMultiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary(BIN_MULTIPLY, a, b, out);
    }

    private void binary(int code, DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        launch1d("binary", out.size(), args().addInt(code).addInt(out.size()).addBuffer(a).addBuffer(b).addBuffer(out));
    }

    @Override
    protected final void doScale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        launch1d("scale", x.size(), args().addInt(x.size()).addFloat(alpha).addBuffer(x).addBuffer(out));
    }

    @Override
    protected final void doAxpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        launch1d("axpy", x.size(), args().addInt(x.size()).addFloat(alpha).addBuffer(x).addBuffer(y));
    }

    @Override
    protected final void doSign(DeviceMatrix x, DeviceMatrix out) {
        launch1d("signum", x.size(), args().addInt(x.size()).addBuffer(x).addBuffer(out));
    }

    @Override
    protected final void doInverseSqrt(float epsilon, DeviceMatrix x, DeviceMatrix out) {
        launch1d("inverse_sqrt", x.size(), args().addInt(x.size()).addFloat(epsilon).addBuffer(x).addBuffer(out));
    }

    @Override
    protected final void doAddRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        rowVector(BIN_ADD, x, bias, out);
    }

    @Override
    protected final void doMultiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        rowVector(BIN_MULTIPLY, x, v, out);
    }

    private void rowVector(int code, DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        launch1d("row_vector", x.size(), args().addInt(code).addInt(x.rows()).addInt(x.cols()).addBuffer(x)
                .addBuffer(v).addBuffer(out));
    }

    @Override
    protected final void doBernoulli(float p, float value, long seed, DeviceMatrix out) {
        launch1d("bernoulli", out.size(), args().addInt(out.size()).addFloat(p).addFloat(value).addInt((int) seed)
                .addInt((int) (seed >>> 32)).addBuffer(out));
    }

    @Override
    protected final void doUpdate(Update rule, float lr, float c1, float c2, DeviceMatrix theta, DeviceMatrix grad,
                                  DeviceMatrix s1, DeviceMatrix s2, DeviceMatrix s3) {
        int n = theta.size();
        launch1d("optimizer_update", n, args().addInt(rule.kind().ordinal()).addInt(n).addFloat(lr)
                .addFloat(rule.beta1()).addFloat(rule.beta2()).addFloat(rule.eps()).addFloat(c1)
                .addFloat(c2).addBuffer(theta).addBuffer(grad).addBuffer(s1).addBuffer(s2).addBuffer(s3));
    }

    @Override
    protected final void doFill(DeviceMatrix x, float value) {
        launch1d("fill", x.size(), args().addInt(x.size()).addFloat(value).addBuffer(x));
    }

    // ---- sliding windows: the leading numbers, the window (C, H, W, KH, KW, S, P), the buffers ----

    @Override
    protected final void doIm2col(Window w, DeviceMatrix x, DeviceMatrix cols) {
        launch1d("im2col", cols.size(), args().addInt(cols.size()).addWindow(w).addBuffer(x).addBuffer(cols));
    }

    @Override
    protected final void doCol2im(Window w, DeviceMatrix cols, DeviceMatrix x) {
        launch1d("col2im", x.size(), args().addInt(x.size()).addWindow(w).addBuffer(cols).addBuffer(x));
    }

    @Override
    protected final void doPoolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y) {
        launch1d("pool_forward", y.size(), args().addInt(p.ordinal()).addInt(y.size()).addWindow(w).addBuffer(x)
                .addBuffer(y));
    }

    @Override
    protected final void doPoolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx) {
        launch1d("pool_backward", dx.size(), args().addInt(p.ordinal()).addInt(dx.size()).addWindow(w).addBuffer(x)
                .addBuffer(dy).addBuffer(dx));
    }

    // ---- reductions ------------------------------------------------------------------------

    /**
     * Reductions: one work-item a row or a column; over all, {@link #REDUCE_PARTS} partial runs
     * then one work-item combining them in order (so ARGMAX keeps the first maximum).
     */
    @Override
    protected final void doReduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        int rows = x.rows();
        int cols = x.cols();
        switch (axis) {
            case ROW -> launch1d("reduce_rows", rows, args().addInt(op.ordinal()).addInt(rows).addInt(cols)
                    .addBuffer(x).addBuffer(out));
            case COLUMN -> launch1d("reduce_cols", cols, args().addInt(op.ordinal()).addInt(rows).addInt(cols)
                    .addBuffer(x).addBuffer(out));
            case ALL -> {
                if (partValues == null) {
                    partValues = doAllocate(1, REDUCE_PARTS);
                    partIndices = doAllocate(1, REDUCE_PARTS);
                }
                int n = x.size();
                int parts = Math.max(1, Math.min(REDUCE_PARTS, n / 256));
                int chunk = (n + parts - 1) / parts;
                launch1d("reduce_partial", parts, args().addInt(op.ordinal()).addInt(n).addInt(chunk).addInt(parts)
                        .addBuffer(x).addBuffer(partValues).addBuffer(partIndices));
                launch1d("reduce_final", 1, args().addInt(op.ordinal()).addInt(n).addInt(parts).addBuffer(partValues)
                        .addBuffer(partIndices).addBuffer(out));
            }
        }
    }
}
