package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * examples/embedding stays what README.md shows: the version users copy is the one this build
 * makes, and the example programs hold the README's Java examples line for line. (The build
 * runs the example itself, from the installed artifacts: examples/pom.xml.)
 */
class ExamplesTest {
    private static final Path ROOT = root();
    private static final String VERSION = System.getProperty("neurite.expected.version");
    private static final Path SOURCES = ROOT.resolve("examples/embedding/src/main/java/dev/neurite/examples/embedding");

    @Test
    void theExampleAndTheReadmeNameThisVersion() throws IOException {
        Matcher example = Pattern.compile("<neurite.version>(.*?)</neurite.version>")
                .matcher(Files.readString(ROOT.resolve("examples/embedding/pom.xml")));
        assertTrue(example.find(), "examples/embedding/pom.xml has no <neurite.version>");
        assertEquals(VERSION, example.group(1), "examples/embedding/pom.xml");
        Matcher readme = Pattern.compile("<artifactId>neurite-bom</artifactId>\\s*<version>(.*?)</version>")
                .matcher(Files.readString(ROOT.resolve("README.md")));
        assertTrue(readme.find(), "README.md has no neurite-bom dependency snippet");
        assertEquals(VERSION, readme.group(1), "README.md's neurite-bom snippet");
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("dev.neurite:neurite-bom:" + VERSION),
                "README.md's Gradle line names " + VERSION);
    }

    @Test
    void theBackendExampleIsTheReadmes() throws IOException {
        assertHoldsEveryLine(javaBlocks().get(0), SOURCES.resolve("BackendExample.java"), Set.of());
    }

    @Test
    void theTrainingExampleIsTheReadmes() throws IOException {
        // the example takes the data folder as its argument and saves under target/
        assertHoldsEveryLine(javaBlocks().get(1), SOURCES.resolve("TrainingExample.java"), Set.of(
                "Path mnist = Path.of(\"data/mnist\");                         // holds t10k-images/labels-*.gz",
                "ModelFile.save(net, Path.of(\"mnist.model\"));            // checksummed, written atomically"));
    }

    private static void assertHoldsEveryLine(String snippet, Path source, Set<String> exceptions) throws IOException {
        List<String> lines = Files.readAllLines(source).stream().map(String::strip).toList();
        for (String line : snippet.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !exceptions.contains(l)) {
                assertTrue(lines.contains(l), source.getFileName() + " lacks the README's line: " + l);
            }
        }
    }

    private static List<String> javaBlocks() throws IOException {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve("README.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("the repository root (README.md beside mvnw) is not above " + Path.of("").toAbsolutePath());
    }
}
