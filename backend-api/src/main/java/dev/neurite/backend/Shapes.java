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

    /** Checks that every matrix has the shape of the first. */
    public static void checkSameShape(String op, Backend backend, DeviceMatrix... ms) {
        usable(op, backend, ms);
        for (int i = 1; i < ms.length; i++) {
            if (ms[i].rows() != ms[0].rows() || ms[i].cols() != ms[0].cols()) {
                throw new IllegalArgumentException(op + ": shapes differ: " + describe(ms));
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

    /** Checks x (N, H·W·C) and every y (N, OH·OW·C) of a pooling op. */
    public static void checkPool(String op, Backend backend, Window w, DeviceMatrix x, DeviceMatrix... ys) {
        usable(op, backend, x);
        usable(op, backend, ys);
        int out = w.positions() * w.channels();
        for (DeviceMatrix y : ys) {
            if (x.cols() != w.imageSize() || y.rows() != x.rows() || y.cols() != out) {
                throw new IllegalArgumentException(op + " (" + w + "): x is " + x.shape() + ", output is " + y.shape()
                        + "; need x (N, " + w.imageSize() + ") and output (N, " + out + ")");
            }
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

    /** Checks the result shape of a reduction along {@code axis}. */
    public static void checkReduce(Backend backend, Reduction op, Axis axis, DeviceMatrix x, DeviceMatrix out) {
        String name = "reduce " + op + " along " + axis;
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

    /** Checks each matrix is open and owned by {@code backend}. */
    public static void usable(String op, Backend backend, DeviceMatrix... ms) {
        for (DeviceMatrix m : ms) {
            if (m == null) {
                throw new NullPointerException(op + ": matrix is null");
            }
            m.checkUsable(op, backend);
        }
    }

    private static String describe(DeviceMatrix... ms) {
        StringBuilder sb = new StringBuilder();
        for (DeviceMatrix m : ms) {
            sb.append(sb.isEmpty() ? "" : ", ").append(m.shape());
        }
        return sb.toString();
    }
}
