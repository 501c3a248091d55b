package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import dev.neurite.backend.Pooling;
import dev.neurite.backend.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Sliding-window ops over channels-last images, one image a row (see {@link Window}). Images are
 * independent, so ranges of images split across threads; within an image the patch rows are
 * contiguous runs of KW·C floats, copied or added as runs.
 */
final class CpuWindows {
    private CpuWindows() {
    }

    /** x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C), images [n0, n1). */
    static void im2col(Window g, float[] x, float[] cols, int n0, int n1) {
        int c = g.channels();
        int kh = g.kernelHeight();
        int run = g.kernelWidth() * c;
        int patch = g.patchSize();
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int n = n0; n < n1; n++) {
            int image = n * g.imageSize();
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int dst = ((n * oh + i) * ow + j) * patch;
                    int w0 = j * g.stride() - g.padding();
                    for (int k = 0; k < kh; k++, dst += run) {
                        int h = i * g.stride() - g.padding() + k;
                        if (h < 0 || h >= g.height()) {
                            java.util.Arrays.fill(cols, dst, dst + run, 0f);
                        } else if (w0 >= 0 && w0 + g.kernelWidth() <= g.width()) {
                            copy(x, image + (h * g.width() + w0) * c, cols, dst, run);
                        } else {
                            copyClipped(g, x, image + h * g.width() * c, w0, cols, dst);
                        }
                    }
                }
            }
        }
    }

    /** {@code n} floats: a plain loop for short runs (a 5-float kernel row of one channel), where a
     *  System.arraycopy call costs more than the copy. */
    private static void copy(float[] src, int from, float[] dst, int to, int n) {
        if (n >= 32) {
            System.arraycopy(src, from, dst, to, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[to + i] = src[from + i];
        }
    }

    /** One kernel row of a patch that overhangs the left or right edge: zeros outside the image. */
    private static void copyClipped(Window g, float[] x, int rowStart, int w0, float[] cols, int dst) {
        int c = g.channels();
        for (int kw = 0; kw < g.kernelWidth(); kw++) {
            int w = w0 + kw;
            for (int ch = 0; ch < c; ch++) {
                cols[dst + kw * c + ch] = w >= 0 && w < g.width() ? x[rowStart + w * c + ch] : 0f;
            }
        }
    }

    /** cols (N·OH·OW, KH·KW·C) -> x (N, H·W·C) = the sum of every entry that read each element, images [n0, n1). */
    static void col2im(Window g, float[] cols, float[] x, int n0, int n1) {
        int patch = g.patchSize();
        java.util.Arrays.fill(x, n0 * g.imageSize(), n1 * g.imageSize(), 0f);
        for (int n = n0; n < n1; n++) {
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++) {
                    addPatch(g, cols, ((n * g.outHeight() + i) * g.outWidth() + j) * patch, x, n * g.imageSize(), i, j);
                }
            }
        }
    }

    /**
     * Adds the patch at {@code src} back onto window (i, j) of the image at {@code image}: each
     * kernel row is one contiguous run of (clipped) KW·C floats in both arrays.
     */
    private static void addPatch(Window g, float[] cols, int src, float[] x, int image, int i, int j) {
        int c = g.channels();
        int w0 = j * g.stride() - g.padding();
        int wFrom = Math.max(0, w0);
        int len = (Math.min(g.width(), w0 + g.kernelWidth()) - wFrom) * c;
        int skip = (wFrom - w0) * c;
        for (int k = 0; k < g.kernelHeight(); k++) {
            int h = i * g.stride() - g.padding() + k;
            if (h < 0 || h >= g.height()) {
                continue;
            }
            int to = image + (h * g.width() + wFrom) * c;
            int from = src + k * g.kernelWidth() * c + skip;
            for (int e = 0; e < len; e++) {
                x[to + e] += cols[from + e];
            }
        }
    }

    /**
     * x (N, H·W·C) -> y (N, OH·OW·C), images [n0, n1). One call of a small method a window (so
     * the JIT compiles it whole, not as an on-stack replacement of a deep loop nest); in it window
     * elements run outer and the C contiguous channels inner.
     */
    static void poolForward(Pooling p, Window g, float[] x, float[] y, int n0, int n1) {
        int c = g.channels();
        for (int n = n0; n < n1; n++) {
            int out = n * g.positions() * c;
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++, out += c) {
                    if (p == Pooling.MAX) {
                        maxWindow(g, x, n * g.imageSize(), i, j, y, out);
                    } else {
                        meanWindow(g, x, n * g.imageSize(), i, j, y, out);
                    }
                }
            }
        }
    }

    /**
     * y[out, out + C) = max of window (i, j) of the image at {@code image}, C channels a vector at
     * a time (the last masked): LeNet's first pool 0.58 -> 0.2 ms, where the plain loop over 20
     * channels ran one vector and four scalars per input.
     *
     * <p>The running max is the argument of {@code max} and the fresh load its receiver, here and
     * in the other loops that carry a vector and meet a fresh one. C2 knows the exact class of a load, so it inlines the
     * call's {@code lanewise} without a type profile; with the running max (the loop's phi) as the
     * receiver it needed {@code FloatVector.max}'s profile, and where that was missing (nn-core's
     * tests in one JVM, then the convolution allocation test, 4 runs in 5) the call stayed virtual
     * ({@code -XX:CompileCommand=PrintInlining}: "lanewise failed to inline: virtual call") and
     * every vector went to the heap, 345,600 B a step.
     */
    private static void maxWindow(Window g, float[] x, int image, int i, int j, float[] y, int out) {
        int c = g.channels();
        int h0 = i * g.stride() - g.padding();
        int w0 = j * g.stride() - g.padding();
        int hFrom = Math.max(0, h0);
        int hTo = Math.min(g.height(), h0 + g.kernelHeight());
        int wFrom = Math.max(0, w0);
        int wTo = Math.min(g.width(), w0 + g.kernelWidth());
        int rowStep = g.width() * c;
        int first = image + (hFrom * g.width() + wFrom) * c;
        for (int ch = 0; ch < c; ch += V) {
            VectorMask<Float> lanes = S.indexInRange(ch, c);
            FloatVector max = FloatVector.fromArray(S, x, first + ch, lanes);
            for (int h = hFrom, row = first; h < hTo; h++, row += rowStep) {
                for (int w = wFrom, at = row + ch; w < wTo; w++, at += c) {
                    max = FloatVector.fromArray(S, x, at, lanes).max(max);
                }
            }
            max.intoArray(y, out + ch, lanes);
        }
    }

    /** y[out, out + C) = mean of window (i, j) of the image at {@code image}, padding counted as zeros. */
    private static void meanWindow(Window g, float[] x, int image, int i, int j, float[] y, int out) {
        int c = g.channels();
        int h0 = i * g.stride() - g.padding();
        int w0 = j * g.stride() - g.padding();
        int hFrom = Math.max(0, h0);
        int hTo = Math.min(g.height(), h0 + g.kernelHeight());
        int wFrom = Math.max(0, w0);
        int wTo = Math.min(g.width(), w0 + g.kernelWidth());
        System.arraycopy(x, image + (hFrom * g.width() + wFrom) * c, y, out, c);
        for (int h = hFrom; h < hTo; h++) {
            for (int w = h == hFrom ? wFrom + 1 : wFrom; w < wTo; w++) {
                int at = image + (h * g.width() + w) * c;
                for (int ch = 0; ch < c; ch++) {
                    y[out + ch] += x[at + ch];
                }
            }
        }
        float inv = 1f / (g.kernelHeight() * g.kernelWidth());
        for (int ch = 0; ch < c; ch++) {
            y[out + ch] *= inv;
        }
    }

    /** Per thread: each channel's largest input so far in a max-pool window, and where it is. */
    private static final class PoolScratch {
        static final ThreadLocal<PoolScratch> MINE = ThreadLocal.withInitial(PoolScratch::new);
        float[] best = new float[0];
        int[] bestAt = new int[0];

        PoolScratch ensure(int channels) {
            if (best.length < channels) {
                best = new float[channels];
                bestAt = new int[channels];
            }
            return this;
        }
    }

    /** x (N, H·W·C), dy (N, OH·OW·C) -> dx (N, H·W·C) (overwritten), images [n0, n1). */
    static void poolBackward(Pooling p, Window g, float[] x, float[] dy, float[] dx, int n0, int n1) {
        int c = g.channels();
        PoolScratch scratch = PoolScratch.MINE.get().ensure(c);
        float[] best = scratch.best;
        int[] bestAt = scratch.bestAt;
        java.util.Arrays.fill(dx, n0 * g.imageSize(), n1 * g.imageSize(), 0f);
        boolean disjoint = g.stride() >= g.kernelHeight() && g.stride() >= g.kernelWidth();
        for (int n = n0; n < n1; n++) {
            int out = n * g.positions() * c;
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++, out += c) {
                    if (p == Pooling.MAX && disjoint) {
                        routeMaxDisjoint(g, x, n * g.imageSize(), i, j, dy, out, dx, best, bestAt);
                    } else if (p == Pooling.MAX) {
                        routeMax(g, x, n * g.imageSize(), i, j, dy, out, dx, best, bestAt, 0, c);
                    } else {
                        spreadMean(g, n * g.imageSize(), i, j, dy, out, dx);
                    }
                }
            }
        }
    }

    /**
     * As {@link #routeMax} for windows that do not overlap (stride ≥ kernel, as in 2x2 pooling
     * with stride 2), so each input gets at most one window's gradient: C channels a vector at a
     * time, the maximum first, then dx = dy at the first input equal to it (LeNet's first pool
     * backward 0.95 -> 0.3 ms). A window whose maximum is NaN goes the scalar way, which routes to
     * the last input before the NaN.
     */
    private static void routeMaxDisjoint(Window g, float[] x, int image, int i, int j, float[] dy, int out,
                                         float[] dx, float[] best, int[] bestAt) {
        int c = g.channels();
        int h0 = i * g.stride() - g.padding();
        int w0 = j * g.stride() - g.padding();
        int hFrom = Math.max(0, h0);
        int hTo = Math.min(g.height(), h0 + g.kernelHeight());
        int wFrom = Math.max(0, w0);
        int wTo = Math.min(g.width(), w0 + g.kernelWidth());
        int rowStep = g.width() * c;
        int first = image + (hFrom * g.width() + wFrom) * c;
        for (int ch = 0; ch < c; ch += V) {
            VectorMask<Float> lanes = S.indexInRange(ch, c);
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int h = hFrom, row = first; h < hTo; h++, row += rowStep) {
                for (int w = wFrom, at = row + ch; w < wTo; w++, at += c) {
                    max = FloatVector.fromArray(S, x, at, lanes).max(max);
                }
            }
            if (max.test(VectorOperators.IS_NAN, lanes).anyTrue()) {
                routeMax(g, x, image, i, j, dy, out, dx, best, bestAt, ch, Math.min(c, ch + V));
                continue;
            }
            FloatVector grad = FloatVector.fromArray(S, dy, out + ch, lanes);
            VectorMask<Float> open = lanes;
            for (int h = hFrom, row = first; h < hTo; h++, row += rowStep) {
                for (int w = wFrom, at = row + ch; w < wTo; w++, at += c) {
                    VectorMask<Float> hit = FloatVector.fromArray(S, x, at, lanes).compare(VectorOperators.EQ, max)
                            .and(open);
                    grad.intoArray(dx, at, hit);
                    open = open.andNot(hit);
                }
            }
        }
    }

    /** Adds dy[out + c0, out + c1) to dx at each channel's first largest input of window (i, j). */
    private static void routeMax(Window g, float[] x, int image, int i, int j, float[] dy, int out, float[] dx,
                                 float[] best, int[] bestAt, int c0, int c1) {
        int c = g.channels();
        int h0 = i * g.stride() - g.padding();
        int w0 = j * g.stride() - g.padding();
        int hFrom = Math.max(0, h0);
        int hTo = Math.min(g.height(), h0 + g.kernelHeight());
        int wFrom = Math.max(0, w0);
        int wTo = Math.min(g.width(), w0 + g.kernelWidth());
        int first = image + (hFrom * g.width() + wFrom) * c;
        System.arraycopy(x, first + c0, best, c0, c1 - c0);
        for (int ch = c0; ch < c1; ch++) {
            bestAt[ch] = first + ch;
        }
        for (int h = hFrom; h < hTo; h++) {
            for (int w = h == hFrom ? wFrom + 1 : wFrom; w < wTo; w++) {
                int at = image + (h * g.width() + w) * c;
                for (int ch = c0; ch < c1; ch++) {
                    // branch-free select of the first largest: gt is all ones where x beats the best so far
                    float v = x[at + ch];
                    int gt = v > best[ch] ? -1 : 0;
                    best[ch] = Math.max(v, best[ch]);
                    bestAt[ch] += (at + ch - bestAt[ch]) & gt;
                }
            }
        }
        for (int ch = c0; ch < c1; ch++) {
            dx[bestAt[ch]] += dy[out + ch];
        }
    }

    /** Adds dy[out, out + C) / (KH·KW) to every input of window (i, j). */
    private static void spreadMean(Window g, int image, int i, int j, float[] dy, int out, float[] dx) {
        int c = g.channels();
        float inv = 1f / (g.kernelHeight() * g.kernelWidth());
        int h0 = i * g.stride() - g.padding();
        int w0 = j * g.stride() - g.padding();
        for (int h = Math.max(0, h0); h < Math.min(g.height(), h0 + g.kernelHeight()); h++) {
            for (int w = Math.max(0, w0); w < Math.min(g.width(), w0 + g.kernelWidth()); w++) {
                int at = image + (h * g.width() + w) * c;
                for (int ch = 0; ch < c; ch++) {
                    dx[at + ch] += dy[out + ch] * inv;
                }
            }
        }
    }

    /** out_i = u_i &lt; p ? value : 0 with the hash the device kernels use (elementwise.cl, bernoulli). */
    static void bernoulli(float p, float value, long seed, float[] out, int from, int to) {
        int lo = (int) seed;
        int hi = (int) (seed >>> 32);
        for (int i = from; i < to; i++) {
            int h = mix32(mix32(i * 0x9e3779b9 + lo) ^ hi);
            out[i] = (h >>> 8) * 0x1p-24f < p ? value : 0f;
        }
    }

    private static int mix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
