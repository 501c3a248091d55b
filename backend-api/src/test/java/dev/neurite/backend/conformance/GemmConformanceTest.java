package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** gemm: C = alpha · op(A) · op(B) + beta · C, every transpose combination and odd size. */
class GemmConformanceTest extends ConformanceBase {
    private static final int[] SMALL = {1, 3, 15, 17, 31, 33};
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {-0.5f, 1f}, {2f, 0.25f}, {1f, -1f}};

    static Stream<Arguments> smallShapes() {
        List<Arguments> cases = new ArrayList<>();
        int seed = 0;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int m : SMALL) {
                    for (int n : SMALL) {
                        for (int k : SMALL) {
                            float[] ab = ALPHA_BETA[seed++ % ALPHA_BETA.length];
                            cases.add(Arguments.of(ta, tb, m, n, k, ab[0], ab[1]));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /** Layer shapes of 784-15-10 and 784-512-512-10 at batch 10 and 128, and the large odd sizes. */
    static Stream<Arguments> largeShapes() {
        int[][] mnk = {
            {10, 15, 784}, {128, 15, 784}, {784, 15, 10}, {784, 15, 128}, {10, 784, 15}, {128, 784, 15},
            {128, 512, 784}, {128, 10, 512}, {1000, 33, 784}, {33, 1000, 784}, {784, 1000, 17},
            {1000, 784, 31}, {3, 1000, 1000}, {1000, 1, 784}, {1, 1000, 784}, {257, 129, 1000},
        };
        List<Arguments> cases = new ArrayList<>();
        int seed = 0;
        for (int[] s : mnk) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    float[] ab = ALPHA_BETA[seed++ % ALPHA_BETA.length];
                    cases.add(Arguments.of(ta, tb, s[0], s[1], s[2], ab[0], ab[1]));
                }
            }
        }
        return cases.stream();
    }

    /**
     * Widths at and around whole vectors of 8 and 16 floats (a full tile, a masked one, two
     * vectors), tall enough for the tallest direct tiles and their leftover rows, each with beta 0
     * (C written without being read) and beta 0.5 (C read and added to).
     */
    static Stream<Arguments> vectorEdges() {
        int[] widths = {7, 8, 9, 16, 24, 32};
        int[][] mk = {{47, 9}, {16, 37}, {40, 3}};
        List<Arguments> cases = new ArrayList<>();
        for (int n : widths) {
            for (int[] s : mk) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        cases.add(Arguments.of(ta, tb, s[0], n, s[1], 1.5f, 0f));
                        cases.add(Arguments.of(ta, tb, s[0], n, s[1], -1f, 0.5f));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4} alpha={5} beta={6}")
    @MethodSource("vectorEdges")
    void vectorEdgesMatchReference(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta) {
        checkAgainstReference(ta, tb, m, n, k, alpha, beta, false);
    }

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4} alpha={5} beta={6}")
    @MethodSource("smallShapes")
    void smallShapesMatchReference(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta) {
        checkAgainstReference(ta, tb, m, n, k, alpha, beta, false);
    }

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4} alpha={5} beta={6}")
    @MethodSource("largeShapes")
    void largeShapesMatchReferenceAndCommonsMath(Transpose ta, Transpose tb, int m, int n, int k,
                                                 float alpha, float beta) {
        checkAgainstReference(ta, tb, m, n, k, alpha, beta, true);
    }

    @Test
    void squareThousandMatchesCommonsMath() {
        checkAgainstReference(Transpose.NONE, Transpose.NONE, 1000, 1000, 1000, 1f, 0f, true);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Random rnd = new Random(7);
        int[][] mnk = {{33, 17, 31}, {40, 15, 9}};
        for (int[] s : mnk) {
            for (Transpose ta : Transpose.values()) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(rnd, m * k, -1, 1);
                float[] b = random(rnd, k * n, -1, 1);
                float[] c0 = new float[m * n];
                Arrays.fill(c0, Float.NaN);
                DeviceMatrix c = up(c0, m, n);
                backend.gemm(ta, Transpose.NONE, 1.5f, ta == Transpose.NONE ? up(a, m, k) : up(a, k, m), up(b, k, n),
                        0f, c);
                float[] expected = new float[m * n];
                Reference.gemm(ta, Transpose.NONE, m, n, k, 1.5f, a, b, 0f, expected);
                assertNear("beta=0 with NaN in C, " + ta + " " + m + "x" + n + "x" + k, expected, backend.download(c),
                        Reference.gemmMagnitude(ta, Transpose.NONE, m, n, k, a, b), 1e-5, 1e-6);
            }
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        float[] c0 = {1, 2, 3, 4, 5, 6};
        DeviceMatrix c = up(c0, 2, 3);
        backend.gemm(Transpose.NONE, Transpose.NONE, 1f, zeros(2, 0), zeros(0, 3), 0.5f, c);
        assertNear("k=0", new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, backend.download(c), 0, 0);
    }

    @Test
    void mismatchedShapesNameTheOpAndBothShapes() {
        DeviceMatrix a = zeros(3, 4);
        DeviceMatrix b = zeros(5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NONE, Transpose.NONE, 1f, a, b, 0f, zeros(3, 6)));
        assertTrue(e.getMessage().contains("gemm") && e.getMessage().contains("3x4")
                && e.getMessage().contains("5x6"), e.getMessage());
        IllegalArgumentException wrongC = assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NONE, Transpose.TRANSPOSE, 1f, a, zeros(6, 4), 0f, zeros(6, 3)));
        assertTrue(wrongC.getMessage().contains("6x3"), wrongC.getMessage());
        DeviceMatrix square = zeros(4, 4);
        assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NONE, Transpose.NONE, 1f, square, zeros(4, 4), 0f, square));
    }

    private void checkAgainstReference(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                       float beta, boolean commonsMath) {
        Random rnd = new Random(31L * m + 17L * n + k + ta.ordinal() * 7L + tb.ordinal());
        float[] a = random(rnd, m * k, -1, 1);
        float[] b = random(rnd, k * n, -1, 1);
        float[] c0 = random(rnd, m * n, -1, 1);
        DeviceMatrix da = ta == Transpose.NONE ? up(a, m, k) : up(a, k, m);
        DeviceMatrix db = tb == Transpose.NONE ? up(b, k, n) : up(b, n, k);
        DeviceMatrix dc = up(c0, m, n);
        backend.gemm(ta, tb, alpha, da, db, beta, dc);
        float[] actual = backend.download(dc);

        double[] scale = Reference.gemmMagnitude(ta, tb, m, n, k, a, b);
        for (int i = 0; i < scale.length; i++) {
            scale[i] = Math.abs(alpha) * scale[i] + Math.abs(beta * c0[i]);
        }
        // float32 accumulation over k terms: error grows like sqrt(k) units of roundoff of the scale
        double rel = (8 * Math.sqrt(k) + 8) * U;
        String what = "gemm " + ta + "," + tb + " " + m + "x" + n + "x" + k + " on " + backendName;

        float[] expected = c0.clone();
        Reference.gemm(ta, tb, m, n, k, alpha, a, b, beta, expected);
        assertNear(what + " vs reference", expected, actual, scale, rel, 1e-30);
        if (commonsMath) {
            assertNear(what + " vs Commons Math", commonsMath(ta, tb, m, n, k, alpha, a, b, beta, c0),
                    actual, scale, rel, 1e-30);
        }
    }

    /** The same product in double precision through Apache Commons Math, an independent oracle. */
    static float[] commonsMath(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a,
                               float[] b, float beta, float[] c0) {
        RealMatrix opA = ta == Transpose.NONE ? matrix(a, m, k) : matrix(a, k, m).transpose();
        RealMatrix opB = tb == Transpose.NONE ? matrix(b, k, n) : matrix(b, n, k).transpose();
        RealMatrix c = opA.multiply(opB).scalarMultiply(alpha);
        if (beta != 0f) {
            c = c.add(matrix(c0, m, n).scalarMultiply(beta));
        }
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) c.getEntry(i, j);
            }
        }
        return out;
    }

    private static RealMatrix matrix(float[] x, int rows, int cols) {
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i][j] = x[i * cols + j];
            }
        }
        return new Array2DRowRealMatrix(d, false);
    }
}
