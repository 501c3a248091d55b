package dev.neurite.backend;

/**
 * One opened compute device and the ops it runs on {@link DeviceMatrix} handles it owns.
 * Every op checks shapes first and throws {@link IllegalArgumentException} naming the op and the
 * shapes; a closed matrix or backend throws {@link IllegalStateException}. Outputs may alias
 * inputs only where an op says so. Backends extend {@link AbstractBackend}, which makes those
 * checks once for all of them.
 *
 * <p><b>Threads.</b> A backend is safe to share between threads: ops may be called from any
 * number of threads at once, and each gives the result it gives when called alone. The CPU
 * backend runs concurrent ops side by side, each with scratch of its own; the device backends
 * serialize them (one op's launch, or one upload, download, allocation or close, at a time) on
 * their in-order queue. What the backend does not order is the data: two threads that write the
 * same matrix, or one that reads a matrix another writes, need the caller's own synchronization,
 * as with any shared array. {@link #close()} must come after every other thread's last op.
 */
public interface Backend extends AutoCloseable {

    /** The provider name: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** The device in words, for logs and {@code neurite backends}. */
    String device();

    // ---- memory -------------------------------------------------------------------------

    /** A new zero-filled rows x cols matrix on the device. */
    DeviceMatrix allocate(int rows, int cols);

    /** A new rows x cols matrix holding {@code host} (row-major, length rows·cols). */
    default DeviceMatrix upload(float[] host, int rows, int cols) {
        DeviceMatrix m = allocate(rows, cols);
        upload(host, m);
        return m;
    }

    /**
     * The memory of {@code m} seen as rows x cols (rows·cols = m.size()): writes through either
     * show in both. Closing the view frees nothing; closing {@code m} ends the view too.
     */
    DeviceMatrix view(DeviceMatrix m, int rows, int cols);

    /** Copies {@code host} (row-major, length dst.size()) into {@code dst}. */
    void upload(float[] host, DeviceMatrix dst);

    /**
     * Gathers rows of a host table into {@code dst} (n, cols): row r of dst is row
     * {@code rows[from + r]} of {@code table} (row-major, cols floats a row), for r &lt; n = to - from.
     * A training batch in one call: the CPU backend copies each row once, where gathering on the
     * host and then uploading copied it twice. This default gathers into a new array and uploads it.
     */
    default void uploadRows(float[] table, int[] rows, int from, int to, DeviceMatrix dst) {
        Shapes.checkRows("uploadRows", this, dst, table, rows, from, to);
        float[] host = new float[dst.size()];
        Shapes.gatherRows(table, rows, from, to, dst.cols(), host);
        upload(host, dst);
    }

    /** Copies {@code src} into {@code host} (length at least src.size()). */
    void download(DeviceMatrix src, float[] host);

    /** Downloads into a new array. */
    default float[] download(DeviceMatrix src) {
        float[] host = new float[src.size()];
        download(src, host);
        return host;
    }

    // ---- matrix multiply ----------------------------------------------------------------

    /**
     * General matrix multiply {@code C = alpha · op(A) · op(B) + beta · C}:
     * op(A) (M,K) · op(B) (K,N) -> C (M,N). When {@code beta == 0}, C is not read (NaN in C
     * does not propagate). C must not alias A or B.
     */
    void gemm(Transpose transA, Transpose transB, float alpha, DeviceMatrix a, DeviceMatrix b,
              float beta, DeviceMatrix c);

    // ---- activations (forward / backward pair) ------------------------------------------

    /** y = f(x), element-wise (row-wise for softmax): x (m,n) -> y (m,n); y may be x. */
    void activationForward(Activation f, DeviceMatrix x, DeviceMatrix y);

    /**
     * dx = f'(x) ⊙ dy, given y = f(x): all (m,n); dx may be dy. For softmax,
     * dx = y ⊙ (dy - Σ_row(dy ⊙ y)).
     */
    void activationBackward(Activation f, DeviceMatrix x, DeviceMatrix y, DeviceMatrix dy, DeviceMatrix dx);

    /**
     * y = op(x), element-wise, for a user-defined op: x (m,n) -> y (m,n); y may be x. Device
     * backends compile the op's expression on first use and keep it; a bad expression throws
     * {@link KernelBuildException} with the compiler log.
     */
    void apply(CustomOp op, DeviceMatrix x, DeviceMatrix y);

    // ---- element-wise arithmetic --------------------------------------------------------

    /** out = a + b, all (m,n); out may be a or b. */
    void add(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = a - b, all (m,n); out may be a or b. */
    void subtract(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = a ⊙ b (Hadamard), all (m,n); out may be a or b. */
    void multiply(DeviceMatrix a, DeviceMatrix b, DeviceMatrix out);

    /** out = alpha · x, both (m,n); out may be x. */
    void scale(float alpha, DeviceMatrix x, DeviceMatrix out);

    /** y = alpha · x + y, both (m,n). */
    void axpy(float alpha, DeviceMatrix x, DeviceMatrix y);

    /**
     * out = sign(x), element-wise: 1 where {@code x > 0}, -1 where {@code x < 0}, x itself for ±0 and NaN
     * ({@link Math#signum}); both (m,n); out may be x. The L1 penalty's gradient.
     */
    void sign(DeviceMatrix x, DeviceMatrix out);

    /**
     * out = 1 / √(x + ε), element-wise: both (m,n); out may be x. From a variance, the inverse
     * standard deviation batch normalization divides by.
     */
    void inverseSqrt(float epsilon, DeviceMatrix x, DeviceMatrix out);

    /** out_ij = x_ij + bias_j: x (m,n), bias (1,n) -> out (m,n); out may be x. */
    void addRowVector(DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out);

    /** out_ij = x_ij · v_j: x (m,n), v (1,n) -> out (m,n); out may be x. */
    void multiplyRowVector(DeviceMatrix x, DeviceMatrix v, DeviceMatrix out);

    /**
     * A seeded random mask: out_i = value when u_i &lt; p, else 0, where u_i in [0, 1) is a
     * counter-based hash of (seed, i) — the same bits on every backend, so the same seed gives
     * the same mask everywhere. With p = keep and value = 1/keep this is an inverted-dropout mask.
     */
    void bernoulli(float p, float value, long seed, DeviceMatrix out);

    /**
     * Step t of a fused optimizer rule, element-wise, with learning rate η = {@code lr} and the
     * bias corrections c1 = 1 - β1^t, c2 = 1 - β2^t of the Adam family: θ, g, s1, s2, s3 all
     * (m,n); s1..s3 are the rule's state ({@link Update.Kind#states()} of them are read and
     * written; pass any matrix of the right shape for the others).
     *
     * @throws IllegalArgumentException if t &lt; 1 or the shapes differ
     */
    void update(Update rule, float lr, int t, DeviceMatrix theta, DeviceMatrix grad, DeviceMatrix s1, DeviceMatrix s2,
                DeviceMatrix s3);

    /** x_ij = value. */
    void fill(DeviceMatrix x, float value);

    /** dst = src, same shape. */
    void copy(DeviceMatrix src, DeviceMatrix dst);

    // ---- sliding windows (forward / backward pairs) -----------------------------------

    /**
     * Unfolds image patches into rows: x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C). Row
     * (n·OH + oh)·OW + ow holds the patch under output position (oh, ow) of image n, ordered
     * (kh, kw, c); padding reads as zero. A convolution is then cols · Wᵀ.
     */
    void im2col(Window w, DeviceMatrix x, DeviceMatrix cols);

    /**
     * The adjoint of {@link #im2col}: cols (N·OH·OW, KH·KW·C) -> x (N, H·W·C), each image element
     * the sum of every patch entry that read it (x is overwritten, not accumulated into).
     */
    void col2im(Window w, DeviceMatrix cols, DeviceMatrix x);

    /** Pooling over each channel: x (N, H·W·C) -> y (N, OH·OW·C), channels last like x. */
    void poolForward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix y);

    /**
     * The gradient of {@link #poolForward}: x (N, H·W·C), dy (N, OH·OW·C) -> dx (N, H·W·C)
     * (overwritten). MAX routes each window's dy to its first largest input.
     */
    void poolBackward(Pooling p, Window w, DeviceMatrix x, DeviceMatrix dy, DeviceMatrix dx);

    // ---- reductions ---------------------------------------------------------------------

    /**
     * out = op over {@code axis} of x: x (m,n) -> out (m,1) for {@link Axis#ROW}, (1,n) for
     * {@link Axis#COLUMN}, (1,1) for {@link Axis#ALL}. See {@link Reduction} for ARGMAX.
     */
    void reduce(Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out);

    /**
     * Waits until every op issued so far has completed. Device backends queue work
     * asynchronously; downloads wait by themselves, so this is needed only to time ops.
     */
    default void finish() {
    }

    /**
     * Releases the device and its threads, and frees every matrix it still owns: they, and their
     * views, throw {@link IllegalStateException} when used afterwards. Closing again does nothing.
     */
    @Override
    void close();
}
