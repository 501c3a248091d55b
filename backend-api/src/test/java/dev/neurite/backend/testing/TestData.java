package dev.neurite.backend.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find data sets, so that tests needing one skip with the reason, printed, when it
 * is absent. The MNIST test set ({@value #IMAGES}, {@value #LABELS}) is looked for in
 * {@code $NEURITE_DATA}, then in {@code shared/data/mnist} of the working folder or any parent.
 */
public final class TestData {
    public static final String IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String LABELS = "t10k-labels-idx1-ubyte.gz";
    /** Debian's dataset-fashion-mnist. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private TestData() {
    }

    /** The folder holding the MNIST test set, if there is one. */
    public static Optional<Path> mnist() {
        return candidates().stream().filter(TestData::holdsMnist).findFirst();
    }

    /** The MNIST test set's folder, or skips the calling test saying where it looked. */
    public static Path mnistOrSkip() {
        Optional<Path> dir = mnist();
        if (dir.isEmpty()) {
            skip("the MNIST test set (" + IMAGES + ", " + LABELS + ") is not here; set NEURITE_DATA to a folder "
                    + "holding it (looked in " + candidates() + ")");
        }
        return dir.orElseThrow();
    }

    /** Fashion-MNIST's folder, or skips the calling test with the package to install. */
    public static Path fashionMnistOrSkip() {
        if (!Files.exists(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))) {
            skip("Fashion-MNIST is not installed in " + FASHION_MNIST + " (apt-get install dataset-fashion-mnist)");
        }
        return FASHION_MNIST;
    }

    private static List<Path> candidates() {
        List<Path> found = new ArrayList<>();
        String env = System.getenv("NEURITE_DATA");
        if (env != null && !env.isBlank()) {
            found.add(Path.of(env.trim()).toAbsolutePath());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            found.add(p.resolve("shared/data/mnist"));
        }
        return found;
    }

    private static boolean holdsMnist(Path dir) {
        return Files.exists(dir.resolve(IMAGES)) && Files.exists(dir.resolve(LABELS));
    }

    private static void skip(String reason) {
        System.err.println("skipped: " + reason);
        Assumptions.abort(reason);
    }
}
