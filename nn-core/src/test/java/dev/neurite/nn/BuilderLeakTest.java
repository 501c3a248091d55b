package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building, loading and training leave no device matrix open once everything is closed, failures included. */
class BuilderLeakTest {

    @Test
    void aFailedBuildClosesTheLayersItBound() {
        try (Backend cpu = Backends.open("cpu")) {
            CountingBackend counting = new CountingBackend(cpu);
            // the third layer cannot take flat inputs: the two before it hold weights by then
            Network.Builder b = Network.builder(784).dense(100, Init.HE).batchNorm().conv(6, 5, Init.HE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.build(counting.backend(), 1));
            assertTrue(e.getMessage().contains("conv2d"), e.getMessage());
            assertTrue(counting.allocations() >= 8, "the dense and batch-norm layers allocated " + counting.allocations());
            assertEquals(0, counting.live(), "matrices left open by the failed build");
        }
    }

    @Test
    void aFailedLoadOfAMismatchedFileLeavesNothingOpen(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("net.model");
        try (Backend cpu = Backends.open("cpu")) {
            try (Network net = Network.builder(8).dense(6, Init.HE).dense(3, Init.HE).build(cpu, 1)) {
                ModelFile.save(net, file);
            }
            // the second dense layer's width, "3", becomes "4": it then asks for 6x4 weights, the file holds 6x3
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            int at = text.indexOf("width", text.indexOf("width") + 1) + "width".length() + 2;
            assertEquals('3', (char) bytes[at]);
            bytes[at] = '4';
            java.nio.file.Files.write(file, ModelFiles.rechecksummed(bytes));
            CountingBackend counting = new CountingBackend(cpu);
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> ModelFile.load(file, counting.backend()));
            assertTrue(e.getMessage().contains("layer 1 (dense): the layer asks for parameter 'weights' 6x4"), e.getMessage());
            assertTrue(counting.allocations() >= 4, "the first layer was bound: " + counting.allocations());
            assertEquals(0, counting.live());
        }
    }

    @Test
    void trainingThenClosingLeavesNothingOpen(@TempDir Path dir) throws IOException {
        try (Backend cpu = Backends.open("cpu")) {
            CountingBackend counting = new CountingBackend(cpu);
            Path file = dir.resolve("c.ckpt");
            try (Network net = Network.builder(16).dense(8, Init.HE).batchNorm().activation(Activation.RELU).dropout(0.2f)
                    .dense(4, Init.XAVIER).build(counting.backend(), 1);
                 Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY,
                         Optimizer.of(dev.neurite.backend.Update.Kind.ADAM, 0.01f), 7, 1).regularize(0.01f, 0.01f)) {
                t.epoch(OptimizerTest.toyData(30, 1));
                t.evaluate(OptimizerTest.toyData(9, 2));
                net.predict(OptimizerTest.toyData(5, 2));
                t.save(file);
            }
            assertEquals(0, counting.live(), "after training");
            try (Trainer t = Trainer.resume(file, counting.backend())) {
                t.epoch(OptimizerTest.toyData(30, 1));
            }
            assertEquals(0, counting.live(), "after a resumed trainer, which owns its network");
        }
    }

    @Test
    void aBuilderBuildsOnce() {
        try (Backend cpu = Backends.open("cpu")) {
            Network.Builder b = Network.builder(4).dense(2, Init.HE);
            try (Network net = b.build(cpu, 1)) {
                assertEquals(1, net.layers().size());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.build(cpu, 1));
                assertTrue(e.getMessage().contains("built its network already"), e.getMessage());
            }
        }
    }
}
