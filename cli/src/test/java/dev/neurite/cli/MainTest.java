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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
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

    @Test
    void anEmptyDataFileIsRefusedInsteadOfTrainingOnNothing(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 0);
        writeIdx(dir, "t10k", 10);
        assertEquals(1, run("train", "--data", dir.toString(), "--epochs", "1", "--layers", "16,10"));
        assertTrue(err().contains(dir.resolve("train-images-idx3-ubyte") + ": the header says 0 images"), err());
        assertFalse(out().contains("loss") || err().contains("\tat "), out() + err());
    }

    @Test
    void errorsBecomeOneLineWithAHint() {
        String oom = Main.describe(new OutOfMemoryError("data/train.csv: reading it needs more memory than the Java heap "
                + "has (Java heap space)"), 6L << 30);
        assertEquals("neurite: out of memory: data/train.csv: reading it needs more memory than the Java heap has (Java "
                + "heap space); the Java heap may grow to 6144 MiB: give it more with -Xmx, e.g. "
                + "JAVA_TOOL_OPTIONS=-Xmx12g neurite ...", oom);
        String overflow = Main.describe(new StackOverflowError(), 1L << 30);
        assertTrue(overflow.startsWith("neurite: stack overflow") && overflow.contains("please report"), overflow);
        String linkage = Main.describe(new UnsatisfiedLinkError("no jocl in java.library.path"), 1L << 30);
        assertTrue(linkage.startsWith("neurite: broken installation: java.lang.UnsatisfiedLinkError: no jocl"), linkage);
        String other = Main.describe(new AssertionError("shapes"), 1L << 30);
        assertTrue(other.startsWith("neurite: internal error: java.lang.AssertionError: shapes"), other);
        for (String line : List.of(oom, overflow, linkage, other)) {
            assertFalse(line.contains("\n"), line);
        }
    }

    @Test
    void runningOutOfMemoryOnADataFilePrintsOneLineAndExitsOne(@TempDir Path dir) throws Exception {
        // 17,857 images of 28x28 (14 MB of bytes, 56 MB as floats) in a JVM of 64 MB: the reader runs out
        int n = 17_857;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
            byte[] zeros = new byte[784];
            for (int i = 0; i < n; i++) {
                out.write(zeros);
            }
        }
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gz.toByteArray());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n).array());
        writeIdx(dir, "t10k", 10);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--data", dir.toString(), "--backend", "cpu").start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), stdout + stderr);
        String line = stderr.lines().filter(l -> l.startsWith("neurite: ")).findFirst().orElse(stderr);
        assertTrue(line.startsWith("neurite: out of memory: " + dir.resolve("train-images-idx3-ubyte.gz"))
                && line.contains("-Xmx"), stderr);
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception in thread"), stderr);
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
