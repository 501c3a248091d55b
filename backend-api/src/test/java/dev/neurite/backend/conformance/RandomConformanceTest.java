package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.neurite.backend.DeviceMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seeded Bernoulli mask (dropout) and the row-vector product (batch norm). */
class RandomConformanceTest extends ConformanceBase {

    @ParameterizedTest(name = "p={0} seed={1}")
    @CsvSource({"0.5,1", "0.8,-7", "0.1,123456789012345", "0,3", "1,3"})
    void bernoulliIsTheReferenceHashBitForBit(float p, long seed) {
        int rows = 317;
        int cols = 311;
        DeviceMatrix m = zeros(rows, cols);
        backend.bernoulli(p, 1f / Math.max(p, 1e-3f), seed, m);
        float[] got = backend.download(m);
        assertNear("bernoulli", Reference.bernoulli(p, 1f / Math.max(p, 1e-3f), seed, rows * cols), got, 0, 0);
        long kept = Arrays.stream(box(got)).filter(v -> v != 0).count();
        // 98,587 draws: the kept fraction is within 5 standard deviations of p
        double sd = Math.sqrt(p * (1 - p) / got.length);
        assertEquals(p, (double) kept / got.length, 5 * sd + 1e-9, "fraction kept");
    }

    @ParameterizedTest(name = "p={0}")
    @CsvSource({"0.5", "0.9"})
    void differentSeedsGiveDifferentMasks(float p) {
        DeviceMatrix a = zeros(64, 64);
        DeviceMatrix b = zeros(64, 64);
        backend.bernoulli(p, 1f, 41, a);
        backend.bernoulli(p, 1f, 42, b);
        assertFalse(Arrays.equals(backend.download(a), backend.download(b)), "seeds 41 and 42 gave the same mask");
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "33,31", "128,784"})
    void multiplyRowVectorBroadcastsOverRows(int rows, int cols) {
        Random rnd = new Random(rows * 7L + cols);
        float[] x = random(rnd, rows * cols, -3, 3);
        float[] v = random(rnd, cols, -1, 1);
        float[] expected = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[i * cols + j] = x[i * cols + j] * v[j];
            }
        }
        DeviceMatrix dx = up(x, rows, cols);
        backend.multiplyRowVector(dx, up(v, 1, cols), dx);
        assertNear("multiplyRowVector in place", expected, backend.download(dx), 0, 0);
    }

    private static double[] box(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
