package dev.neurite.backend.cpu;

/**
 * The operands of one op split across threads, held per calling thread and reused: with a
 * non-capturing body ({@code (q, from, to) -> kernel(q.a, q.b, from, to)}), splitting an op
 * allocates nothing, where a lambda capturing the operands was an object per call, most of a
 * training step's garbage. {@link CpuParallel#forArgs} clears them after the call, so they keep
 * no matrix alive.
 */
final class CpuArgs {
    private static final ThreadLocal<CpuArgs> MINE = ThreadLocal.withInitial(CpuArgs::new);

    /** The op's kind or rule: an activation, update rule, reduction, pooling or custom function. */
    Object op;
    /** The sliding window of window ops. */
    Object window;
    float[] a;
    float[] b;
    float[] c;
    float[] d;
    float[] e;
    /** Sizes: elements or rows, and columns. */
    int n;
    int cols;
    /** Scalar operands (alpha, epsilon, probability, learning rate and bias corrections). */
    float x;
    float y;
    float z;
    long seed;

    private CpuArgs() {
    }

    /** The calling thread's operands, set to these arrays (unused ones null) and nothing else. */
    static CpuArgs of(float[] a, float[] b, float[] c, float[] d, float[] e) {
        CpuArgs q = MINE.get();
        q.a = a;
        q.b = b;
        q.c = c;
        q.d = d;
        q.e = e;
        q.op = null;
        q.window = null;
        return q;
    }

    static CpuArgs of(float[] a, float[] b, float[] c) {
        return of(a, b, c, null, null);
    }

    static CpuArgs of(float[] a, float[] b) {
        return of(a, b, null, null, null);
    }

    CpuArgs op(Object op) {
        this.op = op;
        return this;
    }

    CpuArgs window(Object window) {
        this.window = window;
        return this;
    }

    CpuArgs sizes(int n, int cols) {
        this.n = n;
        this.cols = cols;
        return this;
    }

    CpuArgs scalars(float x, float y) {
        this.x = x;
        this.y = y;
        return this;
    }

    CpuArgs scalars(float x, float y, float z) {
        this.x = x;
        this.y = y;
        this.z = z;
        return this;
    }

    CpuArgs seed(long seed) {
        this.seed = seed;
        return this;
    }

    void clear() {
        op = null;
        window = null;
        a = null;
        b = null;
        c = null;
        d = null;
        e = null;
    }
}
