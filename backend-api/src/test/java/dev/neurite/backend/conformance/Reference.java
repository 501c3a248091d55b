package dev.neurite.backend.conformance;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Update;
import dev.neurite.backend.Window;

/**
 * The scalar reference for every op: plain loops on host arrays, computed in double precision
 * and rounded once to float. Slow and obvious on purpose; every backend is checked against it.
 */
public final class Reference {
    private Reference() {
    }

    /** C = alpha · op(A) · op(B) + beta · C: op(A) (m,k) · op(B) (k,n) -> c (m,n). */
    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a,
                            float[] b, float beta, float[] c) {
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double av = ta == Transpose.NONE ? a[i * k + p] : a[p * m + i];
                for (int j = 0; j < n; j++) {
                    row[j] += av * (tb == Transpose.NONE ? b[p * n + j] : b[j * k + p]);
                }
            }
            for (int j = 0; j < n; j++) {
                double prior = beta == 0f ? 0 : (double) beta * c[i * n + j];
                c[i * n + j] = (float) (alpha * row[j] + prior);
            }
        }
    }

    /** Σ_p |op(A)_ip| |op(B)_pj|: the scale of each product, for rounding tolerances. */
    public static double[] gemmMagnitude(Transpose ta, Transpose tb, int m, int n, int k, float[] a, float[] b) {
        float[] absA = abs(a);
        float[] absB = abs(b);
        float[] out = new float[m * n];
        gemm(ta, tb, m, n, k, 1f, absA, absB, 0f, out);
        double[] d = new double[out.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = out[i];
        }
        return d;
    }

    private static float[] abs(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.abs(x[i]);
        }
        return r;
    }

    /** y = f(x) for a whole rows x cols matrix. */
    public static float[] forward(Activation f, float[] x, int rows, int cols) {
        float[] y = new float[x.length];
        if (f.kind() == Activation.Kind.SOFTMAX) {
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, x[r * cols + c]);
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(x[r * cols + c] - max);
                }
                for (int c = 0; c < cols; c++) {
                    y[r * cols + c] = (float) (Math.exp(x[r * cols + c] - max) / sum);
                }
            }
            return y;
        }
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) apply(f, x[i]);
        }
        return y;
    }

    /** dx = f'(x) ⊙ dy (softmax: y ⊙ (dy - Σ_row dy ⊙ y)). */
    public static float[] backward(Activation f, float[] x, float[] y, float[] dy, int rows, int cols) {
        float[] dx = new float[x.length];
        if (f.kind() == Activation.Kind.SOFTMAX) {
            for (int r = 0; r < rows; r++) {
                double dot = 0;
                for (int c = 0; c < cols; c++) {
                    dot += (double) dy[r * cols + c] * y[r * cols + c];
                }
                for (int c = 0; c < cols; c++) {
                    dx[r * cols + c] = (float) (y[r * cols + c] * (dy[r * cols + c] - dot));
                }
            }
            return dx;
        }
        for (int i = 0; i < x.length; i++) {
            dx[i] = (float) (derivative(f, x[i]) * dy[i]);
        }
        return dx;
    }

    /** f(x) in double, for the element-wise kinds. */
    public static double apply(Activation f, double x) {
        return switch (f.kind()) {
            case IDENTITY -> x;
            case BINARY_STEP -> x >= 0 ? 1 : 0;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(0, x);
            case LEAKY_RELU -> x > 0 ? x : f.param() * x;
            case ELU -> x > 0 ? x : f.param() * Math.expm1(x);
            case SELU -> Activation.SELU_LAMBDA * (x > 0 ? x : Activation.SELU_ALPHA * Math.expm1(x));
            case GELU -> 0.5 * x * (1 + Math.tanh(Activation.GELU_C * (x + Activation.GELU_CUBIC * x * x * x)));
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    /** f'(x) in double, for the element-wise kinds. */
    public static double derivative(Activation f, double x) {
        return switch (f.kind()) {
            case IDENTITY -> 1;
            case BINARY_STEP -> 0;
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : f.param();
            case ELU -> x > 0 ? 1 : f.param() * Math.exp(x);
            case SELU -> Activation.SELU_LAMBDA * (x > 0 ? 1 : Activation.SELU_ALPHA * Math.exp(x));
            case GELU -> {
                double u = Activation.GELU_C * (x + Activation.GELU_CUBIC * x * x * x);
                double t = Math.tanh(u);
                double du = Activation.GELU_C * (1 + 3 * Activation.GELU_CUBIC * x * x);
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
            }
            case SOFTPLUS -> 1 / (1 + Math.exp(-x));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    /**
     * Step t of an optimizer rule with learning rate lr in double precision, in place on θ and
     * the states (see {@link Update.Kind}).
     */
    public static void update(Update u, double lr, int t, float[] theta, float[] g, float[] s1, float[] s2,
                              float[] s3) {
        double b1 = u.beta1();
        double b2 = u.beta2();
        double eps = u.eps();
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < theta.length; i++) {
            double gi = g[i];
            switch (u.kind()) {
                case MOMENTUM -> {
                    double v = b1 * s1[i] - lr * gi;
                    s1[i] = (float) v;
                    theta[i] = (float) (theta[i] + v);
                }
                case NESTEROV -> {
                    double v0 = s1[i];
                    double v = b1 * v0 - lr * gi;
                    s1[i] = (float) v;
                    theta[i] = (float) (theta[i] - b1 * v0 + (1 + b1) * v);
                }
                case ADAGRAD -> {
                    double acc = s1[i] + gi * gi;
                    s1[i] = (float) acc;
                    theta[i] = (float) (theta[i] - lr * gi / (Math.sqrt(acc) + eps));
                }
                case ADADELTA -> {
                    double eg = b1 * s1[i] + (1 - b1) * gi * gi;
                    double d = -Math.sqrt(s2[i] + eps) / Math.sqrt(eg + eps) * gi;
                    s1[i] = (float) eg;
                    s2[i] = (float) (b1 * s2[i] + (1 - b1) * d * d);
                    theta[i] = (float) (theta[i] + lr * d);
                }
                case RMSPROP -> {
                    double eg = b1 * s1[i] + (1 - b1) * gi * gi;
                    s1[i] = (float) eg;
                    theta[i] = (float) (theta[i] - lr * gi / (Math.sqrt(eg) + eps));
                }
                case ADAMAX -> {
                    double m = b1 * s1[i] + (1 - b1) * gi;
                    double uu = Math.max(b2 * s2[i], Math.abs(gi));
                    s1[i] = (float) m;
                    s2[i] = (float) uu;
                    theta[i] = (float) (theta[i] - lr * (m / c1) / (uu + eps));
                }
                case ADAM, NADAM, AMSGRAD -> {
                    double m = b1 * s1[i] + (1 - b1) * gi;
                    double v = b2 * s2[i] + (1 - b2) * gi * gi;
                    s1[i] = (float) m;
                    s2[i] = (float) v;
                    if (u.kind() == Update.Kind.AMSGRAD) {
                        v = Math.max(s3[i], v);
                        s3[i] = (float) v;
                    }
                    double num = u.kind() == Update.Kind.NADAM ? b1 * m / c1 + (1 - b1) * gi / c1 : m / c1;
                    theta[i] = (float) (theta[i] - lr * num / (Math.sqrt(v / c2) + eps));
                }
            }
        }
    }

    /** The reduction of x (rows,cols) along axis, shaped as {@link Axis} says. */
    public static float[] reduce(Reduction op, Axis axis, float[] x, int rows, int cols) {
        int outRows = axis.resultRows(rows);
        int outCols = axis.resultCols(cols);
        float[] out = new float[outRows * outCols];
        for (int o = 0; o < out.length; o++) {
            int count = axis == Axis.ROW ? cols : axis == Axis.COLUMN ? rows : rows * cols;
            double acc = switch (op) {
                case MAX, ARGMAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
                default -> 0;
            };
            int arg = 0;
            for (int t = 0; t < count; t++) {
                int idx = axis == Axis.ROW ? o * cols + t : axis == Axis.COLUMN ? t * cols + o : t;
                double v = x[idx];
                switch (op) {
                    case SUM, MEAN -> acc += v;
                    case SUM_OF_SQUARES -> acc += v * v;
                    case MAX -> acc = Math.max(acc, v);
                    case MIN -> acc = Math.min(acc, v);
                    case ARGMAX -> {
                        if (v > acc) {
                            acc = v;
                            arg = t;
                        }
                    }
                }
            }
            out[o] = switch (op) {
                case MEAN -> (float) (acc / count);
                case ARGMAX -> arg;
                default -> (float) acc;
            };
        }
        return out;
    }

    // ---- sliding windows: written per output position over padded coordinates ----------

    /** Image n's element (h, w, c), or null outside the image (padding). */
    private static Float pixel(Window g, float[] x, int n, int h, int w, int c) {
        if (h < 0 || w < 0 || h >= g.height() || w >= g.width()) {
            return null;
        }
        return x[n * g.imageSize() + (h * g.width() + w) * g.channels() + c];
    }

    /** x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C). */
    public static float[] im2col(Window g, float[] x, int images) {
        float[] cols = new float[images * g.positions() * g.patchSize()];
        int at = 0;
        for (int n = 0; n < images; n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    for (int kh = 0; kh < g.kernelHeight(); kh++) {
                        for (int kw = 0; kw < g.kernelWidth(); kw++) {
                            for (int c = 0; c < g.channels(); c++) {
                                Float v = pixel(g, x, n, oh * g.stride() - g.padding() + kh,
                                        ow * g.stride() - g.padding() + kw, c);
                                cols[at++] = v == null ? 0f : v;
                            }
                        }
                    }
                }
            }
        }
        return cols;
    }

    /**
     * Direct convolution in double: x (N, H·W·C), filters (F, KH·KW·C) ordered (kh, kw, c)
     * -> (N·OH·OW, F).
     */
    public static float[] convolve(Window g, float[] x, int images, float[] filters, int f) {
        float[] out = new float[images * g.positions() * f];
        int at = 0;
        for (int n = 0; n < images; n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    for (int k = 0; k < f; k++) {
                        double s = 0;
                        for (int kh = 0; kh < g.kernelHeight(); kh++) {
                            for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                for (int c = 0; c < g.channels(); c++) {
                                    Float v = pixel(g, x, n, oh * g.stride() - g.padding() + kh,
                                            ow * g.stride() - g.padding() + kw, c);
                                    if (v != null) {
                                        s += (double) v * filters[k * g.patchSize()
                                                + (kh * g.kernelWidth() + kw) * g.channels() + c];
                                    }
                                }
                            }
                        }
                        out[at++] = (float) s;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Pooling forward and, given dy, backward: returns {y (N, OH·OW·C), dx (N, H·W·C)}. MAX
     * takes the first largest in (kh, kw) order; AVERAGE divides by KH·KW.
     */
    public static float[][] pool(Pooling p, Window g, float[] x, float[] dy, int images) {
        int c0 = g.channels();
        float[] y = new float[images * g.positions() * c0];
        double[] dx = new double[x.length];
        for (int n = 0; n < images; n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++) {
                    for (int c = 0; c < c0; c++) {
                        int out = ((n * g.outHeight() + oh) * g.outWidth() + ow) * c0 + c;
                        double sum = 0;
                        float best = Float.NEGATIVE_INFINITY;
                        int bestAt = -1;
                        for (int kh = 0; kh < g.kernelHeight(); kh++) {
                            for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                int h = oh * g.stride() - g.padding() + kh;
                                int w = ow * g.stride() - g.padding() + kw;
                                Float v = pixel(g, x, n, h, w, c);
                                if (v == null) {
                                    continue;
                                }
                                int idx = n * g.imageSize() + (h * g.width() + w) * c0 + c;
                                sum += v;
                                if (bestAt < 0 || v > best) {
                                    best = v;
                                    bestAt = idx;
                                }
                                if (p == Pooling.AVERAGE) {
                                    dx[idx] += dy[out] / (double) (g.kernelHeight() * g.kernelWidth());
                                }
                            }
                        }
                        if (p == Pooling.MAX) {
                            y[out] = best;
                            dx[bestAt] += dy[out];
                        } else {
                            y[out] = (float) (sum / (g.kernelHeight() * g.kernelWidth()));
                        }
                    }
                }
            }
        }
        float[] dxf = new float[dx.length];
        for (int i = 0; i < dx.length; i++) {
            dxf[i] = (float) dx[i];
        }
        return new float[][] {y, dxf};
    }

    /**
     * The dropout hash, restated with longs: u_i = top 24 bits of mix(mix(i·φ + lo) ⊕ hi) / 2^24,
     * mix being murmur3's fmix32; out_i = u_i < p ? value : 0.
     */
    public static float[] bernoulli(float p, float value, long seed, int n) {
        float[] out = new float[n];
        long lo = seed & 0xffffffffL;
        long hi = (seed >>> 32) & 0xffffffffL;
        for (int i = 0; i < n; i++) {
            long h = fmix((i * 0x9e3779b9L + lo) & 0xffffffffL);
            h = fmix(h ^ hi);
            double u = (h >>> 8) / 16777216.0;
            out[i] = u < p ? value : 0f;
        }
        return out;
    }

    private static long fmix(long h) {
        h ^= h >>> 16;
        h = (h * 0x85ebca6bL) & 0xffffffffL;
        h ^= h >>> 13;
        h = (h * 0xc2b2ae35L) & 0xffffffffL;
        h ^= h >>> 16;
        return h;
    }
}
