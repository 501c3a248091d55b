package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Reduction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Reductions: x (rows,cols) -> (rows,1) along ROW, (1,cols) along COLUMN, (1,1) over ALL.
 * A contiguous run (a row, or the whole matrix) reduces with four vector accumulators; columns
 * reduce row by row into a vector of running results.
 */
final class CpuReductions {
    /**
     * Up to this many elements a sum is a plain loop: as in {@link CpuArithmetic#vectorEnd}, a
     * sum run now and then (the divergence check over a batch's outputs) stays in C1 code, where
     * each Vector API operation allocates.
     */
    private static final int SCALAR_SUM_MAX = 4096;
    private CpuReductions() {
    }

    static void reduce(CpuParallel par, Reduction op, Axis axis, float[] x, int rows, int cols, float[] out) {
        long work = (long) rows * cols;
        long min = CpuArithmetic.PARALLEL_MIN_ELEMENTS;
        switch (axis) {
            case ROW -> {
                if (par.inline(rows, work, min, 1)) {
                    rows(op, x, cols, out, 0, rows);
                } else {
                    par.forArgs(rows, work, min, 1, CpuArgs.of(x, out).op(op).sizes(rows, cols),
                            (q, r0, r1) -> rows((Reduction) q.op, q.a, q.cols, q.b, r0, r1));
                }
            }
            case COLUMN -> {
                if (par.inline(cols, work, min, V)) {
                    columns(op, x, rows, cols, 0, cols, out);
                } else {
                    par.forArgs(cols, work, min, V, CpuArgs.of(x, out).op(op).sizes(rows, cols),
                            (q, j0, j1) -> columns((Reduction) q.op, q.a, q.n, q.cols, j0, j1, q.b));
                }
            }
            case ALL -> out[0] = all(par, op, x, rows * cols);
        }
    }

    /** Rows [r0, r1), one result each. */
    private static void rows(Reduction op, float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            out[r] = run(op, x, r * cols, (r + 1) * cols);
        }
    }

    /** The whole array, split into one contiguous run per thread and combined. */
    private static float all(CpuParallel par, Reduction op, float[] x, int n) {
        int slots = (int) Math.min(par.threads(), Math.max(1, n / CpuArithmetic.PARALLEL_MIN_ELEMENTS));
        if (slots <= 1) {
            return run(op, x, 0, n);
        }
        Reduction partial = op == Reduction.MEAN ? Reduction.SUM : op;
        float[] parts = new float[slots];
        int per = (n + slots - 1) / slots;
        par.forRange(slots, n, 1, 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                float r = run(partial, x, s * per, Math.min(n, (s + 1) * per));
                parts[s] = op == Reduction.ARGMAX ? r + s * per : r;
            }
        });
        float r = parts[0];
        for (int s = 1; s < slots; s++) {
            r = switch (op) {
                case SUM, MEAN, SUM_OF_SQUARES -> r + parts[s];
                case MAX -> Math.max(r, parts[s]);
                case MIN -> Math.min(r, parts[s]);
                // each part holds a global index; keep the first whose value is strictly greater
                case ARGMAX -> x[(int) parts[s]] > x[(int) r] ? parts[s] : r;
            };
        }
        return op == Reduction.MEAN ? r / n : r;
    }

    /** op over x[from..to); ARGMAX gives the index counted from {@code from}. */
    static float run(Reduction op, float[] x, int from, int to) {
        return switch (op) {
            case SUM -> sum(x, from, to, false);
            case MEAN -> sum(x, from, to, false) / (to - from);
            case SUM_OF_SQUARES -> sum(x, from, to, true);
            case MAX -> max(x, from, to);
            case MIN -> min(x, from, to);
            case ARGMAX -> argmax(x, from, to);
        };
    }

    private static float sum(float[] x, int from, int to, boolean squares) {
        if (to - from < SCALAR_SUM_MAX) {
            float sum = 0f;
            for (int i = from; i < to; i++) {
                sum += squares ? x[i] * x[i] : x[i];
            }
            return sum;
        }
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = from;
        for (int bound = from + ((to - from) & -(4 * V)); i < bound; i += 4 * V) {
            // the fresh vectors are the receivers (see CpuWindows.maxWindow)
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + V);
            FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * V);
            FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * V);
            a0 = squares ? v0.fma(v0, a0) : v0.add(a0);
            a1 = squares ? v1.fma(v1, a1) : v1.add(a1);
            a2 = squares ? v2.fma(v2, a2) : v2.add(a2);
            a3 = squares ? v3.fma(v3, a3) : v3.add(a3);
        }
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            a0 = squares ? v.fma(v, a0) : v.add(a0);
        }
        float sum = CpuMath.sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < to; i++) {
            sum += squares ? x[i] * x[i] : x[i];
        }
        return sum;
    }

    /** max of x[from..to), two vector accumulators. */
    private static float max(float[] x, int from, int to) {
        FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector a1 = a0;
        int i = from;
        for (int bound = from + ((to - from) & -(2 * V)); i < bound; i += 2 * V) {
            // the fresh vector is the receiver (see CpuWindows.maxWindow)
            a0 = FloatVector.fromArray(S, x, i).max(a0);
            a1 = FloatVector.fromArray(S, x, i + V).max(a1);
        }
        float r = a0.max(a1).reduceLanes(MAX);
        for (; i < to; i++) {
            r = Math.max(r, x[i]);
        }
        return r;
    }

    /** min of x[from..to), two vector accumulators. */
    private static float min(float[] x, int from, int to) {
        FloatVector a0 = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        FloatVector a1 = a0;
        int i = from;
        for (int bound = from + ((to - from) & -(2 * V)); i < bound; i += 2 * V) {
            // the fresh vector is the receiver (see CpuWindows.maxWindow)
            a0 = FloatVector.fromArray(S, x, i).min(a0);
            a1 = FloatVector.fromArray(S, x, i + V).min(a1);
        }
        float r = a0.min(a1).reduceLanes(MIN);
        for (; i < to; i++) {
            r = Math.min(r, x[i]);
        }
        return r;
    }

    /** Index, counted from {@code from}, of the first maximum of x[from..to). */
    private static float argmax(float[] x, int from, int to) {
        float max = max(x, from, to);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            VectorMask<Float> hit = FloatVector.fromArray(S, x, i).eq(max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue() - from;
            }
        }
        for (; i < to; i++) {
            if (x[i] == max) {
                return i - from;
            }
        }
        return 0;
    }

    /** Columns [j0, j1) reduced over all rows, V columns at a time, then one at a time. */
    private static void columns(Reduction op, float[] x, int rows, int cols, int j0, int j1, float[] out) {
        int j = j0;
        for (; j + V <= j1; j += V) {
            FloatVector acc = switch (op) {
                case MAX, ARGMAX -> FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                case MIN -> FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
                default -> FloatVector.zero(S);
            };
            FloatVector arg = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromArray(S, x, r * cols + j);
                // v, not acc, is each call's receiver (see CpuWindows.maxWindow)
                switch (op) {
                    case SUM, MEAN -> acc = v.add(acc);
                    case SUM_OF_SQUARES -> acc = v.fma(v, acc);
                    case MAX -> acc = v.max(acc);
                    case MIN -> acc = v.min(acc);
                    case ARGMAX -> {
                        VectorMask<Float> kept = v.compare(GT, acc).not();
                        acc = v.blend(acc, kept);
                        arg = FloatVector.broadcast(S, r).blend(arg, kept);
                    }
                }
            }
            FloatVector result = switch (op) {
                case MEAN -> acc.div(rows);
                case ARGMAX -> arg;
                default -> acc;
            };
            result.intoArray(out, j);
        }
        if (j1 - j > 1 && (op == Reduction.SUM || op == Reduction.MEAN || op == Reduction.SUM_OF_SQUARES)) {
            // the last few columns as one masked vector a row: one pass down the rows, not one per
            // column (LeNet's bias gradient, 36864x20: 324 -> 100 µs)
            VectorMask<Float> lanes = S.indexInRange(j, j1);
            FloatVector acc = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromArray(S, x, r * cols + j, lanes);
                acc = op == Reduction.SUM_OF_SQUARES ? v.fma(v, acc) : v.add(acc);
            }
            (op == Reduction.MEAN ? acc.div(rows) : acc).intoArray(out, j, lanes);
            return;
        }
        for (; j < j1; j++) {
            float acc = op == Reduction.MIN ? Float.POSITIVE_INFINITY
                    : op == Reduction.MAX || op == Reduction.ARGMAX ? Float.NEGATIVE_INFINITY : 0f;
            int arg = 0;
            for (int r = 0; r < rows; r++) {
                float v = x[r * cols + j];
                switch (op) {
                    case SUM, MEAN -> acc += v;
                    case SUM_OF_SQUARES -> acc += v * v;
                    case MAX -> acc = Math.max(acc, v);
                    case MIN -> acc = Math.min(acc, v);
                    case ARGMAX -> {
                        if (v > acc) {
                            acc = v;
                            arg = r;
                        }
                    }
                }
            }
            out[j] = op == Reduction.MEAN ? acc / rows : op == Reduction.ARGMAX ? arg : acc;
        }
    }
}
