package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's contract: usage and exit 2 on wrong flags, never a stack trace, a working train. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wrongOrMissingFlagsPrintUsageAndExitTwo() {
        assertEquals(2, run());
        assertTrue(err().contains("no command given") && err().contains("usage: neurite COMMAND"), err());
        assertEquals(2, run("train", "--epochs", "many"));
        assertTrue(err().contains("--epochs must be a whole number") && err().contains("usage: neurite train"), err());
        assertEquals(2, run("train", "--colour", "blue"));
        assertTrue(err().contains("unknown flag --colour"), err());
        assertEquals(2, run("train", "--optimizer", "lbfgs"));
        assertTrue(err().contains("--optimizer must be one of"), err());
        assertEquals(2, run("train", "--lr"));
        assertTrue(err().contains("--lr needs a value"), err());
        assertFalse(err().contains("Exception") || err().contains("\tat "), err());
    }

    @Test
    void everyCommandHasHelp() {
        assertEquals(0, run("--help"));
        assertEquals(0, run("train", "--help"));
        assertEquals(0, run("backends", "--help"));
        assertEquals(0, run("evaluate", "--help"));
        assertTrue(out().contains("--layers") && out().contains("lists every backend"), out());
    }

    @Test
    void backendsListsEveryProviderWithItsState() {
        assertEquals(0, run("backends"));
        assertTrue(out().contains("cpu (priority 100): available"), out());
    }

    @Test
    void trainsOnAFolderOfIdxFilesAndReportsEachEpoch(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 200);
        writeIdx(dir, "t10k", 50);
        assertEquals(0, run("train", "--data", dir.toString(), "--epochs", "2", "--backend", "cpu",
                "--layers", "16,8,10", "--optimizer", "adam", "--lr", "0.01", "--loss", "softmax-ce", "--decay", "0.001", "--l2", "0.0001"),
                err());
        assertTrue(out().contains("adam(lr=0.01, decay=0.001)"), out());
        assertTrue(out().contains("neurite: backend cpu"), out());
        assertTrue(out().contains("epoch 1/2") && out().contains("epoch 2/2") && out().contains("samples/s"), out());
    }

    @Test
    void aSavedModelEvaluatesWithAConfusionMatrix(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 200);
        writeIdx(dir, "t10k", 50);
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "--data", dir.toString(), "--epochs", "1", "--layers", "16,10",
                "--save", model.toString()), err());
        assertEquals(0, run("evaluate", "--model", model.toString(), "--data", dir.toString()), err());
        assertTrue(out().contains("test set, 50 images: accuracy") && out().contains("actual \\ predicted"), out());
        assertEquals(2, run("evaluate", "--data", dir.toString()));
        assertTrue(err().contains("--model FILE is required"), err());
    }

    @Test
    void presetsTrainSaveAndRefuseWhatDoesNotFit(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 200);
        writeIdx(dir, "t10k", 50);
        Path model = dir.resolve("mlp.model");
        assertEquals(0, run("train", "--data", dir.toString(), "--model", "mlp-large", "--epochs", "1", "--dropout", "0.2",
                "--checkpoint", model.toString()), err());
        assertTrue(out().contains("dense 16->512 -> relu -> dropout 0.2") && out().contains("adam(lr=0.001)")
                && out().contains("batch 128"), out());
        assertTrue(Files.exists(model), "the checkpoint was written");
        assertEquals(0, run("evaluate", "--model", model.toString(), "--data", dir.toString()), err());
        // lenet's 5x5 convolutions and two poolings do not fit 4x4 images: one line, no stack trace
        assertEquals(1, run("train", "--data", dir.toString(), "--model", "lenet", "--epochs", "1"));
        assertTrue(err().contains("conv") && err().contains("(1, 4, 4)") || err().contains("pool"), err());
        assertFalse(err().contains("\tat "), err());
        assertEquals(2, run("train", "--model", "resnet"));
        assertTrue(err().contains("no model preset 'resnet'"), err());
        assertEquals(2, run("train", "--model", "lenet", "--layers", "784,10"));
        assertTrue(err().contains("--layers describes the network built from flags"), err());
    }

    @Test
    void aTruncatedDataFileIsNamedWithoutAStackTrace(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 20);
        writeIdx(dir, "t10k", 10);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(b, b.length - 5));
        assertEquals(1, run("train", "--data", dir.toString(), "--epochs", "1", "--layers", "16,10"));
        assertTrue(err().contains(images.toString()) && err().contains("truncated"), err());
        assertFalse(err().contains("\tat "), err());
    }

    /** n random 4x4 images and labels in IDX format, named like MNIST's files. */
    private static void writeIdx(Path dir, String prefix, int n) throws IOException {
        Random rnd = new Random(n);
        ByteBuffer img = ByteBuffer.allocate(16 + n * 16).putInt(0x803).putInt(n).putInt(4).putInt(4);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = rnd.nextInt(10);
            lab.put((byte) label);
            for (int p = 0; p < 16; p++) {
                img.put((byte) (p == label ? 255 : rnd.nextInt(40)));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), img.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }
}
