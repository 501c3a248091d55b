package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.neurite.backend.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * The activation catalogue on the CPU: forward y = f(x) and backward dx = f'(x) ⊙ dy side by
 * side, one vector at a time. The formulas are those of {@link Activation.Kind}.
 */
final class CpuActivations {
    private CpuActivations() {
    }

    // ---- element-wise kinds ------------------------------------------------------------
    //
    // The vector loops are in CpuActivationLoops, one class per kind (why: there); the tails
    // shorter than a vector here.

    /** y[from..to) = f(x[from..to)). */
    static void forwardRange(Activation f, float[] x, float[] y, int from, int to) {
        if (f.kind() == Activation.Kind.IDENTITY) {
            System.arraycopy(x, from, y, from, to - from);
            return;
        }
        int bound = from + S.loopBound(to - from);
        CpuActivationLoops.of(f.kind()).forward(x, y, from, bound, CpuActivationLoops.a(f), CpuActivationLoops.b(f));
        float p = f.param();
        for (int i = bound; i < to; i++) {
            y[i] = forward(f.kind(), p, x[i]);
        }
    }

    /** dx[from..to) = f'(x) ⊙ dy, given y = f(x). */
    static void backwardRange(Activation f, float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
        if (f.kind() == Activation.Kind.IDENTITY) {
            System.arraycopy(dy, from, dx, from, to - from);
            return;
        }
        int bound = from + S.loopBound(to - from);
        CpuActivationLoops.of(f.kind()).backward(x, y, dy, dx, from, bound, CpuActivationLoops.a(f),
                CpuActivationLoops.b(f));
        float p = f.param();
        for (int i = bound; i < to; i++) {
            dx[i] = backward(f.kind(), p, x[i], y[i], dy[i]);
        }
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
                    // the fresh vector is the receiver (see CpuWindows.maxWindow)
                    m = FloatVector.fromArray(S, x, base + j).max(m);
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
                sumV = e.add(sumV);
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
