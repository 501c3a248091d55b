package dev.neurite.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The checks every backend makes, made once: each public op is final and, before it calls the
 * backend's {@code doX} hook, checks the backend is open, then the shapes ({@link Shapes}), and
 * that every matrix is open and owned here. So an op fails with the same message on every
 * backend, and a hook may assume its arguments are right.
 *
 * <p>The base also keeps the thread contract of {@link Backend} for device backends (their ops run
 * one at a time under one lock) and the matrices each backend still owns, which
 * {@link #close()} frees.
 */
public abstract class AbstractBackend implements Backend {
    private static final System.Logger LOG = System.getLogger("dev.neurite.backend");

    /** How a backend holds its matrices and runs its ops. */
    protected enum Memory {
        /**
         * Heap arrays (the CPU): a dropped matrix costs only heap, so the backend tracks its
         * matrices weakly and never keeps one alive; ops run concurrently, each with its own scratch.
         */
        HEAP,
        /**
         * Device memory, which only {@link DeviceMatrix#close()} or the backend's close frees: the
         * backend holds its matrices until then; ops, transfers and allocations run one at a time.
         */
        DEVICE
    }

    private final ReentrantLock lock;
    private final Set<DeviceMatrix> live;
    private volatile boolean closed;
    /** {@link #doUploadRows}'s gathered batch, reused. */
    private final Object stagingLock = new Object();
    private float[] staging = new float[0];

    protected AbstractBackend(Memory memory) {
        this.lock = memory == Memory.DEVICE ? new ReentrantLock() : null;
        this.live = Collections.newSetFromMap(memory == Memory.DEVICE ? new IdentityHashMap<>() : new WeakHashMap<>());
    }

    /**
     * Matrices allocated here and not yet closed (views not counted). On the heap backend,
     * matrices dropped without close stop counting once the garbage collector takes them.
     */
    public final int liveMatrices() {
        synchronized (live) {
            return live.size();
        }
    }

    public final boolean isClosed() {
        return closed;
    }

    // ---- entry and exit of every op --------------------------------------------------------

    /** Takes the device lock (device backends) and checks the backend is open, naming {@code op}. */
    private void enter(String op) {
        if (lock != null) {
            lock.lock();
        }
        if (closed) {
            exit();
            throw new IllegalStateException(op + ": the " + name() + " backend is closed");
        }
        try {
            onEnter();
        } catch (RuntimeException | Error e) {
            exit();
            throw e;
        }
    }

    private void exit() {
        if (lock != null) {
            lock.unlock();
        }
    }

    /** Runs as each op starts, in its lock: CUDA makes its context current on the calling thread. */
    protected void onEnter() {
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public final DeviceMatrix allocate(int rows, int cols) {
        enter("allocate");
        try {
            if (rows < 0 || cols < 0) {
                throw new IllegalArgumentException("allocate: matrix shape must be non-negative, got " + rows + "x" + cols);
            }
            if ((long) rows * cols > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("allocate: a " + rows + "x" + cols + " matrix has more than "
                        + Integer.MAX_VALUE + " elements");
            }
            DeviceMatrix m = doAllocate(rows, cols);
            synchronized (live) {
                live.add(m);
            }
            return m;
        } finally {
            exit();
        }
    }

    /** Allocates and uploads; a wrong host length frees the new matrix before it throws. */
    @Override
    public final DeviceMatrix upload(float[] host, int rows, int cols) {
        DeviceMatrix m = allocate(rows, cols);
        try {
            upload(host, m);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public final DeviceMatrix view(DeviceMatrix m, int rows, int cols) {
        enter("view");
        try {
            Shapes.checkView(this, m, rows, cols);
            return doView(m, rows, cols);
        } finally {
            exit();
        }
    }

    @Override
    public final void upload(float[] host, DeviceMatrix dst) {
        enter("upload");
        try {
            Shapes.checkHost("upload", this, dst, host, true);
            doUpload(host, dst);
        } finally {
            exit();
        }
    }

    @Override
    public final void uploadRows(float[] table, int[] rows, int from, int to, DeviceMatrix dst) {
        enter("uploadRows");
        try {
            Shapes.checkRows("uploadRows", this, dst, table, rows, from, to);
            doUploadRows(table, rows, from, to, dst);
        } finally {
            exit();
        }
    }

    @Override
    public final void download(DeviceMatrix src, float[] host) {
        enter("download");
        try {
            Shapes.checkHost("download", this, src, host, false);
            doDownload(src, host);
        } finally {
            exit();
        }
    }

    /**
     * Called by {@link DeviceMatrix#close()} and by {@link #close()}: frees {@code m} in the
     * device's turn, once, by whichever call takes it out of the live set first (so a matrix closed
     * on one thread while another closes the backend is freed once, before the device goes).
     */
    final void free(DeviceMatrix m) {
        if (lock != null) {
            lock.lock();
        }
        try {
            boolean live;
            synchronized (this.live) {
                live = this.live.remove(m);
            }
            if (live) {
                m.release();
            }
        } finally {
            exit();
        }
    }

    /** A new zero-filled rows x cols matrix (shape checked, rows·cols fits an int). */
    protected abstract DeviceMatrix doAllocate(int rows, int cols);

    /** {@code m}'s memory as rows x cols (same size, checked). */
    protected abstract DeviceMatrix doView(DeviceMatrix m, int rows, int cols);

    /** host (length dst.size()) -> dst. */
    protected abstract void doUpload(float[] host, DeviceMatrix dst);

    /** src -> host (length at least src.size()). */
    protected abstract void doDownload(DeviceMatrix src, float[] host);

    /**
     * dst (n, cols) = rows rows[from..to) of table, checked. This default gathers into a staging
     * array the backend keeps (the largest batch's worth) and uploads it with {@link #doUpload},
     * which reads the first dst.size() floats and must have finished reading them when it
     * returns; a backend that can write rows in place overrides it.
     */
    protected void doUploadRows(float[] table, int[] rows, int from, int to, DeviceMatrix dst) {
        synchronized (stagingLock) {
            // the largest batch so far: a last, shorter batch of an epoch reuses it
            if (staging.length < dst.size()) {
                staging = new float[dst.size()];
            }
            Shapes.gatherRows(table, rows, from, to, dst.cols(), staging);
            doUpload(staging, dst);
        }
    }

    // ---- matrix multiply -----------------------------------------------------------------

    @Override
    public final void gemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                           float beta, DeviceMatrix c) {
        enter("gemm");
        try {
            Shapes.checkGemm(this, transA, transB, a, b, c);
            doGemm(transA, transB, alpha, a, b, beta, c);
        } finally {
            exit();
        }
    }

    /** C = alpha · op(A) · op(B) + beta · C: op(A) (M,K) · op(B) (K,N) -> C (M,N), checked, C distinct. */
    protected abstract void doGemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
                                   float beta, DeviceMatrix c);

    // ---- activations and custom ops --------------------------------------------------------

    /**
     * "f forward" (which 0) or "f backward" (1), made once per activation: the name is built on
     * every call of a training step, where a new string each time was most of its garbage.
     */
    private static String opName(Activation f, int which) {
        return ACTIVATION_NAMES.computeIfAbsent(f, a -> new String[] {a + " forward", a + " backward"})[which];
    }

    private static final ConcurrentHashMap<Activation, String[]> ACTIVATION_NAMES = new ConcurrentHashMap<>();

    private static final String[][] POOL_NAMES = Arrays.stream(Pooling.values())
            .map(p -> new String[] {p + " pool forward", p + " pool backward"}).toArray(String[][]::new);

    private static final String[] UPDATE_NAMES = Arrays.stream(Update.Kind.values()).map(k -> "update " + k)
            .toArray(String[]::new);

    @Override
    public final void activationForward(Activation f, DeviceMatrix x, DeviceMatrix y) {
        String op = opName(f, 0);
        enter(op);
        try {
            Shapes.checkSameShape(op, this, x, y);
            doActivationForward(f, x, y);
        } finally {
            exit();
        }
    }

    @Override
    public final void activationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy,
                                         DeviceMatrix dx) {
        String op = opName(f, 1);
        enter(op);
        try {
            Shapes.checkSameShape(op, this, x, y, dy, dx);
            doActivationBackward(f, x, y, dy, dx);
        } finally {
            exit();
        }
    }

    @Override
    public final void apply(CustomOp op, DeviceMatrix x, DeviceMatrix y) {
        enter(op.name());
        try {
            Shapes.checkSameShape(op.name(), this, x, y);
            doApply(op, x, y);
        } finally {
            exit();
        }
    }

    /** y = f(x): x, y (m,n). */
    protected abstract void doActivationForward(Activation f, DeviceMatrix x, DeviceMatrix y);

    /** dx = f'(x) ⊙ dy: x, y, dy, dx (m,n). */
    protected abstract void doActivationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy,
                                                 DeviceMatrix dx);

    /** y = op(x): x, y (m,n). */
    protected abstract void doApply(CustomOp op, DeviceMatrix x, DeviceMatrix y);

    // ---- element-wise arithmetic -----------------------------------------------------------

    @Override
    public final void add(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        enter("add");
        try {
            Shapes.checkSameShape("add", this, a, b, out);
            doAdd(a, b, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void subtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        enter("subtract");
        try {
            Shapes.checkSameShape("subtract", this, a, b, out);
            doSubtract(a, b, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void multiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out) {
        enter("multiply");
        try {
            Shapes.checkSameShape("multiply", this, a, b, out);
            doMultiply(a, b, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void scale(float alpha, DeviceMatrix x, DeviceMatrix out) {
        enter("scale");
        try {
            Shapes.checkSameShape("scale", this, x, out);
            doScale(alpha, x, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void axpy(float alpha, DeviceMatrix x, DeviceMatrix y) {
        enter("axpy");
        try {
            Shapes.checkSameShape("axpy", this, x, y);
            doAxpy(alpha, x, y);
        } finally {
            exit();
        }
    }

    @Override
    public final void sign(DeviceMatrix x, DeviceMatrix out) {
        enter("sign");
        try {
            Shapes.checkSameShape("sign", this, x, out);
            doSign(x, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void inverseSqrt(float epsilon, DeviceMatrix x, DeviceMatrix out) {
        enter("inverseSqrt");
        try {
            Shapes.checkSameShape("inverseSqrt", this, x, out);
            doInverseSqrt(epsilon, x, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void addRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        enter("addRowVector");
        try {
            Shapes.checkRowVector("addRowVector", this, x, bias, out);
            doAddRowVector(x, bias, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void multiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out) {
        enter("multiplyRowVector");
        try {
            Shapes.checkRowVector("multiplyRowVector", this, x, v, out);
            doMultiplyRowVector(x, v, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void bernoulli(float p, float value, long seed, DeviceMatrix out) {
        enter("bernoulli");
        try {
            Shapes.usable("bernoulli", this, out);
            doBernoulli(p, value, seed, out);
        } finally {
            exit();
        }
    }

    @Override
    public final void update(Update rule, float lr, int t, DeviceMatrix theta, DeviceMatrix grad, DeviceMatrix s1,
                             DeviceMatrix s2, DeviceMatrix s3) {
        enter("update");
        try {
            String op = UPDATE_NAMES[rule.kind().ordinal()];
            if (t < 1) {
                throw new IllegalArgumentException(op + ": step count t must be at least 1, got " + t);
            }
            Shapes.checkSameShape(op, this, theta, grad, s1, s2, s3);
            doUpdate(rule, lr, rule.c1(t), rule.c2(t), theta, grad, s1, s2, s3);
        } finally {
            exit();
        }
    }

    @Override
    public final void fill(DeviceMatrix x, float value) {
        enter("fill");
        try {
            Shapes.usable("fill", this, x);
            doFill(x, value);
        } finally {
            exit();
        }
    }

    @Override
    public final void copy(DeviceMatrix src, DeviceMatrix dst) {
        enter("copy");
        try {
            Shapes.checkSameShape("copy", this, src, dst);
            doCopy(src, dst);
        } finally {
            exit();
        }
    }

    /** out = a + b: all (m,n). */
    protected abstract void doAdd(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = a - b: all (m,n). */
    protected abstract void doSubtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = a ⊙ b: all (m,n). */
    protected abstract void doMultiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = alpha · x: both (m,n). */
    protected abstract void doScale(float alpha, DeviceMatrix x, DeviceMatrix out);

    /** y = alpha · x + y: both (m,n). */
    protected abstract void doAxpy(float alpha, DeviceMatrix x, DeviceMatrix y);

    /** out = sign(x): both (m,n). */
    protected abstract void doSign(DeviceMatrix x, DeviceMatrix out);

    /** out = 1 / √(x + ε): both (m,n). */
    protected abstract void doInverseSqrt(float epsilon, DeviceMatrix x, DeviceMatrix out);

    /** out = x + bias broadcast down the rows: x (m,n), bias (1,n) -> out (m,n). */
    protected abstract void doAddRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out);

    /** out = x ⊙ v broadcast down the rows: x (m,n), v (1,n) -> out (m,n). */
    protected abstract void doMultiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out);

    /** {@code out_i = u_i < p ? value : 0} with u_i = hash(seed, i) in [0, 1). */
    protected abstract void doBernoulli(float p, float value, long seed, DeviceMatrix out);

    /**
     * One fused optimizer step with learning rate {@code lr} and bias corrections c1, c2 (those
     * of the step count, computed here once a call): θ, g, s1, s2, s3 (m,n).
     */
    protected abstract void doUpdate(Update rule, float lr, float c1, float c2, DeviceMatrix theta, DeviceMatrix grad,
                                     DeviceMatrix s1, DeviceMatrix s2, DeviceMatrix s3);

    /** x = value. */
    protected abstract void doFill(DeviceMatrix x, float value);

    /** dst = src: both (m,n). */
    protected abstract void doCopy(DeviceMatrix src, DeviceMatrix dst);

    // ---- sliding windows ------------------------------------------------------------------

    @Override
    public final void im2col(Window w, DeviceMatrix x, DeviceMatrix cols) {
        enter("im2col");
        try {
            Shapes.checkIm2col("im2col", this, w, x, cols);
            doIm2col(w, x, cols);
        } finally {
            exit();
        }
    }

    @Override
    public final void col2im(Window w, DeviceMatrix cols, DeviceMatrix x) {
        enter("col2im");
        try {
            Shapes.checkIm2col("col2im", this, w, x, cols);
            doCol2im(w, cols, x);
        } finally {
            exit();
        }
    }

    @Override
    public final void poolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y) {
        enter("pool forward");
        try {
            Shapes.checkPool(POOL_NAMES[p.ordinal()][0], this, w, x, y);
            doPoolForward(p, w, x, y);
        } finally {
            exit();
        }
    }

    @Override
    public final void poolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx) {
        enter("pool backward");
        try {
            Shapes.checkPool(POOL_NAMES[p.ordinal()][1], this, w, x, dy);
            Shapes.checkSameShape(POOL_NAMES[p.ordinal()][1], this, x, dx);
            doPoolBackward(p, w, x, dy, dx);
        } finally {
            exit();
        }
    }

    /** x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C). */
    protected abstract void doIm2col(Window w, DeviceMatrix x, DeviceMatrix cols);

    /** cols (N·OH·OW, KH·KW·C) -> x (N, H·W·C), overwritten. */
    protected abstract void doCol2im(Window w, DeviceMatrix cols, DeviceMatrix x);

    /** x (N, H·W·C) -> y (N, OH·OW·C). */
    protected abstract void doPoolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y);

    /** x (N, H·W·C), dy (N, OH·OW·C) -> dx (N, H·W·C), overwritten. */
    protected abstract void doPoolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx);

    // ---- reductions, finish, close ---------------------------------------------------------

    @Override
    public final void reduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        enter("reduce");
        try {
            Shapes.checkReduce(this, op, axis, x, out);
            doReduce(op, axis, x, out);
        } finally {
            exit();
        }
    }

    /** x (m,n) -> out (m,1), (1,n) or (1,1) along {@code axis}. */
    protected abstract void doReduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out);

    @Override
    public final void finish() {
        enter("finish");
        try {
            doFinish();
        } finally {
            exit();
        }
    }

    /** Waits for the work queued so far; nothing to wait for on a synchronous backend. */
    protected void doFinish() {
    }

    /**
     * Waits for queued work, frees every matrix still open (logging at DEBUG how many), then
     * releases the device through {@link #doClose()}; a second call does nothing.
     */
    @Override
    public final void close() {
        if (lock != null) {
            lock.lock();
        }
        try {
            if (closed) {
                return;
            }
            onEnter();
            doFinish();
            closed = true;
            List<DeviceMatrix> open;
            synchronized (live) {
                open = new ArrayList<>(live);
            }
            for (DeviceMatrix m : open) {
                m.close();
                free(m);
            }
            if (!open.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: closing the backend freed {1} matrices still open",
                        name(), open.size());
            }
            doClose();
        } finally {
            exit();
        }
    }

    /** Releases the device, its queue and threads, after every matrix is freed. */
    protected abstract void doClose();
}
