package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example in README.md compiles and runs as written, so it never goes stale. */
class ReadmeExampleTest {

    @Test
    void theEmbeddingExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(findReadme());
        Matcher m = Pattern.compile("## Using it from Java\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no Java block under 'Using it from Java'");
        String snippet = m.group(1);
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        // The snippet's last statement leaves its result in `out`; hand it back to the test.
        String source = imports + "public class ReadmeExample {\n public static float[] run() {\n"
                + body.toString().replace("float[] out = backend.download(y);", "return backend.download(y);")
                + " }\n}\n";
        Path file = dir.resolve("ReadmeExample.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        assertEquals(0, status, "the README example does not compile:\n" + source);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass("ReadmeExample").getMethod("run");
            float[] out = (float[]) run.invoke(null);
            // x (2,3) · w (3,2) = [[4, 5], [10, 11]], then sigmoid
            float[] expected = new float[4];
            List<Float> z = List.of(4f, 5f, 10f, 11f);
            for (int i = 0; i < 4; i++) {
                expected[i] = (float) (1 / (1 + Math.exp(-z.get(i))));
            }
            assertArrayEquals(expected, out, 1e-6f);
        }
    }

    private static Path findReadme() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw"))) {
                return p.resolve("README.md");
            }
        }
        throw new IOException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
