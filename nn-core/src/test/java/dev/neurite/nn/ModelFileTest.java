package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files: exact round trip, atomic replacement, and refusal of damaged files. */
class ModelFileTest {

    static float[] outputs(Network net, float[] x, int rows) {
        Backend b = net.backend();
        try (DeviceMatrix in = b.upload(x, rows, net.inputWidth())) {
            return b.download(net.forward(in, false));
        }
    }

    @Test
    void aSavedNetworkLoadsWithIdenticalOutputs(@TempDir Path dir) throws IOException {
        float[] x = new float[5 * 6];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Path file = dir.resolve("net.model");
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(6).dense(7, Init.HE, Activation.leakyRelu(0.1f))
                     .dense(3, Init.XAVIER, Activation.SIGMOID).build(backend, 5)) {
            ModelFile.save(net, file);
            ModelFile.save(net, file); // replaces the first, atomically
            try (Network back = ModelFile.load(file, backend)) {
                assertEquals(net.toString(), back.toString());
                assertArrayEquals(outputs(net, x, 5), outputs(back, x, 5));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void everyLayerKindRoundTripsWithItsParametersAndState(@TempDir Path dir) throws IOException {
        Random rnd = new Random(2);
        float[] x = new float[3 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Path file = dir.resolve("conv.model");
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(Shape.image(1, 8, 8))
                     .layer(new Conv2d(4, 3, 1, 1, Init.HE)).batchNorm().activation(Activation.RELU).maxPool(2)
                     .layer(new Conv2d(6, 2, 2, 0, Init.XAVIER)).averagePool(1).flatten()
                     .dense(12, Init.HE).maxout(3).dropout(0.3f).dense(3, Init.XAVIER).build(backend, 5);
             DeviceMatrix in = backend.upload(x, 3, 64)) {
            // train-mode passes move batch norm's running statistics away from (0, 1)
            for (int i = 0; i < 3; i++) {
                net.forward(in, true);
            }
            ModelFile.save(net, file);
            try (Network back = ModelFile.load(file, backend)) {
                assertEquals(net.toString(), back.toString());
                assertEquals(Shape.image(1, 8, 8), back.inputShape());
                assertArrayEquals(outputs(net, x, 3), outputs(back, x, 3));
            }
        }
    }

    @Test
    void damagedFilesAreRefusedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("net.model");
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(4).dense(2, Init.NORMAL, Activation.TANH).build(backend, 1)) {
            ModelFile.save(net, file);
            byte[] good = Files.readAllBytes(file);

            byte[] flipped = good.clone();
            flipped[good.length / 2] ^= 0x10;
            Path corrupt = Files.write(dir.resolve("corrupt.model"), flipped);
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> ModelFile.load(corrupt, backend));
            assertTrue(e.getMessage().contains("corrupt.model") && e.getMessage().contains("checksum"), e.getMessage());

            Path truncated = Files.write(dir.resolve("truncated.model"), Arrays.copyOf(good, good.length - 9));
            e = assertThrows(MalformedDataException.class, () -> ModelFile.load(truncated, backend));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());

            Path other = Files.write(dir.resolve("other.model"), "not a model at all".getBytes());
            e = assertThrows(MalformedDataException.class, () -> ModelFile.load(other, backend));
            assertTrue(e.getMessage().contains("not a Neurite model file"), e.getMessage());

            byte[] newer = good.clone();
            ByteBuffer.wrap(newer).putInt(4, 99);
            Path future = Files.write(dir.resolve("future.model"), newer);
            e = assertThrows(MalformedDataException.class, () -> ModelFile.load(future, backend));
            assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        }
    }

    /** The fixed input the fixtures' recorded outputs were computed on. */
    private static float[] fixtureInput(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * 37) % 101) / 50f - 1f;
        }
        return x;
    }

    /**
     * Files written before this format: version 2 by the version-2 writer (every layer kind, both
     * poolings, all three initializations as enum ordinals), version 1 as the version-1 writer laid it
     * out. They load with the right layers and give the outputs recorded when they were written.
     */
    @Test
    void versionOneAndTwoFilesStillLoad(@TempDir Path dir) throws IOException {
        String[][] fixtures = {
                {"model-v1", "(5) -> dense 5->4 -> tanh -> dense 4->3 -> sigmoid"},
                {"model-v2", "(2, 6, 6) -> conv 3x3x3 pad 1 -> batch-norm -> relu -> max-pool 2 -> conv 2x2x4 -> avg-pool 2"
                        + " -> flatten -> dense 4->6 -> maxout 2 -> dropout 0.25 -> dense 3->3 -> leaky-relu:0.1"}};
        try (Backend backend = Backends.open("cpu")) {
            for (String[] f : fixtures) {
                Path file = dir.resolve(f[0] + ".nrtm");
                try (var in = getClass().getResourceAsStream(f[0] + ".nrtm")) {
                    Files.copy(in, file);
                }
                String[] recorded;
                try (var in = getClass().getResourceAsStream(f[0] + ".outputs")) {
                    recorded = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split("\n");
                }
                try (Network net = ModelFile.load(file, backend)) {
                    assertEquals(f[1], net.toString());
                    float[] y = outputs(net, fixtureInput(2 * net.inputWidth()), 2);
                    assertEquals(recorded.length, y.length);
                    for (int i = 0; i < y.length; i++) {
                        float expected = Float.parseFloat(recorded[i]);
                        assertEquals(expected, y[i], 1e-5f * Math.max(1, Math.abs(expected)), f[0] + " output " + i);
                    }
                    if (f[0].equals("model-v2")) {
                        assertEquals(Init.HE, ((Conv2d) net.layers().get(0)).init(), "ordinal 2");
                        assertEquals(Init.XAVIER, ((Conv2d) net.layers().get(4)).init(), "ordinal 1");
                        assertEquals(Init.NORMAL, ((Dense) net.layers().get(7)).init(), "ordinal 0");
                        assertEquals(dev.neurite.backend.Pooling.MAX, ((Pool2d) net.layers().get(3)).kind());
                        assertEquals(dev.neurite.backend.Pooling.AVERAGE, ((Pool2d) net.layers().get(5)).kind());
                    }
                }
            }
        }
    }

    /** Version 3 stores names, not ordinals: the initialization and the pooling appear as text. */
    @Test
    void theFileStoresStableNamesNotOrdinals(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("codes.model");
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(Shape.image(1, 4, 4)).conv(2, 3, Init.LECUN).averagePool(2).flatten()
                     .dense(2, Init.HE).build(backend, 1)) {
            ModelFile.save(net, file);
        }
        String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String code : new String[] {"conv2d", "lecun", "pool2d", "average", "flatten", "dense", "he"}) {
            assertTrue(text.contains(code), "the file names '" + code + "'");
        }
    }

    /** Head, class names and scaler are saved and applied on load: the loaded model predicts from raw inputs. */
    @Test
    void metadataRoundTripsAndPredictsFromRawInputs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("meta.model");
        Scaler scaler = new Scaler(new float[] {10, 0, -2}, new float[] {4, 1, 0});
        float[] raw = {14, 0.5f, 7};
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(3).dense(3, Init.XAVIER).build(backend, 2)) {
            net.head(OutputHead.SOFTMAX).classNames(List.of("setosa", "versicolor", "virginica")).scaler(scaler);
            ModelFile.save(net, file);
            Prediction before = net.predict(raw);
            try (Network back = ModelFile.load(file, backend)) {
                assertEquals(OutputHead.SOFTMAX, back.head());
                assertEquals(List.of("setosa", "versicolor", "virginica"), back.classNames());
                assertArrayEquals(scaler.shift(), back.scaler().shift());
                assertArrayEquals(scaler.scale(), back.scaler().scale());
                Prediction after = back.predict(raw);
                assertEquals(before.className(), after.className());
                assertArrayEquals(before.values(), after.values());
                // by hand: scaled (1, 0.5, 0), logits x·W + b, softmax
                float[] w = ((Dense) back.layers().get(0)).weights();
                double[] z = new double[3];
                double norm = 0;
                for (int c = 0; c < 3; c++) {
                    z[c] = 1 * w[c] + 0.5 * w[3 + c];
                    norm += Math.exp(z[c]);
                }
                for (int c = 0; c < 3; c++) {
                    assertEquals(Math.exp(z[c]) / norm, after.values()[c], 1e-6);
                }
            }
        }
    }

    /** A save keeps the replaced file's permissions and removes temporary files of killed saves. */
    @Test
    void savesKeepPermissionsAndCleanStaleTemporaryFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("net.model");
        Path stale = dir.resolve(".net.model.2147483646.k3j2.tmp");
        Path unrelated = dir.resolve(".other.model.2147483646.k3j2.tmp");
        Files.write(stale, new byte[10]);
        Files.write(unrelated, new byte[10]);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(4).dense(2, Init.NORMAL).build(backend, 1)) {
            ModelFile.save(net, file);
            var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
            Files.setPosixFilePermissions(file, perms);
            ModelFile.save(net, file);
            assertEquals(perms, Files.getPosixFilePermissions(file), "the replaced file's permissions");
        }
        assertTrue(!Files.exists(stale), "a dead process's temporary file of the same target is removed");
        assertTrue(Files.exists(unrelated), "another target's is not");
    }

    /** A save that fails half-way leaves the old file as it was and no temporary file. */
    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("net.model"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    /** A diverged network (NaN weights) is not saved. */
    @Test
    void aNetworkWithNonFiniteWeightsIsNotSaved(@TempDir Path dir) throws IOException {
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(2).dense(2, Init.NORMAL).build(backend, 1)) {
            ((Dense) net.layers().get(0)).set(new float[] {1, Float.NaN, 0, 1}, new float[2]);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ModelFile.save(net, dir.resolve("nan.model")));
            assertTrue(e.getMessage().contains("'weights' of layer 0") && e.getMessage().contains("NaN"), e.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
