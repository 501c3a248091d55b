package dev.neurite.backend;

/**
 * Shape checks shared by every backend, so that each op fails the same way everywhere:
 * {@link IllegalArgumentException} naming the op and the shapes involved.
 */
public final class Shapes {
    private Shapes() {
    }

    /** Checks op(A) (M,K) · op(B) (K,N) -> C (M,N), and that the three are distinct and usable. */
    public static void checkGemm(Backend backend, Transpose ta, Transpose tb, DeviceMatrix a,
                                 DeviceMatrix b, DeviceMatrix c) {
        usable("gemm", backend, a, b, c);
        int m = ta.rows(a);
        int k = ta.cols(a);
        if (tb.rows(b) != k || c.rows() != m || c.cols() != tb.cols(b)) {
            throw new IllegalArgumentException("gemm: op(A) = " + ta.label("A") + " is " + m + "x" + k
                    + ", op(B) = " + tb.label("B") + " is " + tb.rows(b) + "x" + tb.cols(b)
                    + ", C is " + c.shape() + "; need op(A) (M,K) · op(B) (K,N) -> C (M,N)");
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be A or B");
        }
    }

    /*
     * Fixed-arity forms of the checks ops run on every call: a varargs array passed down here
     * was, with the op names, the garbage of a training step (the JIT does not always remove it).
     */

    /** Checks that a and b have one shape. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix a, DeviceMatrix b) {
        usable(op, backend, a, b);
        if (differ(a, b)) {
            throw shapesDiffer(op, a, b);
        }
    }

    /** Checks that a, b and c have one shape. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c) {
        usable(op, backend, a, b, c);
        if (differ(a, b) || differ(a, c)) {
            throw shapesDiffer(op, a, b, c);
        }
    }

    /** Checks that a, b, c and d have one shape. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c,
                                      DeviceMatrix d) {
        usable(op, backend, a, b, c);
        usable(op, backend, d);
        if (differ(a, b) || differ(a, c) || differ(a, d)) {
            throw shapesDiffer(op, a, b, c, d);
        }
    }

    /** Checks that a, b, c, d and e have one shape. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c,
                                      DeviceMatrix d, DeviceMatrix e) {
        usable(op, backend, a, b, c);
        usable(op, backend, d, e);
        if (differ(a, b) || differ(a, c) || differ(a, d) || differ(a, e)) {
            throw shapesDiffer(op, a, b, c, d, e);
        }
    }

    private static boolean differ(DeviceMatrix a, DeviceMatrix b) {
        return a.rows() != b.rows() || a.cols() != b.cols();
    }

    private static IllegalArgumentException shapesDiffer(String op, DeviceMatrix... ms) {
        return new IllegalArgumentException(op + ": shapes differ: " + describe(ms));
    }

    /** Checks that every matrix has the shape of the first. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix... ms) {
        usable(op, backend, ms);
        for (int i = 1; i < ms.length; i++) {
            if (ms[i].rows() != ms[0].rows() || ms[i].cols() != ms[0].cols()) {
                throw shapesDiffer(op, ms);
            }
        }
    }

    /** Checks x (m,n), bias (1,n), out (m,n). */
    public static void checkRowVector(String op, Backend backend, DeviceMatrix x, DeviceMatrix bias, DeviceMatrix out) {
        usable(op, backend, x, bias, out);
        if (bias.rows() != 1 || bias.cols() != x.cols() || out.rows() != x.rows() || out.cols() != x.cols()) {
            throw new IllegalArgumentException(op + ": x is " + x.shape() + ", bias is " + bias.shape()
                    + ", out is " + out.shape() + "; need x (m,n), bias (1,n), out (m,n)");
        }
    }

    /** Checks x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C) for im2col and col2im. */
    public static void checkIm2col(String op, Backend backend, Window w, DeviceMatrix x, DeviceMatrix cols) {
        usable(op, backend, x, cols);
        if (x.cols() != w.imageSize() || cols.cols() != w.patchSize()
                || (long) cols.rows() != (long) x.rows() * w.positions()) {
            throw new IllegalArgumentException(op + " (" + w + "): x is " + x.shape() + ", cols is " + cols.shape()
                    + "; need x (N, " + w.imageSize() + ") and cols (N·" + w.positions() + ", " + w.patchSize() + ")");
        }
    }

    /** Checks x (N, H·W·C) and y (N, OH·OW·C) of a pooling op. */
    public static void checkPool(String op, Backend backend, Window w, DeviceMatrix x, DeviceMatrix y) {
        usable(op, backend, x, y);
        checkPooled(op, w, x, y);
    }

    private static void checkPooled(String op, Window w, DeviceMatrix x, DeviceMatrix y) {
        int out = w.positions() * w.channels();
        if (x.cols() != w.imageSize() || y.rows() != x.rows() || y.cols() != out) {
            throw new IllegalArgumentException(op + " (" + w + "): x is " + x.shape() + ", output is " + y.shape()
                    + "; need x (N, " + w.imageSize() + ") and output (N, " + out + ")");
        }
    }

    /** Checks x (N, H·W·C) and every y (N, OH·OW·C) of a pooling op. */
    public static void checkPool(String op, Backend backend, Window w, DeviceMatrix x, DeviceMatrix... ys) {
        usable(op, backend, x);
        usable(op, backend, ys);
        for (DeviceMatrix y : ys) {
            checkPooled(op, w, x, y);
        }
    }

    /** Checks that a view of {@code m} as rows x cols keeps its size. */
    public static void checkView(Backend backend, DeviceMatrix m, int rows, int cols) {
        usable("view", backend, m);
        if (rows < 0 || cols < 0 || (long) rows * cols != m.size()) {
            throw new IllegalArgumentException("view: a " + m.shape() + " matrix cannot be seen as " + rows + "x" + cols
                    + " (sizes differ)");
        }
    }

    /** "reduce OP along AXIS" for every pair, made once: a check runs on every call of a training step. */
    private static final String[][] REDUCE_NAMES = reduceNames();

    private static String[][] reduceNames() {
        String[][] names = new String[Reduction.values().length][Axis.values().length];
        for (Reduction op : Reduction.values()) {
            for (Axis axis : Axis.values()) {
                names[op.ordinal()][axis.ordinal()] = "reduce " + op + " along " + axis;
            }
        }
        return names;
    }

    /** Checks the result shape of a reduction along {@code axis}. */
    public static void checkReduce(Backend backend, Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        String name = REDUCE_NAMES[op.ordinal()][axis.ordinal()];
        usable(name, backend, x, out);
        int rows = axis.resultRows(x.rows());
        int cols = axis.resultCols(x.cols());
        if (out.rows() != rows || out.cols() != cols) {
            throw new IllegalArgumentException(name + ": x is " + x.shape() + " so out must be "
                    + rows + "x" + cols + ", got " + out.shape());
        }
        if (x.size() == 0 && op != Reduction.SUM && op != Reduction.SUM_OF_SQUARES) {
            throw new IllegalArgumentException(name + ": x is " + x.shape() + "; " + op + " of nothing is undefined");
        }
    }

    /** Checks a host array against a device matrix for upload or download. */
    public static void checkHost(String op, Backend backend, DeviceMatrix m, float[] host, boolean exact) {
        usable(op, backend, m);
        if (host == null) {
            throw new NullPointerException(op + ": host array is null");
        }
        if (exact ? host.length != m.size() : host.length < m.size()) {
            throw new IllegalArgumentException(op + ": host array has " + host.length + " floats, matrix "
                    + m.shape() + " needs " + (exact ? "" : "at least ") + m.size());
        }
    }

    /**
     * Checks an {@link Backend#uploadRows} call: dst usable, to - from = dst.rows() within
     * {@code rows}, and every row index inside the table (naming the first that is not).
     */
    public static void checkRows(String op, Backend backend, DeviceMatrix dst, float[] table, int[] rows, int from,
                                 int to) {
        usable(op, backend, dst);
        if (table == null || rows == null) {
            throw new NullPointerException(op + ": " + (table == null ? "table" : "rows") + " is null");
        }
        if (from < 0 || to > rows.length || from > to) {
            throw new IllegalArgumentException(op + ": rows [" + from + ", " + to + ") of an index of " + rows.length);
        }
        if (to - from != dst.rows()) {
            throw new IllegalArgumentException(op + ": " + (to - from) + " rows into " + dst.shape());
        }
        int cols = dst.cols();
        long tableRows = cols == 0 ? Long.MAX_VALUE : table.length / cols;
        for (int i = from; i < to; i++) {
            if (rows[i] < 0 || rows[i] >= tableRows) {
                throw new IllegalArgumentException(op + ": row " + rows[i] + " (index position " + i
                        + ") is outside the table of " + tableRows + " rows of " + cols);
            }
        }
    }

    /** host (n, cols) = table rows rows[from..to), n = to - from; checked by {@link #checkRows}. */
    public static void gatherRows(float[] table, int[] rows, int from, int to, int cols, float[] host) {
        for (int r = 0; r < to - from; r++) {
            System.arraycopy(table, rows[from + r] * cols, host, r * cols, cols);
        }
    }

    /** Checks each matrix is open and owned by {@code backend}. */
    public static void usable(String op, Backend backend, DeviceMatrix... ms) {
        for (DeviceMatrix m : ms) {
            usable(op, backend, m);
        }
    }

    /** Checks m is open and owned by {@code backend}. */
    public static void usable(String op, Backend backend, DeviceMatrix m) {
        if (m == null) {
            throw new NullPointerException(op + ": matrix is null");
        }
        m.checkUsable(op, backend);
    }

    /** Checks a and b are open and owned by {@code backend}. */
    public static void usable(String op, Backend backend, DeviceMatrix a, DeviceMatrix b) {
        usable(op, backend, a);
        usable(op, backend, b);
    }

    /** Checks a, b and c are open and owned by {@code backend}. */
    public static void usable(String op, Backend backend, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c) {
        usable(op, backend, a);
        usable(op, backend, b);
        usable(op, backend, c);
    }

    private static String describe(DeviceMatrix... ms) {
        StringBuilder sb = new StringBuilder();
        for (DeviceMatrix m : ms) {
            sb.append(sb.isEmpty() ? "" : ", ").append(m.shape());
        }
        return sb.toString();
    }
}
