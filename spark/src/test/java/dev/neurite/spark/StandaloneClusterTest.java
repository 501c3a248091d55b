package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real multi-process path: a master and two worker JVMs started from the jars Maven fetched,
 * executors in JVMs of their own receiving the application's jars and opening their backends
 * there, train the command's recipe; the model equals local[2]'s for the same seed, bit for bit.
 */
class StandaloneClusterTest {
    @Test
    void twoWorkersTrainTheModelLocalModeTrains(@TempDir Path dir) throws Exception {
        Path data = MnistLike.write(Files.createDirectories(dir.resolve("data")), 2000, 400);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalCluster.Comparison c = LocalCluster.compare(2, LocalCluster.jars(Path.of("target/spark-classpath.txt")),
                new String[] {"--data", data.toString(), "--layers", "784,16,10", "--epochs", "2", "--sync-steps", "20",
                    "--seed", "3"}, new PrintStream(log, true, StandardCharsets.UTF_8));
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(c.identical(), out);
        assertTrue(out.contains("identical models") && out.contains("epoch 2/2"), out);
        List<String> executors = executorLogs(c.clusterHome());
        assertEquals(2, executors.size(), "one executor JVM a worker: " + executors);
        for (String e : executors) {
            // the application's jars reached the executor's class loader, and it ran the tasks (each opened its backend there)
            assertTrue(e.contains("Running task") && e.matches("(?s).*Adding file:\\S*/neurite-\\S*\\.jar to class loader.*"),
                    "an executor received Neurite and ran tasks:\n" + e);
        }
    }

    /** The stderr of every executor the workers launched (under work folders, app-ID/N/stderr). */
    private static List<String> executorLogs(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("/app-"))
                    .map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }
}
