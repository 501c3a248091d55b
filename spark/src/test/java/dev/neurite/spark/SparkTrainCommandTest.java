package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** neurite train --spark: flags checked before Spark starts; a run prints its rounds and epochs and saves the model. */
class SparkTrainCommandTest {
    private static String run(int expected, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = SparkTrainCommand.run(args, out, out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    @Test
    void wrongFlagsSayWhatIsWrong() {
        assertTrue(run(2, "--spark", "local[2]", "--sync-every", "round").contains("--sync-every takes 'epoch', got 'round'"));
        assertTrue(run(2, "--spark", "local[2]", "--sync-every", "epoch", "--sync-steps", "3")
                .contains("give --sync-steps K or --sync-every epoch, not both"));
        assertTrue(run(2, "--spark", "local[2]", "--bogus", "1").contains("unknown flag --bogus"));
        assertTrue(run(0, "--help").contains("--sync-steps K"));
    }

    @Test
    void aRunPrintsRoundsAndEpochsAndSavesTheModel(@TempDir Path dir) throws Exception {
        Path data = MnistLike.write(Files.createDirectories(dir.resolve("data")), 1200, 300);
        Path model = dir.resolve("m.model");
        String out = run(0, "--spark", "local[2]", "--data", data.toString(), "--layers", "784,12,10", "--epochs", "2",
                "--sync-steps", "15", "--partitions", "2", "--save", model.toString());
        assertTrue(out.contains("master local[2], 2 partitions") && out.contains("sync every 15 steps"), out);
        // 600 rows a partition, batch 10: 60 steps, 4 rounds of 15 steps x 10 rows x 2 partitions
        assertTrue(out.contains("epoch 1 round 4/4  300 samples") && out.contains("epoch 2/2  loss"), out);
        try (Backend b = Backends.open("cpu"); Network net = ModelFile.load(model, b)) {
            assertEquals(784, net.inputWidth());
            assertEquals(10, net.outputWidth());
        }
    }
}
