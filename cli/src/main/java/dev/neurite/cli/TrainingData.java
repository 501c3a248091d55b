package dev.neurite.cli;

import dev.neurite.nn.Csv;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Idx;
import dev.neurite.nn.Scaler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The data {@code neurite train} works on: a table ({@code --data FILE.csv}) or IDX images (a
 * folder, or the built-in datasets), split into training, validation and test parts, and the
 * scaler fitted on the training part. The parts stay as read (raw); {@link Parts#scaled} gives
 * what the network trains on.
 */
final class TrainingData {
    static final Set<String> FLAGS = Set.of("data", "dataset", "label", "target", "test", "holdout", "validation",
            "scale");
    private static final List<String> SCALINGS = List.of("standard", "minmax", "none");

    /** The data flags, checked before anything is read. */
    record Spec(String dataset, String data, String label, String[] targets, Path testFile, double holdout,
                double validation, String scale, long seed) {

        /** True for a table (a CSV file), false for IDX images. */
        boolean table() {
            return isTable(data);
        }

        /** The scaling asked for, or the default: standard for tables, none (pixels x/255) for images. */
        String scaling() {
            return scale != null ? scale : table() ? "standard" : "none";
        }
    }

    /**
     * What was read.
     *
     * @param name       the data's name for messages: the file, or MNIST / Fashion-MNIST
     * @param train      the training part, raw
     * @param validation the validation part, raw, or null
     * @param test       the test part, raw, or null
     * @param scaler     fitted on the training part, or null for none
     * @param notes      what was decided, one line each
     */
    record Parts(String name, Dataset train, Dataset validation, Dataset test, Scaler scaler, String scaling,
                 List<String> notes) {
        /** {@code d} as the network sees it: scaled, or as it is without a scaler; null stays null. */
        Dataset scaled(Dataset d) {
            return d == null || scaler == null ? d : scaler.apply(d);
        }

        /** The same parts scaled by {@code s} (a resumed model's own), named {@code how}. */
        Parts withScaler(Scaler s, String how) {
            return new Parts(name, train, validation, test, s, how, notes);
        }
    }

    private TrainingData() {
    }

    /** True for a file to read as a table: any file but a folder and IDX files (named *-ubyte or *.idx, gzipped or not). */
    static boolean isTable(String data) {
        if (data == null) {
            return false;
        }
        Path p = Path.of(data);
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean idx = n.matches(".*(ubyte|\\.idx\\d?)(\\.gz)?");
        return !idx && !Files.isDirectory(p) && (Files.isRegularFile(p) || n.endsWith(".csv") || n.endsWith(".csv.gz"));
    }

    static Spec spec(Flags f, long seed) throws UsageException {
        String data = f.get("data", null);
        boolean table = isTable(data);
        for (String own : new String[] {"label", "target", "test"}) {
            if (f.has(own) && !table) {
                throw new UsageException("--" + own + " applies to a table (--data FILE.csv), not to IDX images");
            }
        }
        if (table && f.has("dataset")) {
            throw new UsageException("--dataset names a built-in image set; --data " + data + " is a table");
        }
        if (f.has("test") && f.has("holdout")) {
            throw new UsageException("--test gives the test set and --holdout takes it from the training data: give one");
        }
        if (f.has("label") && f.has("target")) {
            throw new UsageException("--label makes a classification and --target a regression: give one");
        }
        String[] targets = null;
        if (f.has("target")) {
            targets = f.get("target", "").split(",");
            for (String t : targets) {
                if (t.isBlank()) {
                    throw new UsageException("--target takes column names or indices separated by commas, got '"
                            + f.get("target", "") + "'");
                }
            }
        }
        String scale = f.get("scale", null);
        if (scale != null && !SCALINGS.contains(scale)) {
            throw new UsageException("--scale must be standard, minmax or none, got '" + scale + "'");
        }
        return new Spec(f.get("dataset", "mnist"), data, f.get("label", null), targets,
                f.has("test") ? Path.of(f.get("test", "")) : null, f.fraction("holdout", 0, 1),
                f.fraction("validation", 0, 1), scale, seed);
    }

    /** Reads, splits and fits the scaler; {@code out} hears about downloads and fallbacks. */
    static Parts load(Spec s, PrintStream out) throws IOException, UsageException {
        List<String> notes = new ArrayList<>();
        Dataset all;
        Dataset test = null;
        String name;
        if (s.table()) {
            Path file = Path.of(s.data());
            Csv reader = reader(s);
            Csv.Table t = reader.table(file);
            all = t.data();
            name = file.toString();
            notes.add(describe(name, all) + "; " + t.headerNote());
            if (s.testFile() != null) {
                test = (all.isRegression() ? reader : reader.classes(all.classNames())).read(s.testFile());
                notes.add("test set " + describe(s.testFile().toString(), test));
            }
        } else {
            DataLocator.Located d = DataLocator.locate(s.dataset(), s.data(), System.getenv("NEURITE_DATA"),
                    Path.of(System.getProperty("user.home")), out,
                    s.holdout() > 0 ? DataLocator.Need.ANY : DataLocator.Need.TRAIN_AND_TEST);
            name = d.name();
            boolean fromTest = !d.hasTrain();
            all = fromTest ? Idx.read(d.testImages(), d.testLabels()) : Idx.read(d.trainImages(), d.trainLabels());
            notes.add(name + " " + (fromTest ? "test files only (" + d.folder() + "): " : "") + describe(null, all));
            if (s.holdout() == 0) {
                test = Idx.read(d.testImages(), d.testLabels());
            }
        }
        Dataset train = all;
        if (s.holdout() > 0) {
            Dataset[] parts = split(all, s.holdout(), s.seed(), "holdout");
            train = parts[0];
            test = parts[1];
        }
        Dataset validation = null;
        if (s.validation() > 0) {
            Dataset[] parts = split(train, s.validation(), s.seed(), "validation");
            train = parts[0];
            validation = parts[1];
        }
        notes.add(String.format(Locale.ROOT, "%d training%s%s rows%s", train.rows(),
                validation == null ? "" : ", " + validation.rows() + " validation",
                test == null ? "" : ", " + test.rows() + " test",
                s.holdout() > 0 || s.validation() > 0 ? " (split with seed " + s.seed() + ")" : ""));
        Scaler scaler = switch (s.scaling()) {
            case "standard" -> Scaler.standard(train);
            case "minmax" -> Scaler.minMax(train);
            default -> null;
        };
        String how = scaler == null ? (s.table() ? "none" : "none (pixels x/255)")
                : s.scaling() + ", fitted on the training rows and stored with the model";
        return new Parts(name, train, validation, test, scaler, how, notes);
    }

    /** The reader for the table flags: --target makes a regression, else a classification by --label (default: last column). */
    static Csv reader(Spec s) {
        if (s.targets() != null) {
            return Csv.regression(s.targets());
        }
        return s.label() != null ? Csv.classification(s.label()) : Csv.classification();
    }

    private static Dataset[] split(Dataset d, double fraction, long seed, String flag) throws UsageException {
        try {
            return d.split(fraction, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + flag + " " + fraction + ": " + e.getMessage());
        }
    }

    /** "iris.csv: 150 rows, 4 features, 3 classes (setosa, versicolor, virginica)". */
    static String describe(String name, Dataset d) {
        String what = d.isRegression() ? d.classes() + " target" + (d.classes() == 1 ? "" : "s") + " ("
                + String.join(", ", d.classNames()) + ")" : d.classes() + " classes (" + names(d.classNames()) + ")";
        String features = d.shape().isFlat() ? d.cols() + " features" : "samples " + d.shape();
        return (name == null ? "" : name + ": ") + d.rows() + " rows, " + features + ", " + what;
    }

    private static String names(List<String> names) {
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 10)) + ", ... " + names.get(names.size() - 1);
    }
}
