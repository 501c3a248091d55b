package dev.neurite.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds MNIST-format data: the folder given with --data, then $NEURITE_DATA, then
 * ~/.cache/neurite/mnist. Without MNIST it downloads it into ~/.cache/neurite/mnist from the
 * canonical mirrors (SHA-256 verified; not when NEURITE_OFFLINE is set); failing that it falls
 * back to Debian's Fashion-MNIST (package dataset-fashion-mnist), saying so; otherwise it stops
 * with the options.
 */
final class DataLocator {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /**
     * The files found.
     *
     * @param name      what the data is ("MNIST", "Fashion-MNIST")
     * @param trainImages training images
     * @param trainLabels training labels
     * @param testImages  test images
     * @param testLabels  test labels
     */
    record Located(String name, Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    }

    private DataLocator() {
    }

    static Located locate(String dataset, String dataFlag, String env, Path home, PrintStream out) throws UsageException {
        boolean offline = System.getenv("NEURITE_OFFLINE") != null;
        return locate(dataset, dataFlag, env, home, out, offline ? null : MnistDownload.canonical());
    }

    /** As above, downloading with {@code download} (null: never). */
    static Located locate(String dataset, String dataFlag, String env, Path home, PrintStream out,
                          MnistDownload download) throws UsageException {
        boolean fashion = dataset.equals("fashion-mnist");
        if (!fashion && !dataset.equals("mnist")) {
            throw new UsageException("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
        }
        List<Path> tried = new ArrayList<>();
        if (dataFlag != null) {
            tried.add(Path.of(dataFlag));
        } else if (fashion) {
            tried.add(FASHION);
        } else {
            if (env != null && !env.isBlank()) {
                tried.add(Path.of(env));
            }
            tried.add(home.resolve(".cache/neurite/mnist"));
        }
        for (Path dir : tried) {
            Located found = in(dir, fashion ? "Fashion-MNIST" : "MNIST");
            if (found != null) {
                return found;
            }
        }
        Path cache = home.resolve(".cache/neurite/mnist");
        if (!fashion && dataFlag == null && download != null) {
            out.println("neurite: MNIST not found in " + tried + "; downloading it into " + cache);
            try {
                download.into(cache, out);
                Located got = in(cache, "MNIST");
                if (got != null) {
                    return got;
                }
            } catch (java.io.IOException e) {
                out.println("neurite: download failed: " + e.getMessage());
            }
        }
        if (!fashion && dataFlag == null) {
            Located f = in(FASHION, "Fashion-MNIST");
            if (f != null) {
                out.println("neurite: MNIST not found in " + tried + "; using Fashion-MNIST from " + FASHION
                        + " (Debian package dataset-fashion-mnist) instead");
                return f;
            }
        }
        throw new UsageException("no " + (fashion ? "Fashion-MNIST" : "MNIST") + " data in " + tried + ". Either:\n"
                + "  - pass --data DIR, a folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],\n"
                + "    t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz];\n"
                + "  - set NEURITE_DATA to such a folder, or put the files in ~/.cache/neurite/mnist;\n"
                + "  - let neurite download MNIST there (needs the network; unset NEURITE_OFFLINE);\n"
                + "  - or install Debian's dataset-fashion-mnist and use --dataset fashion-mnist.");
    }

    /** The four files in {@code dir}, each raw or .gz, or null when any is missing. */
    private static Located in(Path dir, String name) {
        Path[] p = new Path[FILES.length];
        for (int i = 0; i < FILES.length; i++) {
            Path raw = dir.resolve(FILES[i]);
            Path gz = dir.resolve(FILES[i] + ".gz");
            p[i] = Files.isRegularFile(raw) ? raw : Files.isRegularFile(gz) ? gz : null;
            if (p[i] == null) {
                return null;
            }
        }
        return new Located(name, p[0], p[1], p[2], p[3]);
    }
}
