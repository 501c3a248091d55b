package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Transpose;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed path's blocking on caches small enough that a product of a few hundred rows and
 * columns has several row panels, column panels and KC steps, on one part, two and three: the parts
 * then pack the next step into the other set of blocks while units of the step before run, and
 * a new panel's first step runs beside the last step of the panel before. Every element is
 * compared with a double-precision product of the same floats.
 */
class CpuGemmBlockingTest {
    /**
     * L1d 8K, L2 64K, L3 256K. 12x2: KC 64 (80 for a batch A of at most 4096 floats), MC 252 rows,
     * NC 192 columns; 4x2: KC 128 (256), MC 128, NC 96.
     */
    private static final CpuCaches TINY = new CpuCaches(8 << 10, 64 << 10, 256 << 10);
    /**
     * L1d 8K, L2 256K, L3 1M: 12x2 with NC 768, so a batch of a few row slivers has column panels
     * wide enough for one column block a part, or two (24x1100x300 on two parts: four blocks of two
     * row blocks each), and three parts split four row blocks.
     */
    private static final CpuCaches WIDE = new CpuCaches(8 << 10, 256 << 10, 1 << 20);

    static Stream<Arguments> cases() {
        // several panels of rows and of columns; a batch-sized A (12x300) with work for two parts; odd edges
        int[][] mnk = {{300, 500, 300}, {12, 700, 300}, {97, 230, 129}};
        Stream.Builder<Arguments> cases = Stream.builder();
        for (int threads : new int[] {2, 3}) {
            for (int[] s : new int[][] {{24, 1100, 300}, {40, 800, 300}}) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        for (float beta : new float[] {-0.5f, 0f}) {
                            cases.add(Arguments.of("12x2", WIDE, threads, ta, tb, s[0], s[1], s[2], beta));
                        }
                    }
                }
            }
        }
        for (String variant : new String[] {"12x2", "4x2"}) {
            // three parts: fewer column blocks than parts, and row blocks the parts do not divide
            for (int threads : new int[] {1, 2, 3}) {
                for (int[] s : mnk) {
                    for (Transpose ta : Transpose.values()) {
                        for (Transpose tb : Transpose.values()) {
                            for (float beta : new float[] {-0.5f, 0f}) {
                                cases.add(Arguments.of(variant, TINY, threads, ta, tb, s[0], s[1], s[2], beta));
                            }
                        }
                    }
                }
            }
        }
        return cases.build();
    }

    /** With beta 0, C starts as NaN: the first step writes C without reading it, so none may remain. */
    @ParameterizedTest(name = "{0}, {1}, on {2}: {3}{4} {5}x{6}x{7}, beta {8}")
    @MethodSource("cases")
    void manyPanelsAndStepsGiveTheProduct(String variant, CpuCaches caches, int threads, Transpose ta, Transpose tb,
                                          int m, int n, int k, float beta) {
        CpuGemmPlan plan = CpuGemmPlan.forVariant(variant, CpuGemmKernels.V, 32, caches);
        assertTrue(plan.kc() < k, "several KC steps: " + plan.describe());
        Random rnd = new Random(m * 31L + n * 7L + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = random(rnd, m * n);
        if (beta == 0f) {
            Arrays.fill(c, Float.NaN);
        }
        float alpha = 0.75f;
        double[] exact = new double[m * n];
        double[] scale = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = (double) (ta == Transpose.NONE ? a[i * k + p] : a[p * m + i])
                            * (tb == Transpose.NONE ? b[p * n + j] : b[j * k + p]);
                    s += x;
                    abs += Math.abs(x);
                }
                double old = beta == 0f ? 0 : beta * (double) c[i * n + j];
                exact[i * n + j] = alpha * s + old;
                scale[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
            }
        }
        try (CpuParallel parallel = new CpuParallel(threads)) {
            CpuGemm gemm = new CpuGemm(parallel, plan);
            // twice: the second call reuses the job, its blocks and its counters
            float[] first = c.clone();
            gemm.gemm(ta, tb, m, n, k, alpha, a, b, beta, first);
            float[] second = c.clone();
            gemm.gemm(ta, tb, m, n, k, alpha, a, b, beta, second);
            for (int e = 0; e < m * n; e++) {
                // float rounding of k products and their sum, with room: 4·k·2⁻²⁴ of the magnitudes
                double tolerance = 4.0 * (k + 2) * 0x1p-24 * scale[e] + 1e-6;
                int i = e / n;
                int j = e % n;
                assertEquals(exact[e], first[e], tolerance, () -> "C[" + i + ", " + j + "]");
                assertEquals(first[e], second[e], () -> "second call, C[" + i + ", " + j + "]");
            }
        }
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }
}
