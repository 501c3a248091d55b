package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.DeviceMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The element-wise arithmetic training needs: exact float results, so compared exactly. */
class ArithmeticConformanceTest extends ConformanceBase {

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "33,31", "1000,784"})
    void binaryOps(int rows, int cols) {
        Random rnd = new Random(rows + cols);
        int n = rows * cols;
        float[] a = random(rnd, n, -3, 3);
        float[] b = random(rnd, n, -3, 3);
        float[] sum = new float[n];
        float[] diff = new float[n];
        float[] prod = new float[n];
        for (int i = 0; i < n; i++) {
            sum[i] = a[i] + b[i];
            diff[i] = a[i] - b[i];
            prod[i] = a[i] * b[i];
        }
        DeviceMatrix da = up(a, rows, cols);
        DeviceMatrix db = up(b, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.add(da, db, out);
        assertNear("add", sum, backend.download(out), 0, 0);
        backend.subtract(da, db, out);
        assertNear("subtract", diff, backend.download(out), 0, 0);
        backend.multiply(da, db, out);
        assertNear("multiply", prod, backend.download(out), 0, 0);
        backend.add(da, db, da);
        assertNear("add in place", sum, backend.download(da), 0, 0);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "33,31", "1000,784"})
    void scaleAxpyFillCopy(int rows, int cols) {
        Random rnd = new Random(rows * 3L + cols);
        int n = rows * cols;
        float[] x = random(rnd, n, -3, 3);
        float[] y = random(rnd, n, -3, 3);
        float[] scaled = new float[n];
        float[] axpy = new float[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = -0.75f * x[i];
            axpy[i] = Math.fma(0.5f, x[i], y[i]);
        }
        DeviceMatrix dx = up(x, rows, cols);
        DeviceMatrix dy = up(y, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.scale(-0.75f, dx, out);
        assertNear("scale", scaled, backend.download(out), 0, 0);
        backend.axpy(0.5f, dx, dy);
        // fused or not, one rounding step apart at most
        assertNear("axpy", axpy, backend.download(dy), 2 * U, 0);
        backend.copy(dx, out);
        assertNear("copy", x, backend.download(out), 0, 0);
        backend.fill(out, 2.5f);
        float[] filled = new float[n];
        java.util.Arrays.fill(filled, 2.5f);
        assertNear("fill", filled, backend.download(out), 0, 0);
        backend.scale(2f, dx, dx);
        for (int i = 0; i < n; i++) {
            x[i] *= 2f;
        }
        assertNear("scale in place", x, backend.download(dx), 0, 0);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "33,31", "128,784", "1000,15"})
    void addRowVectorBroadcastsOverRows(int rows, int cols) {
        Random rnd = new Random(rows * 5L + cols);
        float[] x = random(rnd, rows * cols, -3, 3);
        float[] bias = random(rnd, cols, -1, 1);
        float[] expected = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[i * cols + j] = x[i * cols + j] + bias[j];
            }
        }
        DeviceMatrix dx = up(x, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.addRowVector(dx, up(bias, 1, cols), out);
        assertNear("addRowVector", expected, backend.download(out), 0, 0);
        backend.addRowVector(dx, up(bias, 1, cols), dx);
        assertNear("addRowVector in place", expected, backend.download(dx), 0, 0);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "33,31", "1000,784"})
    void signIsExactAndKeepsZerosAndNaN(int rows, int cols) {
        int n = rows * cols;
        float[] x = random(new Random(rows * 7L + cols), n, -3, 3);
        float[] special = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, -1e-30f};
        for (int i = 0; i < Math.min(n, special.length); i++) {
            x[(i * 5) % n] = special[i];
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Math.signum(x[i]);
        }
        DeviceMatrix dx = up(x, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.sign(dx, out);
        assertSameBits("sign on " + backendName, expected, backend.download(out));
        backend.sign(dx, dx);
        assertSameBits("sign in place on " + backendName, expected, backend.download(dx));
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "3,17", "1,500", "100,784"})
    void inverseSqrtMatchesTheDoubleReference(int rows, int cols) {
        int n = rows * cols;
        float[] variance = random(new Random(rows * 11L + cols), n, 0, 4);
        variance[0] = 0f;
        variance[n - 1] = 1e6f;
        float eps = 1e-5f;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) (1 / Math.sqrt((double) variance[i] + eps));
        }
        DeviceMatrix v = up(variance, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.inverseSqrt(eps, v, out);
        // a sum, a square root and a quotient in float: a few roundings off the exact value
        assertNear("inverseSqrt on " + backendName, expected, backend.download(out), 4 * U, 0);
        backend.inverseSqrt(0.5f, v, v);
        for (int i = 0; i < n; i++) {
            expected[i] = (float) (1 / Math.sqrt((double) variance[i] + 0.5));
        }
        assertNear("inverseSqrt in place on " + backendName, expected, backend.download(v), 4 * U, 0);
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    @Test
    void mismatchedShapesNameTheOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.add(zeros(2, 3), zeros(3, 2), zeros(2, 3)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("2x3")
                && e.getMessage().contains("3x2"), e.getMessage());
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> backend.addRowVector(zeros(4, 3), zeros(1, 4), zeros(4, 3)));
        assertTrue(bias.getMessage().contains("addRowVector") && bias.getMessage().contains("1x4"),
                bias.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.axpy(1f, zeros(1, 2), zeros(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> backend.copy(zeros(1, 2), zeros(1, 3)));
        IllegalArgumentException sign = assertThrows(IllegalArgumentException.class,
                () -> backend.sign(zeros(2, 3), zeros(3, 2)));
        assertTrue(sign.getMessage().contains("sign") && sign.getMessage().contains("3x2"), sign.getMessage());
        IllegalArgumentException inv = assertThrows(IllegalArgumentException.class,
                () -> backend.inverseSqrt(1e-5f, zeros(1, 4), zeros(1, 5)));
        assertTrue(inv.getMessage().contains("inverseSqrt") && inv.getMessage().contains("1x5"), inv.getMessage());
    }
}
