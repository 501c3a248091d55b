package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.testing.TestData;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java examples in README.md compile and run as written, so they never go stale. */
class ReadmeExamplesTest {

    @Test
    void theBackendExampleComputesWhatItSays(@TempDir Path dir) throws Exception {
        String snippet = javaBlocks().get(0);
        Object out = compileAndRun(dir, snippet,
                Map.of("float[] out = backend.download(y);", "return backend.download(y);"));
        // x (2,3) · w (3,2) = [[4, 5], [10, 11]], then sigmoid
        float[] expected = new float[4];
        float[] z = {4, 5, 10, 11};
        for (int i = 0; i < 4; i++) {
            expected[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        assertArrayEquals(expected, (float[]) out, 1e-6f);
    }

    @Test
    void theTrainingExampleTrainsAndSaves(@TempDir Path dir) throws Exception {
        Path mnist = TestData.mnistOrSkip();
        Path model = dir.resolve("mnist.model");
        compileAndRun(dir, javaBlocks().get(1), Map.of("Path.of(\"data/mnist\")", "Path.of(\"" + mnist + "\")",
                "Path.of(\"mnist.model\")", "Path.of(\"" + model + "\")"));
        assertTrue(Files.size(model) > 784 * 15 * 4, "the example saved its model");
    }

    @Test
    void theConvolutionExampleBuildsItsNetwork(@TempDir Path dir) throws Exception {
        Object description = compileAndRun(dir, javaBlocks().get(2),
                Map.of("System.out.println(lenet);", "return lenet.toString();"));
        assertEquals("(1, 28, 28) -> conv 5x5x20 -> relu -> max-pool 2 -> conv 5x5x50 -> relu -> max-pool 2 -> flatten"
                + " -> dense 800->500 -> relu -> dropout 0.5 -> dense 500->10", description);
    }

    @Test
    void theOptionsExampleOpensTwoDifferentlyConfiguredBackends(@TempDir Path dir) throws Exception {
        String block = javaBlocks().stream().filter(b -> b.contains("BackendOptions.builder()")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no BackendOptions example"));
        Object devices = compileAndRun(dir, block, Map.of(
                "System.out.println(one.device() + \" | \" + two.device());",
                "return one.device() + \" | \" + two.device();"));
        String text = String.valueOf(devices);
        assertTrue(text.matches(".*1 thread\\(s\\).* \\| .*2 thread\\(s\\).*"), text);
    }

    @Test
    void theCsvExampleReadsItsTables(@TempDir Path dir) throws Exception {
        String block = javaBlocks().stream().filter(b -> b.contains("Csv.classification")).findFirst().orElseThrow();
        StringBuilder iris = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        String[] species = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 15; i++) {
            iris.append(5 + i % 3).append(",3.").append(i).append(",1.").append(i % 5).append(",0.2,")
                    .append(species[i % 3]).append('\n');
        }
        Path irisFile = Files.writeString(dir.resolve("iris.csv"), iris);
        Path more = Files.writeString(dir.resolve("iris-more.csv"), iris.toString().replaceAll("(?m)^.*setosa\n", ""));
        Path houses = dir.resolve("houses.csv.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(houses))) {
            gz.write("rooms,price,area,rent\n3,250000,80.5,900\n4,310000,95,1100\n".getBytes(StandardCharsets.UTF_8));
        }
        Object said = compileAndRun(dir, block, Map.of("Path.of(\"iris.csv\")", "Path.of(\"" + irisFile + "\")",
                "Path.of(\"iris-more.csv\")", "Path.of(\"" + more + "\")",
                "Path.of(\"houses.csv.gz\")", "Path.of(\"" + houses + "\")",
                "System.out.println(", "return ("));
        assertEquals("line 1 is a header: none of its cells is a number; classes [setosa, versicolor, virginica]", said);
    }

    @Test
    void thePredictionExampleAnswersFromRawInputs(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("sizes.model");
        Object answer = compileAndRun(dir, javaBlocks().get(3), Map.of(
                "Path.of(\"sizes.model\")", "Path.of(\"" + model + "\")",
                "System.out.println(p.className() + \" \" + p.probability());",
                "return p.className() + \" \" + p.probability();"));
        String[] parts = answer.toString().split(" ");
        assertEquals("large", parts[0]);
        assertTrue(Float.parseFloat(parts[1]) > 0.9f, answer.toString());
        assertTrue(Files.exists(model));
    }

    @Test
    void theCustomLayerExamplePassesItsGradientCheck(@TempDir Path dir) throws Exception {
        Object report = compileAndRun(dir, javaBlocks().get(4),
                Map.of("System.out.print(check);", "return check.passed() + \"\\n\" + check;"));
        assertTrue(report.toString().startsWith("true"), report.toString());
    }

    @Test
    void theResumeExampleContinuesTheRun(@TempDir Path dir) throws Exception {
        Path mnist = TestData.mnistOrSkip();
        Path checkpoint = dir.resolve("last.ckpt");
        Object result = compileAndRun(dir, javaBlocks().get(5), Map.of(
                "Path.of(\"data/mnist\")", "Path.of(\"" + mnist + "\")",
                "Path.of(\"last.ckpt\")", "Path.of(\"" + checkpoint + "\")",
                "System.out.println(r.reason() + \", best epoch \" + r.bestEpoch());", "return r;"));
        assertTrue(result.toString().contains("epochs=4"), result.toString());
    }

    /** The ```java blocks of README.md, in order. */
    private static List<String> javaBlocks() throws IOException {
        Path readme = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && readme == null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw"))) {
                readme = p.resolve("README.md");
            }
        }
        assertTrue(readme != null, "README.md not found");
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertTrue(blocks.size() >= 2, "README.md should hold the backend and the training examples");
        return blocks;
    }

    /** Wraps the snippet's statements in a static method, compiles it, runs it and returns what it returns. */
    private static Object compileAndRun(Path dir, String snippet, Map<String, String> replacements) throws Exception {
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            assertTrue(snippet.contains(r.getKey()), "the README example no longer contains " + r.getKey());
            snippet = snippet.replace(r.getKey(), r.getValue());
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        boolean returns = body.toString().contains("return ");
        String source = imports + "public class ReadmeExample {\n public static Object run() throws Exception {\n"
                + body + (returns ? "" : " return null;\n") + " }\n}\n";
        Path file = dir.resolve("ReadmeExample.java");
        Files.writeString(file, source);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), file.toString());
        assertEquals(0, status, "the README example does not compile:\n" + source);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                ReadmeExamplesTest.class.getClassLoader())) {
            Method run = loader.loadClass("ReadmeExample").getMethod("run");
            return run.invoke(null);
        }
    }
}
