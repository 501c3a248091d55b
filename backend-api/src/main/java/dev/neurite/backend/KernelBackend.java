package dev.neurite.backend;

/**
 * The ops every device backend runs the same way: one launch of a shared kernel (from the
 * {@code kernels} module) per op, with the same arguments whatever the device API. A device
 * backend supplies memory, the matrix multiply, custom ops and the three hooks below; what is
 * here is proven on every backend whose conformance run passes, the OpenCL one on pocl among them.
 */
public abstract class KernelBackend implements Backend {
    private final java.util.Map<String, String> customExpressions = new java.util.HashMap<>();

    /** Partial results of a reduction over the whole matrix: one a work-item of stage one. */
    protected static final int REDUCE_PARTS = 1024;
    private static final int BIN_ADD = 0;
    private static final int BIN_SUBTRACT = 1;
    private static final int BIN_MULTIPLY = 2;

    /** Checks the backend is open (naming {@code op} if not) and makes its context current. */
    protected abstract void enter(String op);

    /** The device handle of a matrix, as the launcher takes it. */
    protected abstract Object handle(DeviceMatrix m);

    /** Launches kernel {@code name} over n work-items; args are Integer, Float or device handles. */
    protected abstract void launch1d(String name, int n, Object... args);

    /** Device buffers of {@link #REDUCE_PARTS} floats and ints for whole-matrix reductions. */
    protected abstract Object partValues();

    /** The index buffer beside {@link #partValues()}, for {@code ARGMAX}. */
    protected abstract Object partIndices();

    /** Compiles the one-kernel program of a custom op (kernel {@code custom_NAME}) and keeps it. */
    protected abstract void buildCustom(CustomOp op);

    /** Launches the kernel of a custom op built before. */
    protected abstract void launchCustom(String name, int n, Object... args);

    /** Builds a custom op on first use; a second op under the same name must be the same expression. */
    @Override
    public void apply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(op.name(), this, x, y);
        enter(op.name());
        String built = customExpressions.get(op.name());
        if (built == null) {
            buildCustom(op);
            customExpressions.put(op.name(), op.deviceExpression());
        } else if (!built.equals(op.deviceExpression())) {
            throw new IllegalArgumentException("custom op '" + op.name() + "' was built as '" + built + "', not '"
                    + op.deviceExpression() + "'; give it another name");
        }
        launchCustom(op.name(), x.size(), x.size(), handle(x), handle(y));
    }

    @Override
    public void activationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape(f + " forward", this, x, y);
        enter(f + " forward");
        if (f.rowWise()) {
            launch1d("softmax_forward", x.rows(), x.rows(), x.cols(), handle(x), handle(y));
        } else {
            launch1d("activation_forward", x.size(), f.kind().ordinal(), f.param(), x.size(), handle(x), handle(y));
        }
    }

    @Override
    public void activationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy, DeviceMatrix dx) {
        Shapes.checkSameShape(f + " backward", this, x, y, dy, dx);
        enter(f + " backward");
        if (f.rowWise()) {
            launch1d("softmax_backward", x.rows(), x.rows(), x.cols(), handle(y), handle(dy), handle(dx));
        } else {
            launch1d("activation_backward", x.size(), f.kind().ordinal(), f.param(), x.size(), handle(x), handle(y),
                    handle(dy), handle(dx));
        }
    }

    @Override
    public void add(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("add", BIN_ADD, a, b, out);
    }

    @Override
    public void subtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("subtract", BIN_SUBTRACT, a, b, out);
    }

    @Override
    public void multiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        binary("multiply", BIN_MULTIPLY, a, b, out);
    }

    private void binary(String op, int code, DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        Shapes.checkSameShape(op, this, a, b, out);
        enter(op);
        launch1d("binary", out.size(), code, out.size(), handle(a), handle(b), handle(out));
    }

    @Override
    public void scale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkSameShape("scale", this, x, out);
        enter("scale");
        launch1d("scale", x.size(), x.size(), alpha, handle(x), handle(out));
    }

    @Override
    public void axpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkSameShape("axpy", this, x, y);
        enter("axpy");
        launch1d("axpy", x.size(), x.size(), alpha, handle(x), handle(y));
    }

    @Override
    public void addRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        Shapes.checkRowVector("addRowVector", this, x, bias, out);
        enter("addRowVector");
        launch1d("row_vector", x.size(), BIN_ADD, x.rows(), x.cols(), handle(x), handle(bias), handle(out));
    }

    @Override
    public void multiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        Shapes.checkRowVector("multiplyRowVector", this, x, v, out);
        enter("multiplyRowVector");
        launch1d("row_vector", x.size(), BIN_MULTIPLY, x.rows(), x.cols(), handle(x), handle(v), handle(out));
    }

    @Override
    public void bernoulli(float p, float value, long seed, DeviceMatrix out) {
        Shapes.usable("bernoulli", this, out);
        enter("bernoulli");
        launch1d("bernoulli", out.size(), out.size(), p, value, (int) seed, (int) (seed >>> 32), handle(out));
    }

    @Override
    public void im2col(Window w, DeviceMatrix x, DeviceMatrix cols) {
        Shapes.checkIm2col("im2col", this, w, x, cols);
        enter("im2col");
        launch1d("im2col", cols.size(), windowArgs(cols.size(), w, handle(x), handle(cols)));
    }

    @Override
    public void col2im(Window w, DeviceMatrix cols, DeviceMatrix x) {
        Shapes.checkIm2col("col2im", this, w, x, cols);
        enter("col2im");
        launch1d("col2im", x.size(), windowArgs(x.size(), w, handle(cols), handle(x)));
    }

    @Override
    public void poolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y) {
        Shapes.checkPool(p + " pool forward", this, w, x, y);
        enter("pool forward");
        launch1d("pool_forward", y.size(), windowArgs(p.ordinal(), y.size(), w, handle(x), handle(y)));
    }

    @Override
    public void poolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx) {
        Shapes.checkPool(p + " pool backward", this, w, x, dy);
        Shapes.checkSameShape(p + " pool backward", this, x, dx);
        enter("pool backward");
        launch1d("pool_backward", dx.size(), windowArgs(p.ordinal(), dx.size(), w, handle(x), handle(dy), handle(dx)));
    }

    /** The window kernels' arguments: the leading ones, then C, H, W, KH, KW, S, P, then the buffers. */
    private static Object[] windowArgs(Object... lead) {
        java.util.List<Object> args = new java.util.ArrayList<>();
        for (Object a : lead) {
            if (a instanceof Window w) {
                java.util.Collections.addAll(args, w.channels(), w.height(), w.width(), w.kernelHeight(),
                        w.kernelWidth(), w.stride(), w.padding());
            } else {
                args.add(a);
            }
        }
        return args.toArray();
    }

    @Override
    public void update(Update rule, DeviceMatrix theta, DeviceMatrix grad, DeviceMatrix s1, DeviceMatrix s2,
                       DeviceMatrix s3) {
        Shapes.checkSameShape("update " + rule.kind(), this, theta, grad, s1, s2, s3);
        enter("update");
        int n = theta.size();
        launch1d("optimizer_update", n, rule.kind().ordinal(), n, rule.lr(), rule.beta1(), rule.beta2(), rule.eps(),
                rule.c1(), rule.c2(), handle(theta), handle(grad), handle(s1), handle(s2), handle(s3));
    }

    @Override
    public void fill(DeviceMatrix x, float value) {
        Shapes.usable("fill", this, x);
        enter("fill");
        launch1d("fill", x.size(), x.size(), value, handle(x));
    }

    /**
     * Reductions: one work-item a row or a column; over all, {@link #REDUCE_PARTS} partial runs
     * then one work-item combining them in order (so ARGMAX keeps the first maximum).
     */
    @Override
    public void reduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        Shapes.checkReduce(this, op, axis, x, out);
        enter("reduce");
        int rows = x.rows();
        int cols = x.cols();
        switch (axis) {
            case ROW -> launch1d("reduce_rows", rows, op.ordinal(), rows, cols, handle(x), handle(out));
            case COLUMN -> launch1d("reduce_cols", cols, op.ordinal(), rows, cols, handle(x), handle(out));
            case ALL -> {
                int n = x.size();
                int parts = Math.max(1, Math.min(REDUCE_PARTS, n / 256));
                int chunk = (n + parts - 1) / parts;
                launch1d("reduce_partial", parts, op.ordinal(), n, chunk, parts, handle(x), partValues(), partIndices());
                launch1d("reduce_final", 1, op.ordinal(), n, parts, partValues(), partIndices(), handle(out));
            }
        }
    }

    /** Shapes-checked gemm prologue: true when the caller should launch, false when done here. */
    protected boolean gemmTrivial(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                                  float beta, DeviceMatrix c) {
        Shapes.checkGemm(this, transA, transB, a, b, c);
        enter("gemm");
        int k = transA.cols(a);
        if (c.rows() == 0 || c.cols() == 0) {
            return true;
        }
        if (k == 0 || alpha == 0f) {
            if (beta == 0f) {
                fill(c, 0f);
            } else {
                scale(beta, c, c);
            }
            return true;
        }
        return false;
    }
}
