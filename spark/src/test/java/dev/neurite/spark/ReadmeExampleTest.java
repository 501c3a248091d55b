package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Spark example compiles and trains as written (on small MNIST-shaped files, one epoch). */
class ReadmeExampleTest {
    @Test
    void theSparkExampleTrainsAndSaves(@TempDir Path dir) throws Exception {
        Path data = MnistLike.write(Files.createDirectories(dir.resolve("data")), 2000, 10);
        Path model = dir.resolve("mnist.model");
        String snippet = sparkBlock();
        for (Map.Entry<String, String> r : Map.of(
                "\"data/mnist/train-images-idx3-ubyte.gz\"", "\"" + data.resolve("train-images-idx3-ubyte") + "\"",
                "\"data/mnist/train-labels-idx1-ubyte.gz\"", "\"" + data.resolve("train-labels-idx1-ubyte") + "\"",
                ".epochs(3)", ".epochs(1)",
                "Path.of(\"mnist.model\")", "Path.of(\"" + model + "\")").entrySet()) {
            assertTrue(snippet.contains(r.getKey()), "the README example no longer contains " + r.getKey());
            snippet = snippet.replace(r.getKey(), r.getValue());
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        Path file = dir.resolve("ReadmeSparkExample.java");
        Files.writeString(file, imports + "public class ReadmeSparkExample {\n public static void run() throws Exception {\n"
                + body + " }\n}\n");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), file.toString()), "the README example does not compile");
        // the example's session must be new, so its executors load classes (the example's lambda) through this loader
        LocalSpark.stop();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            loader.loadClass("ReadmeSparkExample").getMethod("run").invoke(null);
        } finally {
            SparkSession.active().stop();
            Thread.currentThread().setContextClassLoader(before);
        }
        assertTrue(Files.size(model) > 784 * 512 * 4, "the example saved its model");
    }

    /** The ```java block of README.md that uses SparkTrainer. */
    private static String sparkBlock() throws java.io.IOException {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("../README.md")));
        while (m.find()) {
            if (m.group(1).contains("SparkTrainer")) {
                return m.group(1);
            }
        }
        throw new AssertionError("README.md has no Spark example");
    }
}
