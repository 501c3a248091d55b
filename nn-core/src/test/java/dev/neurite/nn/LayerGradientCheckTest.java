package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each layer alone against central differences ({@link GradientCheck}: with L = Σ r ⊙ layer(x)
 * for a fixed random r, backward(r) must give ∂L/∂x and every ∂L/∂θ), and the behaviours of
 * dropout and batch norm that a gradient check does not see.
 */
class LayerGradientCheckTest extends OnCpu {
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("conv 3x3", (Supplier<Layer>) () -> new Conv2d(4, 3, 1, 0, Init.XAVIER), Shape.image(2, 6, 5)),
                Arguments.of("conv 3x3 stride 2 pad 1", (Supplier<Layer>) () -> new Conv2d(3, 3, 2, 1, Init.XAVIER),
                        Shape.image(2, 7, 6)),
                Arguments.of("conv 2x2 stride 2", (Supplier<Layer>) () -> new Conv2d(2, 2, 2, 0, Init.HE), Shape.image(3, 4, 4)),
                Arguments.of("conv 5x5 pad 2", (Supplier<Layer>) () -> new Conv2d(2, 5, 1, 2, Init.XAVIER), Shape.image(1, 5, 5)),
                Arguments.of("max pool 2", (Supplier<Layer>) () -> Pool2d.max(2), Shape.image(3, 6, 4)),
                Arguments.of("max pool 3 stride 2", (Supplier<Layer>) () -> new Pool2d(Pooling.MAX, 3, 2), Shape.image(2, 7, 7)),
                Arguments.of("average pool 2", (Supplier<Layer>) () -> Pool2d.average(2), Shape.image(3, 6, 4)),
                Arguments.of("average pool 3 stride 1", (Supplier<Layer>) () -> new Pool2d(Pooling.AVERAGE, 3, 1),
                        Shape.image(2, 5, 5)),
                Arguments.of("flatten", (Supplier<Layer>) Flatten::new, Shape.image(2, 3, 3)),
                Arguments.of("maxout 3", (Supplier<Layer>) () -> new Maxout(3), Shape.flat(12)),
                Arguments.of("batch norm, features", (Supplier<Layer>) BatchNorm::new, Shape.flat(5)),
                Arguments.of("batch norm, channels", (Supplier<Layer>) BatchNorm::new, Shape.image(3, 2, 2)),
                Arguments.of("dense", (Supplier<Layer>) () -> new Dense(4, Init.XAVIER), Shape.image(2, 2, 2)),
                // the check rewinds the layer's random stream, so every evaluation draws the same mask
                Arguments.of("dropout 0.4", (Supplier<Layer>) () -> new Dropout(0.4f), Shape.flat(7)),
                Arguments.of("sigmoid", (Supplier<Layer>) () -> new ActivationLayer(Activation.SIGMOID), Shape.flat(4)),
                Arguments.of("softmax", (Supplier<Layer>) () -> new ActivationLayer(Activation.SOFTMAX), Shape.flat(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backwardMatchesCentralDifferences(String name, Supplier<Layer> make, Shape in) {
        GradientCheck.Report report = new GradientCheck().seed(name.hashCode()).layer(backend, make.get(), in);
        assertTrue(report.passed(), report.toString());
        assertEquals("input", report.tensors().get(0).name());
    }

    /** A wrong backward fails the check: a dense layer whose input gradient is scaled by 1.01. */
    @Test
    void aWrongBackwardFails() {
        Layer skewed = new Layer() {
            private final Dense dense = new Dense(3, Init.XAVIER);
            private DeviceMatrix dx;

            public Shape bind(Binding binding, Shape in) {
                return dense.bind(binding, in);
            }

            public DeviceMatrix forward(DeviceMatrix x, boolean training) {
                return dense.forward(x, training);
            }

            public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
                DeviceMatrix d = dense.backward(dy, true);
                dx = Buffers.ensure(backend, dx, d.rows(), d.cols());
                backend.scale(1.01f, d, dx);
                return dx;
            }

            public void close() {
                dense.close();
                Buffers.close(dx);
            }
        };
        GradientCheck.Report report = new GradientCheck().tolerance(1e-4, 1e-3).layer(backend, skewed, Shape.flat(6));
        assertFalse(report.passed(), report.toString());
        assertFalse(report.tensors().get(0).passed(), "the input gradient is the wrong one");
        assertTrue(report.tensors().get(1).passed(), "the weight gradient is right");
        assertTrue(report.toString().contains("FAILED"), report.toString());
    }

    @Test
    void dropoutMasksInTrainingScalesTheKeptAndPassesThroughAtInference() {
        int rows = 200;
        int cols = 50;
        float[] xs = gaussian(new Random(1), rows * cols);
        try (Dropout d = new Dropout(0.25f); DeviceMatrix x = backend.upload(xs, rows, cols);
             DeviceMatrix dy = backend.upload(gaussian(new Random(2), rows * cols), rows, cols)) {
            Binding.alone(d, backend, Shape.flat(cols), 3);
            assertSame(x, d.forward(x, false), "inference passes x through");
            float[] y = backend.download(d.forward(x, true));
            float[] dx = backend.download(d.backward(dy, true));
            float[] g = backend.download(dy);
            int kept = 0;
            for (int i = 0; i < y.length; i++) {
                // the layer is linear given its mask m ∈ {0, 4/3}: y = m·x and dx = m·dy
                float m = y[i] == 0 ? 0 : 1 / 0.75f;
                kept += m == 0 ? 0 : 1;
                assertEquals(m * xs[i], y[i], 1e-6f * Math.abs(xs[i]) + 1e-7f, "y[" + i + "]");
                assertEquals(m * g[i], dx[i], 1e-6f * Math.abs(g[i]) + 1e-7f, "dx[" + i + "]");
            }
            // 10,000 draws: within 5 standard deviations (0.0217) of keeping 0.75
            assertEquals(0.75, kept / (double) y.length, 0.022, "fraction kept");
            float[] again = backend.download(d.forward(x, true));
            assertNotEquals(java.util.Arrays.toString(y), java.util.Arrays.toString(again), "a new mask each step");
        }
    }

    @Test
    void seededDropoutRepeats() {
        float[][] runs = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (Dropout d = new Dropout(0.5f); DeviceMatrix x = backend.upload(gaussian(new Random(1), 64), 8, 8)) {
                Binding.alone(d, backend, Shape.flat(8), 9);
                d.forward(x, true);
                runs[run] = backend.download(d.forward(x, true));
            }
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void batchNormUsesRunningStatisticsAtInference() {
        int rows = 64;
        Random rnd = new Random(4);
        float[] xs = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            xs[2 * i] = 3f + 2f * (float) rnd.nextGaussian();
            xs[2 * i + 1] = -1f + 0.5f * (float) rnd.nextGaussian();
        }
        try (BatchNorm bn = new BatchNorm(); DeviceMatrix x = backend.upload(xs, rows, 2)) {
            Binding.alone(bn, backend, Shape.flat(2), 1);
            float[] train = backend.download(bn.forward(x, true));
            double mean0 = 0;
            double sq0 = 0;
            for (int i = 0; i < rows; i++) {
                mean0 += train[2 * i] / rows;
                sq0 += train[2 * i] * train[2 * i] / rows;
            }
            assertEquals(0, mean0, 1e-5, "training output has mean 0");
            assertEquals(1, sq0, 1e-3, "and variance 1");
            for (int step = 0; step < 200; step++) {
                bn.forward(x, true);
            }
            // the running statistics have converged to the batch's: inference now normalizes alike
            float[] infer = backend.download(bn.forward(x, false));
            for (int i = 0; i < train.length; i++) {
                assertEquals(train[i], infer[i], 0.02, "inference output " + i);
            }
        }
    }

    @Test
    void layersRefuseInputsTheyCannotTake() {
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> Binding.alone(new Conv2d(6, 5, 1, 0, Init.HE), backend, Shape.flat(784), 1));
        assertTrue(conv.getMessage().contains("(784)") && conv.getMessage().contains("Shape.image"), conv.getMessage());
        IllegalArgumentException maxout = assertThrows(IllegalArgumentException.class,
                () -> Binding.alone(new Maxout(3), backend, Shape.flat(10), 1));
        assertTrue(maxout.getMessage().contains("10 features"), maxout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
