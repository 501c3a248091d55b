package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A main class of these tests run in a fresh JVM on this JVM's class path, for what a JVM sees first. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main} in a child JVM started through {@code prefix} (a command that then runs the
     * JVM, or none), with {@code env} added and NEURITE_BACKEND removed; fails unless it exits 0
     * within {@code seconds}, and returns its output.
     */
    static String run(Class<?> main, List<String> prefix, Map<String, String> env, int seconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().remove("NEURITE_BACKEND");
        Path log = Files.createTempFile("child", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
