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
}
