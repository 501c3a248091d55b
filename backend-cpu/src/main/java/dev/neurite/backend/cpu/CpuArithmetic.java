package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Element-wise arithmetic on flat float arrays, vectorised, split over threads when large. */
final class CpuArithmetic {
    /** Elements per extra thread below which a memory-bound op stays on the calling thread. */
    static final long PARALLEL_MIN_ELEMENTS = 1 << 17;
    /** Elements below which an element-wise op runs as a plain loop: see {@link #vectorEnd}. */
    static final int VECTOR_MIN = 4096;

    /**
     * Where the vector loop over [from, to) ends: at {@code from} (a plain loop throughout) below
     * {@value #VECTOR_MIN} elements. An op run once a step on a small matrix (the loss gradient
     * of a batch) stays in C1 code for hundreds of steps, where every Vector API operation
     * allocates its result (scale of 128x10: 33 µs against 10); the plain loop allocates
     * nothing, and C2 vectorises it once hot.
     */
    static int vectorEnd(int from, int to) {
        return to - from < VECTOR_MIN ? from : from + S.loopBound(to - from);
    }

    private CpuArithmetic() {
    }

    /** c = beta · c over [0, n): beta 0 writes zeros (never reads c), beta 1 does nothing. */
    static void scaleInPlace(CpuParallel par, float beta, float[] c, int n) {
        if (beta == 1f) {
            return;
        }
        if (beta == 0f) {
            Arrays.fill(c, 0, n, 0f);
            return;
        }
        scale(par, beta, c, c, n);
    }

    /** out = a + b. */
    static void add(CpuParallel par, float[] a, float[] b, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            addRange(a, b, out, n, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(a, b, out).sizes(n, 0),
                    (q, from, to) -> addRange(q.a, q.b, q.c, q.n, from, to));
        }
    }

    private static void addRange(float[] a, float[] b, float[] out, int n, int from, int to) {
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** out = a - b. */
    static void subtract(CpuParallel par, float[] a, float[] b, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            subtractRange(a, b, out, n, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(a, b, out).sizes(n, 0),
                    (q, from, to) -> subtractRange(q.a, q.b, q.c, q.n, from, to));
        }
    }

    private static void subtractRange(float[] a, float[] b, float[] out, int n, int from, int to) {
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] - b[i];
        }
    }

    /** out = a ⊙ b. */
    static void multiply(CpuParallel par, float[] a, float[] b, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            multiplyRange(a, b, out, n, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(a, b, out).sizes(n, 0),
                    (q, from, to) -> multiplyRange(q.a, q.b, q.c, q.n, from, to));
        }
    }

    private static void multiplyRange(float[] a, float[] b, float[] out, int n, int from, int to) {
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    /** out = sign(x): ±1, or x itself for ±0 and NaN (as {@link Math#signum}). */
    static void sign(CpuParallel par, float[] x, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            signRange(x, out, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(x, out), (q, from, to) -> signRange(q.a, q.b, from, to));
        }
    }

    private static void signRange(float[] x, float[] out, int from, int to) {
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.blend(1, v.compare(VectorOperators.GT, 0f)).blend(-1, v.compare(VectorOperators.LT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = Math.signum(x[i]);
        }
    }

    /** out = 1 / √(x + ε), in float: the sum, the square root and the quotient each rounded once. */
    static void inverseSqrt(CpuParallel par, float epsilon, float[] x, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS / 4, V)) {
            inverseSqrtRange(epsilon, x, out, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS / 4, V, CpuArgs.of(x, out).scalars(epsilon, 0f),
                    (q, from, to) -> inverseSqrtRange(q.x, q.a, q.b, from, to));
        }
    }

    private static void inverseSqrtRange(float epsilon, float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = 1f / (float) Math.sqrt(x[i] + epsilon);
        }
    }

    /** out = alpha · x. */
    static void scale(CpuParallel par, float alpha, float[] x, float[] out, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            scaleRange(alpha, x, out, n, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(x, out).scalars(alpha, 0f).sizes(n, 0),
                    (q, from, to) -> scaleRange(q.x, q.a, q.b, q.n, from, to));
        }
    }

    private static void scaleRange(float alpha, float[] x, float[] out, int n, int from, int to) {
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector.fromArray(S, x, i).mul(alpha).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = alpha * x[i];
        }
    }

    /** y = alpha · x + y (fused). */
    static void axpy(CpuParallel par, float alpha, float[] x, float[] y, int n) {
        if (par.inline(n, n, PARALLEL_MIN_ELEMENTS, V)) {
            axpyRange(alpha, x, y, n, 0, n);
        } else {
            par.forArgs(n, n, PARALLEL_MIN_ELEMENTS, V, CpuArgs.of(x, y).scalars(alpha, 0f).sizes(n, 0),
                    (q, from, to) -> axpyRange(q.x, q.a, q.b, q.n, from, to));
        }
    }

    private static void axpyRange(float alpha, float[] x, float[] y, int n, int from, int to) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        int i = from;
        for (int bound = vectorEnd(from, to); i < bound; i += V) {
            FloatVector.fromArray(S, x, i).fma(al, FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Math.fma(alpha, x[i], y[i]);
        }
    }

    /** out_ij = x_ij + bias_j: x (rows,cols), bias (1,cols) -> out (rows,cols). */
    static void addRowVector(CpuParallel par, float[] x, float[] bias, float[] out, int rows, int cols) {
        if (par.inline(rows, (long) rows * cols, PARALLEL_MIN_ELEMENTS, 1)) {
            addRowVectorRange(x, bias, out, rows, cols, 0, rows);
        } else {
            par.forArgs(rows, (long) rows * cols, PARALLEL_MIN_ELEMENTS, 1, CpuArgs.of(x, bias, out).sizes(rows, cols),
                    (q, r0, r1) -> addRowVectorRange(q.a, q.b, q.c, q.n, q.cols, r0, r1));
        }
    }

    private static void addRowVectorRange(float[] x, float[] bias, float[] out, int rows, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += V) {
                FloatVector.fromArray(S, x, base + j).add(FloatVector.fromArray(S, bias, j))
                        .intoArray(out, base + j);
            }
            for (; j < cols; j++) {
                out[base + j] = x[base + j] + bias[j];
            }
        }
    }

    /** out_ij = x_ij · v_j: x (rows,cols), v (1,cols) -> out (rows,cols). */
    static void multiplyRowVector(CpuParallel par, float[] x, float[] v, float[] out, int rows, int cols) {
        if (par.inline(rows, (long) rows * cols, PARALLEL_MIN_ELEMENTS, 1)) {
            multiplyRowVectorRange(x, v, out, cols, 0, rows);
        } else {
            par.forArgs(rows, (long) rows * cols, PARALLEL_MIN_ELEMENTS, 1, CpuArgs.of(x, v, out).sizes(rows, cols),
                    (q, r0, r1) -> multiplyRowVectorRange(q.a, q.b, q.c, q.cols, r0, r1));
        }
    }

    private static void multiplyRowVectorRange(float[] x, float[] v, float[] out, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += V) {
                FloatVector.fromArray(S, x, base + j).mul(FloatVector.fromArray(S, v, j)).intoArray(out, base + j);
            }
            for (; j < cols; j++) {
                out[base + j] = x[base + j] * v[j];
            }
        }
    }
}
