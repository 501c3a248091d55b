package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;

import dev.neurite.backend.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * The vector loops of the element-wise activations, forward y = f(x) and backward
 * dx = f'(x) ⊙ dy, one constant (and so one class) per kind, over [from, bound) whole vectors;
 * {@link CpuActivations} picks the constant and finishes the tail.
 *
 * <p>Each loop is a method of its own class because of how C2 compiles them. A vector handed to
 * or returned from a call that C2 does not inline is boxed on the heap. With every kind in one
 * switch, a JVM that had run many kinds compiled the switch with all of them inlined, hit C2's
 * node limit (NodeCountInliningCutoff) and left {@code CpuMath.sigmoid} a call: 2.9 KB a step of
 * boxed vectors for a 64-15-10 network. Called through these constants, a site that has seen
 * many kinds is a virtual call C2 does not inline, so each loop is compiled on its own with
 * its helpers inside it; a site that has seen one or two is inlined as before.
 *
 * <p>{@code a} and {@code b} carry the kind's parameters: the slope of leaky ReLU; α and λ of
 * ELU and SELU.
 */
enum CpuActivationLoops {
    BINARY_STEP {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                ZERO.blend(ONE, load(x, i).compare(GE, 0f)).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            java.util.Arrays.fill(dx, from, bound, 0f);
        }
    },
    SIGMOID {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                CpuMath.sigmoid(load(x, i)).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector yv = load(y, i);
                yv.mul(ONE.sub(yv)).mul(load(dy, i)).intoArray(dx, i);
            }
        }
    },
    TANH {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                CpuMath.tanh(load(x, i)).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector yv = load(y, i);
                ONE.sub(yv.mul(yv)).mul(load(dy, i)).intoArray(dx, i);
            }
        }
    },
    RELU {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                load(x, i).max(0f).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                ZERO.blend(load(dy, i), load(x, i).compare(GT, 0f)).intoArray(dx, i);
            }
        }
    },
    /** a = the slope for x ≤ 0. */
    LEAKY_RELU {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector v = load(x, i);
                v.mul(a).blend(v, v.compare(GT, 0f)).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector g = load(dy, i);
                g.mul(a).blend(g, load(x, i).compare(GT, 0f)).intoArray(dx, i);
            }
        }
    },
    /** ELU and SELU: y = λ·(x > 0 ? x : α(e^x - 1)), a = α, b = λ (ELU: λ = 1). */
    ELU {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector v = load(x, i);
                v.lanewise(EXPM1).mul(a).blend(v, v.compare(GT, 0f)).mul(b).intoArray(y, i);
            }
        }

        // x ≤ 0: λα·e^x = y + λα
        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            float lambdaAlpha = b * a;
            for (int i = from; i < bound; i += V) {
                load(y, i).add(lambdaAlpha).blend(b, load(x, i).compare(GT, 0f)).mul(load(dy, i)).intoArray(dx, i);
            }
        }
    },
    // ½x(1 + tanh u) = x·σ(2u), which keeps its precision where tanh u → -1
    GELU {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector v = load(x, i);
                v.mul(CpuMath.sigmoid(geluInner(v).mul(2f))).intoArray(y, i);
            }
        }

        // d/dx x·σ(2u) = σ(2u) (1 + 2x·u'·(1 - σ(2u))), u' = √(2/π)(1 + 3·0.044715 x²)
        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector v = load(x, i);
                FloatVector s = CpuMath.sigmoid(geluInner(v).mul(2f));
                s.mul(ONE.add(v.add(v).mul(geluInnerSlope(v)).mul(ONE.sub(s)))).mul(load(dy, i)).intoArray(dx, i);
            }
        }
    },
    SOFTPLUS {
        @Override
        void forward(float[] x, float[] y, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                FloatVector v = load(x, i);
                v.max(0f).add(CpuMath.exp(v.abs().neg()).lanewise(LOG1P)).intoArray(y, i);
            }
        }

        @Override
        void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b) {
            for (int i = from; i < bound; i += V) {
                CpuMath.sigmoid(load(x, i)).mul(load(dy, i)).intoArray(dx, i);
            }
        }
    };

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector ZERO = FloatVector.zero(S);

    /** y[from..bound) = f(x[from..bound)), bound - from a multiple of V. */
    abstract void forward(float[] x, float[] y, int from, int bound, float a, float b);

    /** dx[from..bound) = f'(x) ⊙ dy, given y = f(x), bound - from a multiple of V. */
    abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int bound, float a, float b);

    /** The loops of an element-wise kind other than identity (a copy) and softmax (row-wise). */
    static CpuActivationLoops of(Activation.Kind kind) {
        return switch (kind) {
            case BINARY_STEP -> BINARY_STEP;
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case RELU -> RELU;
            case LEAKY_RELU -> LEAKY_RELU;
            case ELU, SELU -> ELU;
            case GELU -> GELU;
            case SOFTPLUS -> SOFTPLUS;
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise");
            case IDENTITY -> throw new IllegalArgumentException("identity is a copy, not a loop");
        };
    }

    /** The first parameter of {@link #forward} and {@link #backward} for an activation. */
    static float a(Activation f) {
        return f.kind() == Activation.Kind.SELU ? Activation.SELU_ALPHA : f.param();
    }

    /** The second: λ of SELU, 1 for ELU. */
    static float b(Activation f) {
        return f.kind() == Activation.Kind.SELU ? Activation.SELU_LAMBDA : 1f;
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
}
