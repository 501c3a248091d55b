package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.neurite.backend.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * The activation catalogue on the CPU: forward y = f(x) and backward dx = f'(x) ⊙ dy side by
 * side, one vector at a time. The formulas are those of {@link Activation.Kind}.
 */
final class CpuActivations {
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector ZERO = FloatVector.zero(S);

    private CpuActivations() {
    }

    // ---- element-wise kinds ------------------------------------------------------------
    //
    // One loop per kind inside one switch: a vector handed to or returned from a call that C2
    // does not inline is boxed on the heap, so the per-element math stays in the loop body
    // (the helpers it calls are all small enough to be inlined always).

    /** y[from..to) = f(x[from..to)). */
    static void forwardRange(Activation f, float[] x, float[] y, int from, int to) {
        float p = f.param();
        int i = from;
        int bound = from + S.loopBound(to - from);
        switch (f.kind()) {
            case IDENTITY -> {
                System.arraycopy(x, from, y, from, to - from);
                i = to;
            }
            case BINARY_STEP -> {
                for (; i < bound; i += V) {
                    ZERO.blend(ONE, load(x, i).compare(GE, 0f)).intoArray(y, i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += V) {
                    CpuMath.sigmoid(load(x, i)).intoArray(y, i);
                }
            }
            case TANH -> {
                for (; i < bound; i += V) {
                    CpuMath.tanh(load(x, i)).intoArray(y, i);
                }
            }
            case RELU -> {
                for (; i < bound; i += V) {
                    load(x, i).max(0f).intoArray(y, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += V) {
                    FloatVector v = load(x, i);
                    v.mul(p).blend(v, v.compare(GT, 0f)).intoArray(y, i);
                }
            }
            case ELU, SELU -> {
                float alpha = f.kind() == Activation.Kind.ELU ? p : Activation.SELU_ALPHA;
                float lambda = f.kind() == Activation.Kind.ELU ? 1f : Activation.SELU_LAMBDA;
                for (; i < bound; i += V) {
                    FloatVector v = load(x, i);
                    v.lanewise(EXPM1).mul(alpha).blend(v, v.compare(GT, 0f)).mul(lambda).intoArray(y, i);
                }
            }
            // ½x(1 + tanh u) = x·σ(2u), which keeps its precision where tanh u → -1
            case GELU -> {
                for (; i < bound; i += V) {
                    FloatVector v = load(x, i);
                    v.mul(CpuMath.sigmoid(geluInner(v).mul(2f))).intoArray(y, i);
                }
            }
            case SOFTPLUS -> {
                for (; i < bound; i += V) {
                    FloatVector v = load(x, i);
                    v.max(0f).add(CpuMath.exp(v.abs().neg()).lanewise(LOG1P)).intoArray(y, i);
                }
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        }
        for (; i < to; i++) {
            y[i] = forward(f.kind(), p, x[i]);
        }
    }

    /** dx[from..to) = f'(x) ⊙ dy, given y = f(x). */
    static void backwardRange(Activation f, float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
        float p = f.param();
        int i = from;
        int bound = from + S.loopBound(to - from);
        switch (f.kind()) {
            case IDENTITY -> {
                System.arraycopy(dy, from, dx, from, to - from);
                i = to;
            }
            case BINARY_STEP -> {
                java.util.Arrays.fill(dx, from, to, 0f);
                i = to;
            }
            case SIGMOID -> {
                for (; i < bound; i += V) {
                    FloatVector yv = load(y, i);
                    yv.mul(ONE.sub(yv)).mul(load(dy, i)).intoArray(dx, i);
                }
            }
            case TANH -> {
                for (; i < bound; i += V) {
                    FloatVector yv = load(y, i);
                    ONE.sub(yv.mul(yv)).mul(load(dy, i)).intoArray(dx, i);
                }
            }
            case RELU -> {
                for (; i < bound; i += V) {
                    ZERO.blend(load(dy, i), load(x, i).compare(GT, 0f)).intoArray(dx, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += V) {
                    FloatVector g = load(dy, i);
                    g.mul(p).blend(g, load(x, i).compare(GT, 0f)).intoArray(dx, i);
                }
            }
            // x ≤ 0: λα·e^x = y + λα (ELU: λ = 1, α = param)
            case ELU, SELU -> {
                float lambda = f.kind() == Activation.Kind.ELU ? 1f : Activation.SELU_LAMBDA;
                float lambdaAlpha = f.kind() == Activation.Kind.ELU ? p : Activation.SELU_LAMBDA * Activation.SELU_ALPHA;
                for (; i < bound; i += V) {
                    load(y, i).add(lambdaAlpha).blend(lambda, load(x, i).compare(GT, 0f)).mul(load(dy, i))
                            .intoArray(dx, i);
                }
            }
            // d/dx x·σ(2u) = σ(2u) (1 + 2x·u'·(1 - σ(2u))), u' = √(2/π)(1 + 3·0.044715 x²)
            case GELU -> {
                for (; i < bound; i += V) {
                    FloatVector v = load(x, i);
                    FloatVector s = CpuMath.sigmoid(geluInner(v).mul(2f));
                    s.mul(ONE.add(v.add(v).mul(geluInnerSlope(v)).mul(ONE.sub(s)))).mul(load(dy, i)).intoArray(dx, i);
                }
            }
            case SOFTPLUS -> {
                for (; i < bound; i += V) {
                    CpuMath.sigmoid(load(x, i)).mul(load(dy, i)).intoArray(dx, i);
                }
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        }
        for (; i < to; i++) {
            dx[i] = backward(f.kind(), p, x[i], y[i], dy[i]);
        }
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    /** u = √(2/π) (x + 0.044715 x³). */
    private static FloatVector geluInner(FloatVector x) {
        return x.mul(x).mul(Activation.GELU_CUBIC).add(1f).mul(x).mul(Activation.GELU_C);
    }

    /** u' = √(2/π) (1 + 3·0.044715 x²). */
    private static FloatVector geluInnerSlope(FloatVector x) {
        return x.mul(x).mul(3 * Activation.GELU_CUBIC).add(1f).mul(Activation.GELU_C);
    }

    /** y = f(x) for one element: the tails shorter than a vector. */
    static float forward(Activation.Kind kind, float p, float x) {
        return switch (kind) {
            case IDENTITY -> x;
            case BINARY_STEP -> x >= 0f ? 1f : 0f;
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0f ? x : p * x;
            case ELU -> x > 0f ? x : p * (float) Math.expm1(x);
            case SELU -> Activation.SELU_LAMBDA * (x > 0f ? x : Activation.SELU_ALPHA * (float) Math.expm1(x));
            case GELU -> x * sigmoid(2f * geluInnerScalar(x));
            case SOFTPLUS -> Math.max(x, 0f) + (float) Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    /** dx = f'(x) · dy for one element, given y = f(x). */
    static float backward(Activation.Kind kind, float p, float x, float y, float dy) {
        return switch (kind) {
            case IDENTITY -> dy;
            case BINARY_STEP -> 0f;
            case SIGMOID -> y * (1f - y) * dy;
            case TANH -> (1f - y * y) * dy;
            case RELU -> x > 0f ? dy : 0f;
            case LEAKY_RELU -> x > 0f ? dy : p * dy;
            case ELU -> x > 0f ? dy : (y + p) * dy;
            case SELU -> (x > 0f ? Activation.SELU_LAMBDA : y + Activation.SELU_LAMBDA * Activation.SELU_ALPHA) * dy;
            case GELU -> {
                float s = sigmoid(2f * geluInnerScalar(x));
                float du = Activation.GELU_C * (1f + 3f * Activation.GELU_CUBIC * x * x);
                yield s * (1f + 2f * x * du * (1f - s)) * dy;
            }
            case SOFTPLUS -> sigmoid(x) * dy;
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private static float geluInnerScalar(float x) {
        return Activation.GELU_C * (x + Activation.GELU_CUBIC * x * x * x);
    }

    // ---- softmax, row-wise ----------------------------------------------------------------

    /** y_r = exp(x_r - max x_r) / Σ exp(x_r - max x_r) for rows [r0, r1) of width cols. */
    static void softmaxForward(float[] x, float[] y, int cols, int r0, int r1) {
        int vecCols = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            int j = 0;
            if (vecCols > 0) {
                FloatVector m = FloatVector.fromArray(S, x, base);
                for (j = V; j < vecCols; j += V) {
                    m = m.max(FloatVector.fromArray(S, x, base + j));
                }
                max = m.reduceLanes(MAX);
            }
            for (; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            // a fresh zero, not the ZERO constant: C2 boxed the loop's vector where it met the
            // constant object (one vector a row, 8 KB a step of 128x10 on AVX2)
            FloatVector sumV = FloatVector.zero(S);
            for (j = 0; j < vecCols; j += V) {
                FloatVector e = CpuMath.exp(FloatVector.fromArray(S, x, base + j).sub(max));
                e.intoArray(y, base + j);
                sumV = sumV.add(e);
            }
            float sum = CpuMath.sumLanes(sumV);
            for (; j < cols; j++) {
                float e = (float) Math.exp(x[base + j] - max);
                y[base + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (j = 0; j < vecCols; j += V) {
                FloatVector.fromArray(S, y, base + j).mul(inv).intoArray(y, base + j);
            }
            for (; j < cols; j++) {
                y[base + j] *= inv;
            }
        }
    }

    /** dx_r = y_r ⊙ (dy_r - Σ dy_r ⊙ y_r) for rows [r0, r1). */
    static void softmaxBackward(float[] y, float[] dy, float[] dx, int cols, int r0, int r1) {
        int vecCols = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            FloatVector dotV = FloatVector.zero(S);
            int j = 0;
            for (; j < vecCols; j += V) {
                dotV = FloatVector.fromArray(S, dy, base + j).fma(FloatVector.fromArray(S, y, base + j), dotV);
            }
            float dot = CpuMath.sumLanes(dotV);
            for (; j < cols; j++) {
                dot += dy[base + j] * y[base + j];
            }
            for (j = 0; j < vecCols; j += V) {
                FloatVector yv = FloatVector.fromArray(S, y, base + j);
                yv.mul(FloatVector.fromArray(S, dy, base + j).sub(dot)).intoArray(dx, base + j);
            }
            for (; j < cols; j++) {
                dx[base + j] = y[base + j] * (dy[base + j] - dot);
            }
        }
    }
}
