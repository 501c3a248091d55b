package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.TANH;

import dev.neurite.backend.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

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

    /** y = f(x) on one vector. */
    static FloatVector forward(Activation.Kind kind, float p, FloatVector x) {
        return switch (kind) {
            case IDENTITY -> x;
            case BINARY_STEP -> ZERO.blend(ONE, x.compare(GE, 0f));
            case SIGMOID -> sigmoid(x);
            case TANH -> x.lanewise(TANH);
            case RELU -> x.lanewise(MAX, 0f);
            case LEAKY_RELU -> x.mul(p).blend(x, x.compare(GT, 0f));
            case ELU -> x.lanewise(EXPM1).mul(p).blend(x, x.compare(GT, 0f));
            case SELU -> x.lanewise(EXPM1).mul(Activation.SELU_ALPHA).blend(x, x.compare(GT, 0f))
                    .mul(Activation.SELU_LAMBDA);
            // ½x(1 + tanh u) = x·σ(2u), which keeps its precision where tanh u → -1
            case GELU -> x.mul(sigmoid(geluInner(x).mul(2f)));
            case SOFTPLUS -> x.lanewise(MAX, 0f).add(x.abs().neg().lanewise(EXP).lanewise(LOG1P));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    /** dx = f'(x) ⊙ dy on one vector, given y = f(x). */
    static FloatVector backward(Activation.Kind kind, float p, FloatVector x, FloatVector y, FloatVector dy) {
        return switch (kind) {
            case IDENTITY -> dy;
            case BINARY_STEP -> ZERO;
            case SIGMOID -> y.mul(ONE.sub(y)).mul(dy);
            case TANH -> ONE.sub(y.mul(y)).mul(dy);
            case RELU -> ZERO.blend(dy, x.compare(GT, 0f));
            case LEAKY_RELU -> dy.mul(p).blend(dy, x.compare(GT, 0f));
            // x ≤ 0: alpha·e^x = y + alpha
            case ELU -> y.add(p).mul(dy).blend(dy, x.compare(GT, 0f));
            // x ≤ 0: λα·e^x = y + λα
            case SELU -> y.add(Activation.SELU_LAMBDA * Activation.SELU_ALPHA).blend(Activation.SELU_LAMBDA,
                    x.compare(GT, 0f)).mul(dy);
            // d/dx x·σ(2u) = σ(2u) (1 + 2x·u'·(1 - σ(2u))), u' = √(2/π)(1 + 3·0.044715 x²)
            case GELU -> {
                FloatVector s = sigmoid(geluInner(x).mul(2f));
                FloatVector du = x.mul(x).mul(3 * Activation.GELU_CUBIC).add(1f).mul(Activation.GELU_C);
                yield s.mul(ONE.add(x.mul(2f).mul(du).mul(ONE.sub(s)))).mul(dy);
            }
            case SOFTPLUS -> sigmoid(x).mul(dy);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
        };
    }

    private static FloatVector sigmoid(FloatVector x) {
        return ONE.div(ONE.add(x.neg().lanewise(EXP)));
    }

    /** √(2/π) (x + 0.044715 x³). */
    private static FloatVector geluInner(FloatVector x) {
        return x.mul(x).mul(Activation.GELU_CUBIC).add(1f).mul(x).mul(Activation.GELU_C);
    }

    /** y[from..to) = f(x[from..to)). */
    static void forwardRange(Activation f, float[] x, float[] y, int from, int to) {
        Activation.Kind kind = f.kind();
        float p = f.param();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            forward(kind, p, FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            forward(kind, p, FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
        }
    }

    /** dx[from..to) = f'(x) ⊙ dy. */
    static void backwardRange(Activation f, float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
        Activation.Kind kind = f.kind();
        float p = f.param();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += V) {
            backward(kind, p, FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, y, i),
                    FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            backward(kind, p, FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, y, i, m),
                    FloatVector.fromArray(S, dy, i, m)).intoArray(dx, i, m);
        }
    }

    // ---- softmax, row-wise ----------------------------------------------------------------

    /** y_r = exp(x_r - max x_r) / Σ exp(x_r - max x_r) for rows [r0, r1) of width cols. */
    static void softmaxForward(float[] x, float[] y, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                max = Math.max(max, FloatVector.fromArray(S, x, base + j, m).reduceLanes(MAX, m));
            }
            FloatVector sum = ZERO;
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector e = FloatVector.fromArray(S, x, base + j, m).sub(max).lanewise(EXP);
                e.intoArray(y, base + j, m);
                sum = sum.add(e, m);
            }
            float inv = 1f / sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector.fromArray(S, y, base + j, m).mul(inv).intoArray(y, base + j, m);
            }
        }
    }

    /** dx_r = y_r ⊙ (dy_r - Σ dy_r ⊙ y_r) for rows [r0, r1). */
    static void softmaxBackward(float[] y, float[] dy, float[] dx, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            FloatVector dot = ZERO;
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                dot = FloatVector.fromArray(S, dy, base + j, m).fma(FloatVector.fromArray(S, y, base + j, m), dot);
            }
            float d = dot.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector yv = FloatVector.fromArray(S, y, base + j, m);
                yv.mul(FloatVector.fromArray(S, dy, base + j, m).sub(d)).intoArray(dx, base + j, m);
            }
        }
    }
}
