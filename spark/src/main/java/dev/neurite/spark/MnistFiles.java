package dev.neurite.spark;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four MNIST-format files: in --data (a folder, or a Hadoop URI used as given), else
 * $NEURITE_DATA, else ~/.cache/neurite/mnist; Fashion-MNIST from Debian's dataset-fashion-mnist.
 * Unlike plain {@code neurite train} it never downloads: the executors read the files where
 * they are, so they must be there first ({@code neurite train} once fetches MNIST into the cache).
 */
record MnistFiles(String name, String trainImages, String trainLabels, String testImages, String testLabels) {
    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    static MnistFiles locate(String dataset, String dataFlag) {
        boolean fashion = dataset.equals("fashion-mnist");
        if (!fashion && !dataset.equals("mnist")) {
            throw new IllegalArgumentException("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
        }
        String name = fashion ? "Fashion-MNIST" : "MNIST";
        if (dataFlag != null && dataFlag.contains("://")) {
            return new MnistFiles(name, dataFlag + "/" + FILES[0] + ".gz", dataFlag + "/" + FILES[1] + ".gz",
                    dataFlag + "/" + FILES[2] + ".gz", dataFlag + "/" + FILES[3] + ".gz");
        }
        String env = System.getenv("NEURITE_DATA");
        Path dir = dataFlag != null ? Path.of(dataFlag) : fashion ? Path.of("/usr/share/datasets/fashion-mnist")
                : env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/neurite/mnist");
        String[] found = new String[4];
        for (int i = 0; i < 4; i++) {
            Path raw = dir.resolve(FILES[i]);
            Path gz = dir.resolve(FILES[i] + ".gz");
            found[i] = Files.isRegularFile(raw) ? raw.toAbsolutePath().toString()
                    : Files.isRegularFile(gz) ? gz.toAbsolutePath().toString() : null;
            if (found[i] == null) {
                throw new IllegalArgumentException("no " + name + " in " + dir + " (needs " + String.join(", ", FILES)
                        + ", raw or .gz); pass --data DIR" + (fashion ? "" : ", or run plain neurite train once to download MNIST"));
            }
        }
        return new MnistFiles(name, found[0], found[1], found[2], found[3]);
    }
}
