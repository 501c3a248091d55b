package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** neurite --version, and the jar's entry point telling an unfit JVM what it needs. */
class LauncherTest {

    @Test
    void versionPrintsNeuriteAndJava() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("neurite " + System.getProperty("neurite.expected.version"), lines[0]);
        assertTrue(lines[1].startsWith("Java " + Runtime.version() + " ("), lines[1]);
    }

    @Test
    void theLauncherIsBuiltForJava8() throws IOException {
        try (InputStream in = Launcher.class.getResourceAsStream("Launcher.class")) {
            DataInputStream data = new DataInputStream(in);
            assertEquals(0xCAFEBABE, data.readInt());
            data.readUnsignedShort();
            assertEquals(52, data.readUnsignedShort(), "class file major version (52 = Java 8)");
        }
    }

    @Test
    void featureReleaseFromTheSpecificationVersion() {
        assertEquals(8, Launcher.feature("1.8"));
        assertEquals(17, Launcher.feature("17"));
        assertEquals(25, Launcher.feature("25"));
        assertEquals(0, Launcher.feature("unknown"));
    }

    @Test
    void withTheFlagsItRunsTheCommand() throws Exception {
        Run r = launch(currentJava(), List.of("--add-modules", "jdk.incubator.vector"), "--version");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.startsWith("neurite " + System.getProperty("neurite.expected.version")), r.out);
    }

    @Test
    void withoutTheVectorModuleItSaysWhichFlag() throws Exception {
        Run r = launch(currentJava(), List.of(), "--version");
        assertEquals(1, r.status, r.out);
        assertTrue(r.err.contains("--add-modules jdk.incubator.vector"), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void anOlderJavaHearsThatNeuriteNeedsJava25() throws Exception {
        Path old = olderJava();
        Assumptions.assumeTrue(old != null, "no JDK older than 25 on this machine");
        Run r = launch(old, List.of(), "--version");
        assertEquals(1, r.status, r.out);
        assertTrue(r.err.startsWith("neurite needs Java 25 or newer; this is Java "), r.err);
        assertFalse(r.err.contains("UnsupportedClassVersionError"), r.err);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run launch(Path java, List<String> jvmFlags, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    private static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A JDK or JRE older than 25 among the usual Linux installs, or null. */
    private static Path olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path home : homes) {
                Path release = home.resolve("release");
                Path java = home.resolve("bin/java");
                if (Files.isExecutable(java) && Files.isReadable(release)) {
                    for (String line : Files.readAllLines(release)) {
                        if (line.startsWith("JAVA_VERSION=")
                                && Launcher.feature(line.substring(13).replace("\"", "")) < Launcher.REQUIRED) {
                            return java;
                        }
                    }
                }
            }
        }
        return null;
    }
}
