package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crafted model files (checksum recomputed, as anyone crafting one would) are refused with a
 * {@link MalformedDataException} naming the file and the field, before anything is allocated
 * for their declared sizes, and with no device matrix left open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ModelFileSafetyTest {
    private Backend cpu;

    @BeforeAll
    void open() {
        cpu = Backends.open("cpu");
    }

    @AfterAll
    void close() {
        cpu.close();
    }

    private static void dense(DataOutputStream out, String width) throws IOException {
        out.writeUTF("dense");
        out.writeInt(2);
        out.writeUTF("width");
        out.writeUTF(width);
        out.writeUTF("init");
        out.writeUTF("he");
    }

    private static void matrix(DataOutputStream out, String name, int rows, int cols, int values) throws IOException {
        out.writeByte(1);
        out.writeUTF(name);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < values; i++) {
            out.writeFloat(0.5f);
        }
    }

    /** A version-3 network of input (4) and one dense layer of the given width setting, storing a 4x3 dense. */
    private static byte[] oneDense(String width) throws IOException {
        return ModelFiles.network(out -> {
            out.writeInt(4);
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(1);
            dense(out, width);
            out.writeInt(2);
            matrix(out, "weights", 4, 3, 12);
            matrix(out, "bias", 1, 3, 3);
        });
    }

    static Stream<Arguments> crafted() throws IOException {
        return Stream.of(
                Arguments.of("a dense layer of a hundred million", oneDense("100000000"),
                        "layer 0 (dense): the layer asks for parameter 'weights' 4x100000000, the file stores parameter 'weights' 4x3"),
                Arguments.of("a dense layer whose size overflows", oneDense("1073741824"),
                        "layer 0 (dense): parameter 'weights' of 4x1073741824 has more than 2147483647 values"),
                Arguments.of("a negative width", oneDense("-784"), "layer 0 (dense): dense: width must be at least 1, got -784"),
                Arguments.of("a width that is no number", oneDense("12abc"), "setting 'width' is '12abc', not an integer"),
                Arguments.of("a stored matrix larger than the file", ModelFiles.network(out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    dense(out, "3");
                    out.writeInt(2);
                    matrix(out, "weights", 65536, 65536, 12);
                }), "layer 0 (dense) parameter 'weights' values (65536x65536): needs 4294967296 float32 values"),
                Arguments.of("two billion layers", ModelFiles.network(out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(Integer.MAX_VALUE);
                }), "layer count: 2147483647 is outside [0, 10000]"),
                Arguments.of("a layer of no known kind", ModelFiles.network(out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeUTF("com.example.nothing");
                    out.writeInt(0);
                    out.writeInt(0);
                }), "layer 0 codec: no LayerCodec for 'com.example.nothing'"),
                Arguments.of("an input of four billion values", ModelFiles.network(out -> {
                    out.writeInt(65536);
                    out.writeInt(65536);
                    out.writeInt(1);
                    out.writeInt(0);
                }), "input shape: (65536, 65536, 1) exceeds"),
                Arguments.of("a convolution whose patch overflows", ModelFiles.network(out -> {
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeUTF("conv2d");
                    out.writeInt(5);
                    for (String[] kv : new String[][] {{"filters", "1"}, {"kernel", "65536"}, {"stride", "1"},
                            {"padding", "65535"}, {"init", "he"}}) {
                        out.writeUTF(kv[0]);
                        out.writeUTF(kv[1]);
                    }
                    out.writeInt(0);
                }), "layer 0 (conv2d): conv2d 65536x65536: filters of 1 channels or 1 outputs would have more than"),
                Arguments.of("version 2: a dense layer of a million from 784 inputs", ModelFiles.file(2, out -> {
                    out.writeInt(784);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeByte(1);
                    out.writeInt(1 << 20);
                    out.writeByte(2);
                }), "layer 0 (dense) weights 784x1048576: needs 3288334336 bytes"),
                Arguments.of("version 2: a dense layer whose size overflows", ModelFiles.file(2, out -> {
                    out.writeInt(784);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeByte(1);
                    out.writeInt(1 << 30);
                    out.writeByte(2);
                }), "layer 0 (dense): parameter 'weights' of 784x1073741824 has more than 2147483647 values"),
                Arguments.of("version 2: layer kind 9", ModelFiles.file(2, out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeInt(1);
                    out.writeByte(9);
                }), "layer 0 kind: 9 is not a layer kind of version 2"),
                Arguments.of("version 1: initialization ordinal 7", ModelFiles.file(1, out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeByte(1);
                    out.writeInt(3);
                    out.writeByte(7);
                }), "layer 0 (dense) init: 7 is not one of the 3"),
                Arguments.of("version 1: a negative width", ModelFiles.file(1, out -> {
                    out.writeInt(4);
                    out.writeInt(1);
                    out.writeByte(1);
                    out.writeInt(-784);
                    out.writeByte(0);
                }), "dense: width must be at least 1, got -784"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void craftedFilesAreRefusedByField(String name, byte[] bytes, String expected, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("crafted.model"), bytes);
        CountingBackend counting = new CountingBackend(cpu);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> ModelFile.load(file, counting.backend()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertEquals(0, counting.live(), "matrices left open after the refusal");
    }

    /**
     * Random damage to valid files, checksum recomputed: every load either succeeds or is refused
     * with a MalformedDataException; nothing else escapes (no NegativeArraySizeException,
     * ArithmeticException, OutOfMemoryError), and nothing stays allocated.
     */
    @Test
    void mutatedFilesLoadOrAreRefused(@TempDir Path dir) throws IOException {
        Path v3 = dir.resolve("v3.model");
        try (Network net = Network.builder(Shape.image(2, 5, 5)).conv(3, 3, Init.HE).batchNorm()
                .activation(Activation.RELU).maxPool(2).flatten().dropout(0.2f).dense(6, Init.HE).maxout(2)
                .dense(2, Init.XAVIER).build(cpu, 1)) {
            net.head(OutputHead.SOFTMAX).classNames(java.util.List.of("no", "yes"));
            ModelFile.save(net, v3);
        }
        byte[] v2 = getClass().getResourceAsStream("model-v2.nrtm").readAllBytes();
        byte[] v1 = getClass().getResourceAsStream("model-v1.nrtm").readAllBytes();
        Random rnd = new Random(12);
        Path file = dir.resolve("mutant.model");
        int loaded = 0;
        int refused = 0;
        for (byte[] original : new byte[][] {Files.readAllBytes(v3), v2, v1}) {
            for (int i = 0; i < 700; i++) {
                byte[] m = mutate(original, rnd);
                Files.write(file, m);
                CountingBackend counting = new CountingBackend(cpu);
                try {
                    ModelFile.load(file, counting.backend()).close();
                    loaded++;
                } catch (MalformedDataException expected) {
                    refused++;
                } catch (Throwable t) {
                    fail("mutant " + i + " threw " + t, t);
                }
                assertEquals(0, counting.live(), "mutant " + i + " left matrices open");
            }
        }
        assertTrue(refused > 1000, refused + " refused, " + loaded + " loaded");
    }

    /** The same for checkpoints: a damaged training section resumes or is refused, and leaves nothing open. */
    @Test
    void mutatedCheckpointsResumeOrAreRefused(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("c.ckpt");
        Dataset[] parts = OptimizerTest.toyData(60, 1).split(0.2, 1);
        try (Network net = Network.builder(16).dense(6, Init.HE).batchNorm().activation(Activation.RELU).dropout(0.2f)
                .dense(4, Init.XAVIER).build(cpu, 1);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY,
                     Optimizer.of(dev.neurite.backend.Update.Kind.AMSGRAD, 0.01f), 8, 1)) {
            new Fit().epochs(2).earlyStopping(5).latest(checkpoint).run(t, parts[0], parts[1]);
        }
        byte[] original = Files.readAllBytes(checkpoint);
        Random rnd = new Random(13);
        Path file = dir.resolve("mutant.ckpt");
        int refused = 0;
        for (int i = 0; i < 700; i++) {
            Files.write(file, mutate(original, rnd));
            CountingBackend counting = new CountingBackend(cpu);
            try {
                Trainer.resume(file, counting.backend()).close();
            } catch (MalformedDataException expected) {
                refused++;
            } catch (Throwable t) {
                fail("mutant " + i + " threw " + t, t);
            }
            assertEquals(0, counting.live(), "mutant " + i + " left matrices open");
        }
        assertTrue(refused > 350, refused + " refused");
    }

    /** One to four changes: a random byte, a big-endian int set to an extreme, or a cut. */
    private static byte[] mutate(byte[] original, Random rnd) {
        byte[] m = original.clone();
        int content = m.length - 8;
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            int at = 8 + rnd.nextInt(content - 8);
            switch (rnd.nextInt(3)) {
                case 0 -> m[at] = (byte) rnd.nextInt(256);
                case 1 -> {
                    int v = new int[] {-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 65536}[rnd.nextInt(5)];
                    for (int b = 0; b < 4 && at + b < content; b++) {
                        m[at + b] = (byte) (v >>> (24 - 8 * b));
                    }
                }
                default -> {
                    content = Math.max(9, at);
                    m = java.util.Arrays.copyOf(m, content + 8);
                }
            }
        }
        return ModelFiles.rechecksummed(m);
    }
}
