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
 * naming the files each folder lacks. What a folder must hold depends on the command
 * ({@link Need}): a folder of only the test files (t10k-*) serves evaluate, and train with a
 * hold-out.
 */
final class DataLocator {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** The files a command needs. */
    enum Need {
        /** Training and test files: train. */
        TRAIN_AND_TEST,
        /** Training files, or else the test files (train with --holdout takes its test set from them). */
        ANY,
        /** The test files: evaluate, predict. */
        TEST
    }

    /**
     * The files found; a pair is null when the folder lacks it (never both).
     *
     * @param name        what the data is ("MNIST", "Fashion-MNIST")
     * @param folder      where the files are
     * @param trainImages training images, or null
     * @param trainLabels training labels, or null
     * @param testImages  test images, or null
     * @param testLabels  test labels, or null
     */
    record Located(String name, Path folder, Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
        boolean hasTrain() {
            return trainImages != null;
        }

        boolean hasTest() {
            return testImages != null;
        }

        boolean serves(Need need) {
            return switch (need) {
                case TRAIN_AND_TEST -> hasTrain() && hasTest();
                case ANY -> hasTrain() || hasTest();
                case TEST -> hasTest();
            };
        }
    }

    private DataLocator() {
    }

    static Located locate(String dataset, String dataFlag, String env, Path home, PrintStream out, Need need)
            throws UsageException {
        boolean offline = System.getenv("NEURITE_OFFLINE") != null;
        return locate(dataset, dataFlag, env, home, out, offline ? null : MnistDownload.canonical(), need);
    }

    /** As above, downloading with {@code download} (null: never). */
    static Located locate(String dataset, String dataFlag, String env, Path home, PrintStream out,
                          MnistDownload download, Need need) throws UsageException {
        boolean fashion = dataset.equals("fashion-mnist");
        if (!fashion && !dataset.equals("mnist")) {
            throw new UsageException("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
        }
        String name = fashion ? "Fashion-MNIST" : "MNIST";
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
            Located found = in(dir, name);
            if (found.serves(need)) {
                return found;
            }
        }
        Path cache = home.resolve(".cache/neurite/mnist");
        if (!fashion && dataFlag == null && download != null) {
            out.println("neurite: MNIST not found in " + tried + "; downloading it into " + cache);
            try {
                download.into(cache, out);
                Located got = in(cache, name);
                if (got.serves(need)) {
                    return got;
                }
            } catch (java.io.IOException e) {
                out.println("neurite: download failed: " + e.getMessage());
            }
        }
        if (!fashion && dataFlag == null) {
            Located f = in(FASHION, "Fashion-MNIST");
            if (f.serves(need)) {
                out.println("neurite: MNIST not found in " + tried + "; using Fashion-MNIST from " + FASHION
                        + " (Debian package dataset-fashion-mnist) instead");
                return f;
            }
        }
        throw new UsageException(missing(tried, name, need, dataFlag != null));
    }

    /** What each tried folder lacks, and the ways out. */
    private static String missing(List<Path> tried, String name, Need need, boolean given) {
        StringBuilder sb = new StringBuilder("no " + name + " data: ");
        for (Path dir : tried) {
            Located l = in(dir, name);
            sb.append(dir).append(Files.isDirectory(dir) ? " lacks " + lacks(l, need) : " is not a folder").append("; ");
        }
        if (need == Need.TRAIN_AND_TEST && tried.stream().anyMatch(d -> in(d, name).hasTest())) {
            sb.append("a folder of only the test files (t10k-*) trains with --holdout FRACTION, which takes the test set "
                    + "from them; ");
        }
        sb.append("either:\n"
                + "  - pass --data DIR, a folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],\n"
                + "    t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (evaluate needs only the t10k ones),\n"
                + "    or --data FILE.csv for a table of your own;\n");
        if (!given) {
            sb.append("  - set NEURITE_DATA to such a folder, or put the files in ~/.cache/neurite/mnist;\n"
                    + "  - let neurite download MNIST there (needs the network; unset NEURITE_OFFLINE);\n");
        }
        sb.append("  - or install Debian's dataset-fashion-mnist and use --dataset fashion-mnist.");
        return sb.toString();
    }

    private static String lacks(Located l, Need need) {
        List<String> names = new ArrayList<>();
        boolean train = need == Need.TRAIN_AND_TEST || (need == Need.ANY && !l.hasTest());
        boolean test = need != Need.ANY || !l.hasTrain();
        for (int i = 0; i < FILES.length; i++) {
            boolean wanted = i < 2 ? train : test;
            if (wanted && find(l.folder(), FILES[i]) == null) {
                names.add(FILES[i] + "[.gz]");
            }
        }
        return String.join(", ", names);
    }

    /** The files of {@code dir}: each pair (images and labels, raw or .gz) present or null. */
    private static Located in(Path dir, String name) {
        Path[] p = new Path[FILES.length];
        for (int i = 0; i < FILES.length; i++) {
            p[i] = find(dir, FILES[i]);
        }
        boolean train = p[0] != null && p[1] != null;
        boolean test = p[2] != null && p[3] != null;
        return new Located(name, dir, train ? p[0] : null, train ? p[1] : null, test ? p[2] : null, test ? p[3] : null);
    }

    private static Path find(Path dir, String file) {
        Path raw = dir.resolve(file);
        Path gz = dir.resolve(file + ".gz");
        return Files.isRegularFile(raw) ? raw : Files.isRegularFile(gz) ? gz : null;
    }
}
