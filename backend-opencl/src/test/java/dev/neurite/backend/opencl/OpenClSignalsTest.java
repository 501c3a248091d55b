package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM keeps its signal handlers through OpenCL discovery, context creation and program builds.
 * pocl's first device query gives SIGSEGV, SIGBUS, SIGILL and others to LLVM's crash handler; left
 * there, a JVM that went on to train on the CPU backend died with SIGSEGV in a third of runs. In a
 * fresh child JVM, so that the handlers read before are the JVM's own.
 */
class OpenClSignalsTest {
    @Test
    void everySignalHandlerIsTheJvmsAgainAfterOpenClRan() throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SignalsMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("NEURITE_BACKEND");
        Path log = Files.createTempFile("signals", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("done"), out);
        assertFalse(out.contains("changed "), out);
    }
}
