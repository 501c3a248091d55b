package dev.neurite.cli;

import dev.neurite.nn.Csv;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Idx;
import dev.neurite.nn.MalformedDataException;
import dev.neurite.nn.Network;
import dev.neurite.nn.OutputHead;
import dev.neurite.nn.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Data for a saved model ({@code evaluate}, {@code predict}, {@code landscape}): a table
 * ({@code --data FILE.csv}, labels mapped to the model's class names) or IDX images (a folder's
 * test files, t10k-*, which is all these commands need; or for predict one image file), as read,
 * unscaled: the model applies its own scaler.
 */
final class ModelData {
    static final Set<String> FLAGS = Set.of("model", "data", "dataset", "label", "target", "backend");

    /**
     * Data and its name for messages.
     *
     * @param name e.g. "iris.csv" or "MNIST test set"
     * @param unit "rows" or "images"
     */
    record Named(String name, String unit, Dataset data) {
    }

    private ModelData() {
    }

    /** Checks the flags that only tables take. */
    static void checkFlags(Flags f) throws UsageException {
        boolean table = TrainingData.isTable(f.get("data", null));
        for (String own : new String[] {"label", "target"}) {
            if (f.has(own) && !table) {
                throw new UsageException("--" + own + " applies to a table (--data FILE.csv), not to IDX images");
            }
        }
        if (f.has("label") && f.has("target")) {
            throw new UsageException("--label is for a classifier's table and --target for a regression's: give one");
        }
    }

    /** Inputs of a model for the built-in image sets (28 x 28 pixels). */
    private static final int IMAGE_INPUTS = 28 * 28;

    /**
     * The model file of {@code evaluate} and {@code predict}, checked before anything is read:
     * --model given, the table-only flags right, the file readable.
     */
    static Path model(Flags f) throws UsageException, IOException {
        if (!f.has("model")) {
            throw new UsageException("--model FILE is required");
        }
        checkFlags(f);
        Path model = Path.of(f.get("model", ""));
        OutputFiles.checkReadable("model", model);
        return model;
    }

    /** Labelled data for {@code net}: classes mapped to its class names, or its regression targets. */
    static Named labelled(Flags f, Network net, PrintStream info) throws IOException, UsageException {
        OutputHead head = net.head() == null ? OutputHead.AS_IS : net.head();
        String data = f.get("data", null);
        Named named;
        if (TrainingData.isTable(data)) {
            Path file = Path.of(data);
            Csv reader;
            if (!head.classifies()) {
                reader = Csv.regression(f.has("target") ? f.get("target", "").split(",") : lastColumns(net.outputWidth()));
            } else {
                reader = f.has("label") ? Csv.classification(f.get("label", "")) : Csv.classification();
                if (!net.classNames().isEmpty()) {
                    reader = reader.classes(net.classNames());
                }
            }
            named = new Named(file.toString(), "rows", reader.read(file));
        } else {
            DataLocator.Located d = locate(f, info, net);
            named = new Named(d.name() + " test set", "images",
                    Idx.read(d.testImages(), d.testLabels(), Math.max(2, head.classes(net.outputWidth()))));
        }
        return fits(net, named);
    }

    /**
     * Rows to predict: a table's feature columns (a label column, or {@code --label}/{@code --target}
     * columns, left out), or images (a folder's test images, or an IDX image file).
     */
    static Named features(Flags f, Network net, PrintStream info) throws IOException, UsageException {
        String data = f.get("data", null);
        if (TrainingData.isTable(data)) {
            return fits(net, new Named(data, "rows", table(Path.of(data), f, net)));
        }
        Path images;
        String name;
        if (data != null && Files.isRegularFile(Path.of(data))) {
            images = Path.of(data);
            name = data;
        } else {
            DataLocator.Located d = locate(f, info, net);
            images = d.testImages();
            name = d.name() + " test set";
        }
        int[] shape = new int[3];
        float[] pixels = Idx.readImages(images, shape);
        Dataset d = new Dataset(pixels, new int[shape[0]], Shape.image(1, shape[1], shape[2]), 1);
        return fits(net, new Named(name, "images", d));
    }

    /** The table's features: the named columns left out, else all columns or all but the last label or targets. */
    private static Dataset table(Path file, Flags f, Network net) throws IOException {
        if (f.has("label") || f.has("target")) {
            return Csv.features((f.has("label") ? f.get("label", "") : f.get("target", "")).split(",")).read(file);
        }
        OutputHead head = net.head() == null ? OutputHead.AS_IS : net.head();
        int labels = head.classifies() ? 1 : net.outputWidth();
        Dataset all;
        try {
            all = Csv.features().read(file);
        } catch (MalformedDataException e) {
            // a label column of names is not a number: read again without it
            Dataset rest = Csv.features(lastColumns(labels)).read(file);
            if (rest.cols() != net.inputWidth()) {
                throw e;
            }
            return rest;
        }
        return all.cols() == net.inputWidth() + labels ? Csv.features(lastColumns(labels)).read(file) : all;
    }

    private static String[] lastColumns(int k) {
        String[] c = new String[k];
        for (int i = 0; i < k; i++) {
            c[i] = Integer.toString(i - k);
        }
        return c;
    }

    /** The built-in image set {@code net} is scored on, refused for a model that does not take such images. */
    private static DataLocator.Located locate(Flags f, PrintStream info, Network net) throws UsageException {
        if (f.get("data", null) == null && net.inputWidth() != IMAGE_INPUTS) {
            // not one of the built-in image sets: looking for (or downloading) MNIST would only mislead
            throw new UsageException("--data FILE is required: the model takes " + net.inputWidth()
                    + " inputs, the built-in image sets " + IMAGE_INPUTS);
        }
        return locate(f, info);
    }

    private static DataLocator.Located locate(Flags f, PrintStream info) throws UsageException {
        return DataLocator.locate(f.get("dataset", "mnist"), f.get("data", null), System.getenv("NEURITE_DATA"),
                Path.of(System.getProperty("user.home")), info, DataLocator.Need.TEST);
    }

    /** The data, when its rows are as wide as the model's input; else IOException saying both. */
    private static Named fits(Network net, Named d) throws IOException {
        if (d.data().cols() != net.inputWidth()) {
            throw new IOException(d.name() + ": " + d.unit() + " of " + d.data().cols() + " values, but the model takes "
                    + net.inputWidth() + " inputs (" + net.inputShape() + ")");
        }
        return d;
    }
}
