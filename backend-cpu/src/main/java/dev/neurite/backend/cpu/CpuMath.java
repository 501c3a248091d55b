package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector exp and what is built on it. The JDK's {@code VectorOperators.EXP} and {@code TANH}
 * cost about 30 cycles a vector on AVX2, which made exp-based activations 5-10x slower than
 * memory; this polynomial is a fraction of that and within 2 ulp on [-87, 88].
 *
 * <p>The methods are flat on purpose: a vector passed to or returned from a call that C2 does
 * not inline is boxed on the heap, and C2 stops inlining 15 calls deep, a depth the Vector
 * API's own layers use up quickly.
 */
final class CpuMath {
    /**
     * The lanes of v added left to right. {@code reduceLanes(ADD)} leaves the order open, and the
     * JIT's intrinsic and the Java code it replaces (C1, the interpreter) do use different orders,
     * so one sum came out a bit different run alone and run early beside other threads.
     */
    static float sumLanes(FloatVector v) {
        float sum = 0f;
        for (int l = 0; l < v.length(); l++) {
            sum += v.lane(l);
        }
        return sum;
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2^23: adding and subtracting it rounds a float to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float MAX_ARG = 88.3762626647949f;
    private static final float MIN_ARG = -87.3365447504f;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -0.693359375f);
    private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, 2.12194440e-4f);
    private static final FloatVector E0 = FloatVector.broadcast(S, 1.9875691500e-4f);
    private static final FloatVector E1 = FloatVector.broadcast(S, 1.3981999507e-3f);
    private static final FloatVector E2 = FloatVector.broadcast(S, 8.3334519073e-3f);
    private static final FloatVector E3 = FloatVector.broadcast(S, 4.1665795894e-2f);
    private static final FloatVector E4 = FloatVector.broadcast(S, 1.6666665459e-1f);
    private static final FloatVector E5 = FloatVector.broadcast(S, 5.0000001201e-1f);
    private static final FloatVector T0 = FloatVector.broadcast(S, -5.70498872745e-3f);
    private static final FloatVector T1 = FloatVector.broadcast(S, 2.06390887954e-2f);
    private static final FloatVector T2 = FloatVector.broadcast(S, -5.37397155531e-2f);
    private static final FloatVector T3 = FloatVector.broadcast(S, 1.33314422036e-1f);
    private static final FloatVector T4 = FloatVector.broadcast(S, -3.33332819422e-1f);

    private CpuMath() {
    }

    /**
     * e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (Cephes expf), 2^n
     * written into the exponent bits: with t = x·log2(e) + 1.5·2^23, t's low mantissa bits
     * hold n, and shifted into the exponent field they give 2^n without a float-to-int
     * conversion. Arguments are clamped to [-87.3, 88.4], so the result never overflows to
     * infinity nor underflows below the smallest normal float.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector t = xc.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(NEG_LN2_LO, n.fma(NEG_LN2_HI, xc));
        FloatVector p = E0.fma(r, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5).fma(r.mul(r), r).add(ONE);
        return p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(127 << 23).reinterpretAsFloats());
    }

    /** σ(x) = 1 / (1 + e^-x). */
    static FloatVector sigmoid(FloatVector x) {
        return ONE.div(exp(x.neg()).add(ONE));
    }

    /**
     * tanh x = 1 - 2 / (e^{2x} + 1); for |x| < 0.625 the odd polynomial of Cephes tanhf
     * instead, which keeps the relative precision near zero.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector large = ONE.sub(TWO.div(exp(x.add(x)).add(ONE)));
        FloatVector x2 = x.mul(x);
        FloatVector small = T0.fma(x2, T1).fma(x2, T2).fma(x2, T3).fma(x2, T4).mul(x2).fma(x, x);
        return large.blend(small, x.abs().compare(VectorOperators.LT, 0.625f));
    }
}
