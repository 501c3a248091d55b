package com.example.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.GradientCheck;
import dev.neurite.nn.Init;
import dev.neurite.nn.Layer;
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
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers of a user's own, outside nn-core's package: gradient-checked, trained with their
 * parameters penalized as they declare, saved and loaded (one codec found by ServiceLoader, one
 * registered in code) without drawing initial values on load, and resumed.
 */
class CustomLayerTest {

    @BeforeAll
    static void register() {
        if (LayerCodecs.forCode("com.example.scaled") == null) {
            LayerCodecs.register(Scaled.codec());
        }
    }

    private static Network net(Backend backend) {
        return Network.builder(16).layer(new Affine(0.5f)).dense(8, Init.HE, Activation.RELU).layer(new Scaled(0.8f))
                .dense(4, Init.XAVIER).build(backend, 1);
    }

    /** 16 features, 4 classes: class c lights feature c. */
    private static Dataset data() {
        Random rnd = new Random(3);
        float[] x = new float[200 * 16];
        int[] y = new int[200];
        for (int r = 0; r < 200; r++) {
            y[r] = rnd.nextInt(4);
            for (int c = 0; c < 16; c++) {
                x[r * 16 + c] = rnd.nextFloat() * 0.5f + (c == y[r] ? 1f : 0f);
            }
        }
        return new Dataset(x, y, 16, 4);
    }

    @Test
    void itsBackwardPassesTheGradientCheck() {
        try (Backend backend = Backends.open("cpu")) {
            GradientCheck.Report affine = new GradientCheck().layer(backend, new Affine(0.1f), Shape.flat(5));
            assertTrue(affine.passed(), affine.toString());
            assertEquals(3, affine.tensors().size(), "input, a and b");
            GradientCheck.Report scaled = new GradientCheck().layer(backend, new Scaled(-2f), Shape.image(2, 2, 2));
            assertTrue(scaled.passed(), scaled.toString());
            try (Network net = net(backend)) {
                GradientCheck.Report whole = new GradientCheck().network(net, Loss.SOFTMAX_CROSS_ENTROPY);
                assertTrue(whole.passed(), whole.toString());
            }
        }
    }

    @Test
    void itTrainsAndItsWeightsArePenalizedAsDeclared() {
        try (Backend backend = Backends.open("cpu")) {
            double[] mass = new double[2];
            for (int run = 0; run < 2; run++) {
                try (Network net = net(backend);
                     Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.2f), 10, 1)
                             .regularize(0, run == 0 ? 0 : 0.05f)) {
                    Parameter a = net.parameters().get(0);
                    Parameter b = net.parameters().get(1);
                    assertTrue(a.penalized() && !b.penalized());
                    double before = t.evaluate(data()).loss();
                    for (int e = 0; e < 10; e++) {
                        t.epoch(data());
                    }
                    double after = t.evaluate(data()).loss();
                    assertTrue(after < 0.5 * before, "run " + run + " trains: " + before + " -> " + after);
                    for (float v : backend.download(a.value())) {
                        mass[run] += v * v;
                    }
                }
            }
            assertTrue(mass[1] < 0.7 * mass[0], "L2 shrinks a: " + mass[0] + " -> " + mass[1]);
        }
    }

    @Test
    void itIsSavedAndLoadedWithoutDrawing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("custom.model");
        Path checkpoint = dir.resolve("custom.ckpt");
        float[] x = data().features();
        try (Backend backend = Backends.open("cpu");
             Network net = net(backend);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.2f), 10, 1)) {
            t.epoch(data());
            ModelFile.save(net, file);
            t.save(checkpoint);
            float[] expected = net.predict(data()).values();
            int draws = Affine.DRAWS.get();
            try (Network back = ModelFile.load(file, backend)) {
                assertEquals(draws, Affine.DRAWS.get(), "loading drew no initial values");
                assertEquals(net.toString(), back.toString());
                assertArrayEquals(expected, back.predict(data()).values());
                assertArrayEquals(net.stateValues()[0], back.stateValues()[0], "the layer's state, 20 batches");
                assertEquals(20f, back.stateValues()[0][0]);
            }
            try (Trainer resumed = Trainer.resume(checkpoint, backend)) {
                resumed.epoch(data());
                t.epoch(data());
                assertArrayEquals(net.parameterValues()[0], resumed.network().parameterValues()[0]);
            }
        }
        assertTrue(x.length > 0);
    }

    @Test
    void aLayerWithoutACodecIsNamedWhenSaving(@TempDir Path dir) {
        Layer plain = new Layer() {
            public Shape bind(dev.neurite.nn.Binding binding, Shape in) {
                return in;
            }

            public dev.neurite.backend.DeviceMatrix forward(dev.neurite.backend.DeviceMatrix x, boolean training) {
                return x;
            }

            public dev.neurite.backend.DeviceMatrix backward(dev.neurite.backend.DeviceMatrix dy, boolean inputGradient) {
                return dy;
            }

            public void close() {
            }
        };
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(4).layer(plain).dense(2, Init.HE).build(backend, 1)) {
            IOException e = assertThrows(IOException.class, () -> ModelFile.save(net, dir.resolve("x.model")));
            assertTrue(e.getMessage().contains("has no LayerCodec"), e.getMessage());
            assertFalse(java.nio.file.Files.exists(dir.resolve("x.model")));
        }
    }

    @Test
    void codesAreUnique() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerCodecs.register(Scaled.codec()));
        assertTrue(e.getMessage().contains("com.example.scaled"), e.getMessage());
    }
}
