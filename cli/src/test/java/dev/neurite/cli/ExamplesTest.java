package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The projects in examples/ stay what README.md shows: the version users copy is the one this
 * build makes, and the example programs hold the README's Java examples line for line. (The
 * build runs the examples themselves, from the installed artifacts: examples/pom.xml.)
 */
class ExamplesTest {
    private static final Path ROOT = root();
    private static final String VERSION = System.getProperty("neurite.expected.version");
    private static final Path SOURCES = ROOT.resolve("examples/embedding/src/main/java/dev/neurite/examples/embedding");
    private static final Path CUSTOM_LAYER = ROOT.resolve("examples/custom-layer/src/main/java/dev/neurite/examples/customlayer");

    @Test
    void theExamplesAndTheReadmeNameThisVersion() throws IOException {
        for (String example : List.of("embedding", "custom-layer")) {
            Path pom = ROOT.resolve("examples/" + example + "/pom.xml");
            Matcher version = Pattern.compile("<neurite.version>(.*?)</neurite.version>").matcher(Files.readString(pom));
            assertTrue(version.find(), pom + " has no <neurite.version>");
            assertEquals(VERSION, version.group(1), pom.toString());
        }
        Matcher readme = Pattern.compile("<artifactId>neurite-bom</artifactId>\\s*<version>(.*?)</version>")
                .matcher(Files.readString(ROOT.resolve("README.md")));
        assertTrue(readme.find(), "README.md has no neurite-bom dependency snippet");
        assertEquals(VERSION, readme.group(1), "README.md's neurite-bom snippet");
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("dev.neurite:neurite-bom:" + VERSION),
                "README.md's Gradle line names " + VERSION);
    }

    @Test
    void theBackendExampleIsTheReadmes() throws IOException {
        assertHoldsEveryLine(javaBlocks().get(0), List.of(SOURCES.resolve("BackendExample.java")), Set.of());
    }

    @Test
    void theTrainingExampleIsTheReadmes() throws IOException {
        // the example takes the data folder as its argument and saves under target/
        assertHoldsEveryLine(javaBlocks().get(1), List.of(SOURCES.resolve("TrainingExample.java")), Set.of(
                "Path mnist = Path.of(\"data/mnist\");                         // holds t10k-images/labels-*.gz",
                "ModelFile.save(net, Path.of(\"mnist.model\"));            // checksummed, written atomically"));
    }

    @Test
    void theCustomLayerIsTheReadmes() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Your own layers"));
        assertTrue(section.contains("(examples/custom-layer)"), "README's section on custom layers links the example");
        String block = javaBlocks().stream().filter(b -> b.contains(" implements Layer ")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md shows no layer of a user's own"));
        // the README's snippet registers the codec in code; the example lists it in META-INF/services
        assertHoldsEveryLine(block, List.of(CUSTOM_LAYER.resolve("PReLU.java"), CUSTOM_LAYER.resolve("PReLUCodec.java"),
                CUSTOM_LAYER.resolve("CustomLayerExample.java")), Set.of(
                "LayerCodecs.register(new PReLUCodec());                          // a jar lists it in META-INF/services instead"));
        assertEquals(List.of("dev.neurite.examples.customlayer.PReLUCodec"), Files.readAllLines(ROOT.resolve(
                "examples/custom-layer/src/main/resources/META-INF/services/dev.neurite.nn.LayerCodec")));
    }

    /**
     * Every non-blank line of {@code snippet} but the exceptions is a line of one of the
     * {@code sources}, both compared without surrounding blanks and without a leading
     * {@code public} (a snippet declares its classes in a method body, where they cannot be public).
     */
    private static void assertHoldsEveryLine(String snippet, List<Path> sources, Set<String> exceptions) throws IOException {
        Set<String> lines = new HashSet<>();
        for (Path source : sources) {
            Files.readAllLines(source).stream().map(ExamplesTest::normalized).forEach(lines::add);
        }
        for (String line : snippet.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !exceptions.contains(l)) {
                assertTrue(lines.contains(normalized(l)), sources.stream().map(Path::getFileName).toList()
                        + " lack the README's line: " + l);
            }
        }
    }

    private static String normalized(String line) {
        String l = line.strip();
        return l.startsWith("public ") ? l.substring("public ".length()) : l;
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
