package dev.neurite.examples.customlayer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.GradientCheck;
import dev.neurite.nn.Init;
import dev.neurite.nn.LayerCodecs;
import dev.neurite.nn.Loss;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Parameter;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PReLU through Neurite's public API, on the CPU backend (Surefire passes the JVM flags). */
class PReLUTest {
    /**
     * PReLU is piecewise linear, so central differences are exact but for float32 rounding of
     * the outputs (about 1e-7 of each, divided by the step 2h = 2e-3): anything near 1e-3 is a
     * wrong backward pass, not rounding. Except at an input within h of 0, where the slope jumps
     * from a to 1 and a difference across the kink sees neither: seed 2's random inputs keep at
     * least 0.03 away from it (seed 1 draws a 7.4e-4 among the 54 inputs of the second shape).
     */
    private static final double GRADIENT_BOUND = 1e-3;

    @Test
    void forwardIsXAboveZeroAndSlopeTimesXBelow() {
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(5).layer(new PReLU(0.25f)).build(backend, 1);
             DeviceMatrix x = backend.upload(new float[] {-2, -1, 0, 1, 3, 4, -4, 0.5f, -0.5f, 0}, 2, 5)) {
            assertEquals("cpu", backend.name());
            assertArrayEquals(new float[] {-0.5f, -0.25f, 0, 1, 3, 4, -1, 0.5f, -0.125f, 0},
                    backend.download(net.forward(x, false)));
        }
    }

    @Test
    void itsBackwardPassAgreesWithCentralDifferences() {
        try (Backend backend = Backends.open("cpu")) {
            for (Shape shape : List.of(Shape.flat(8), Shape.image(2, 3, 3))) {
                GradientCheck.Report r = new GradientCheck().seed(2).layer(backend, new PReLU(0.25f), shape);
                assertTrue(r.passed(), r.toString());
                assertEquals(List.of("input", "slope"), r.tensors().stream().map(GradientCheck.Tensor::name).toList());
                for (GradientCheck.Tensor t : r.tensors()) {
                    assertTrue(t.relativeError() < GRADIENT_BOUND, t.name() + ": " + r);
                }
            }
            try (Network net = CustomLayerExample.network(backend, 3)) {
                GradientCheck.Report whole = new GradientCheck().network(net, Loss.SOFTMAX_CROSS_ENTROPY);
                assertTrue(whole.passed(), whole.toString());
                assertEquals(8, whole.tensors().size(), "three dense layers' weights and biases, two PReLUs' slopes");
                for (GradientCheck.Tensor t : whole.tensors()) {
                    assertTrue(t.relativeError() < GRADIENT_BOUND, t.name() + ": " + whole);
                }
            }
        }
    }

    @Test
    void itsCodecIsFoundByServiceLoader() {
        assertInstanceOf(PReLUCodec.class, LayerCodecs.forCode("dev.neurite.examples.prelu"));
        assertInstanceOf(PReLUCodec.class, LayerCodecs.forLayer(new PReLU(0.1f)));
    }

    @Test
    void aNetworkWithItTrainsIsSavedAndLoadedAndPredictsTheSame(@TempDir Path dir) throws IOException {
        Dataset train = CustomLayerExample.disc(800, 1);
        Dataset test = CustomLayerExample.disc(200, 2);
        Path file = dir.resolve("prelu.model");
        float[] predicted;
        float[][] values;
        String description;
        try (Backend backend = Backends.open("cpu");
             Network net = CustomLayerExample.network(backend, 1);
             Trainer trainer = CustomLayerExample.trainer(net)) {
            double before = trainer.evaluate(test).loss();
            for (int epoch = 0; epoch < CustomLayerExample.EPOCHS; epoch++) {
                trainer.epoch(train);
            }
            Trainer.Evaluation after = trainer.evaluate(test);
            assertTrue(after.loss() < 0.25 * before, "test loss " + before + " -> " + after.loss());
            assertTrue(after.accuracy() > 0.93, "test accuracy " + after.accuracy());
            for (int i : new int[] {2, 5}) {                             // each PReLU's slopes, after a dense layer's two
                Parameter slope = net.parameters().get(i);
                assertEquals("slope", slope.name());
                long moved = 0;
                for (float a : backend.download(slope.value())) {
                    moved += a != 0.25f ? 1 : 0;
                }
                assertTrue(moved > 8, "the slopes are learned: " + moved + " of 16 moved from 0.25");
            }
            predicted = net.predict(test).values();
            values = net.parameterValues();
            description = net.toString();
            ModelFile.save(net, file);
        }
        try (Backend backend = Backends.open("cpu");
             Network loaded = ModelFile.load(file, backend)) {
            assertEquals(description, loaded.toString());
            assertInstanceOf(PReLU.class, loaded.layers().get(1));
            assertEquals(0.25f, ((PReLU) loaded.layers().get(1)).initialSlope());
            float[][] back = loaded.parameterValues();
            for (int i = 0; i < values.length; i++) {
                assertArrayEquals(values[i], back[i], loaded.parameters().get(i).name() + " " + i);
            }
            assertArrayEquals(predicted, loaded.predict(test).values());
        }
    }

    @Test
    void itsSlopesAreNotPenalized() {
        // Inputs all positive: min(0, x) = 0, so the slopes' own gradient is exactly 0 and only a
        // penalty could move them, while L1/L2 shrink the dense weights after them.
        float[] x = new float[64 * 3];
        int[] y = new int[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.1f + (i * 37 % 101) / 101f;
        }
        for (int r = 0; r < y.length; r++) {
            y[r] = x[3 * r] > x[3 * r + 1] ? 1 : 0;
        }
        Dataset data = new Dataset(x, y, 3, 2);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(3).layer(new PReLU(0.25f)).dense(2, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 8, 1).regularize(0.01f, 0.5f)) {
            Parameter slope = net.parameters().get(0);
            Parameter weights = net.parameters().get(1);
            assertEquals("slope", slope.name());
            assertFalse(slope.penalized());
            assertTrue(weights.penalized());
            float[] w0 = backend.download(weights.value());
            for (int epoch = 0; epoch < 3; epoch++) {
                trainer.epoch(data);
            }
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, backend.download(slope.value()));
            assertTrue(norm(backend.download(weights.value())) < 0.8 * norm(w0), "L1/L2 shrink the dense weights");
        }
    }

    @Test
    void aSlopeThatIsNotANumberIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PReLU(Float.NaN));
        assertTrue(e.getMessage().contains("initial slope"), e.getMessage());
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
