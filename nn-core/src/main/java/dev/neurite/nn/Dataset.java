package dev.neurite.nn;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Examples in host memory: features (rows, cols) row-major, each row one sample of {@code shape},
 * and per row either a class label (classification; targets are one-hot) or real-valued targets
 * (regression, {@link #regression}). A dataset has at least one row: an empty one is refused
 * here, so nothing can train on it or score it.
 *
 * @param features   rows·cols values
 * @param labels     rows labels in [0, classes); all 0 for regression
 * @param shape      one sample: (cols) for feature vectors, (C, H, W) for images
 * @param classes    number of classes, or target columns for regression
 * @param targets    rows·classes real targets for regression, else null
 * @param classNames one distinct name per class (or per target column for regression), e.g. a
 *                   CSV file's "setosa", "versicolor", "virginica"; "0", "1", ... unless given
 */
public record Dataset(float[] features, int[] labels, Shape shape, int classes, float[] targets,
                      List<String> classNames) {

    public Dataset {
        int cols = shape.size();
        if (features.length % cols != 0 || features.length / cols != labels.length) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature values, " + labels.length
                    + " labels and " + cols + " columns do not agree");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("dataset: no rows (an empty dataset can be neither trained on nor scored)");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("dataset: " + classes + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("dataset: label " + labels[i] + " of row " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        if (targets != null && targets.length != labels.length * classes) {
            throw new IllegalArgumentException("dataset: " + targets.length + " target values for " + labels.length
                    + " rows of " + classes);
        }
        if (classNames == null || classNames instanceof Numbered) {
            classNames = new Numbered(classes);
        } else {
            classNames = List.copyOf(classNames);
            if (classNames.size() != classes) {
                throw new IllegalArgumentException("dataset: " + classNames.size() + " class names for " + classes
                        + " classes");
            }
            if (Set.copyOf(classNames).size() != classNames.size()) {
                throw new IllegalArgumentException("dataset: class names repeat: " + classNames);
            }
        }
    }

    /** Labelled samples of {@code shape} with real targets or not, classes named "0", "1", .... */
    public Dataset(float[] features, int[] labels, Shape shape, int classes, float[] targets) {
        this(features, labels, shape, classes, targets, null);
    }

    /** Labelled feature vectors of {@code cols} values. */
    public Dataset(float[] features, int[] labels, int cols, int classes) {
        this(features, labels, Shape.flat(cols), classes, null);
    }

    /** Labelled samples of {@code shape}, e.g. images (1, 28, 28). */
    public Dataset(float[] features, int[] labels, Shape shape, int classes) {
        this(features, labels, shape, classes, null);
    }

    /** The default class names "0", "1", ..., "n-1", made on demand rather than stored. */
    private static final class Numbered extends AbstractList<String> implements RandomAccess {
        private final int n;

        Numbered(int n) {
            this.n = n;
        }

        @Override
        public String get(int index) {
            java.util.Objects.checkIndex(index, n);
            return Integer.toString(index);
        }

        @Override
        public int size() {
            return n;
        }
    }

    /** Regression data: features (rows, cols) and targets (rows, targetCols). */
    public static Dataset regression(float[] features, int cols, float[] targets, int targetCols) {
        if (cols < 1 || targetCols < 1 || features.length % cols != 0) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature values do not make rows of "
                    + cols);
        }
        return new Dataset(features, new int[features.length / cols], Shape.flat(cols), targetCols, targets);
    }

    public int rows() {
        return labels.length;
    }

    /** Values a row. */
    public int cols() {
        return shape.size();
    }

    /** True when rows carry real targets rather than class labels. */
    public boolean isRegression() {
        return targets != null;
    }

    /** The same rows seen as samples of {@code newShape} (same size), e.g. (784) as (1, 28, 28). */
    public Dataset withShape(Shape newShape) {
        if (newShape.size() != cols()) {
            throw new IllegalArgumentException("dataset: rows of " + cols() + " values cannot be samples of " + newShape);
        }
        return new Dataset(features, labels, newShape, classes, targets, classNames);
    }

    /** The same rows with the classes (or target columns) named {@code names}, one distinct name each. */
    public Dataset withClassNames(List<String> names) {
        return new Dataset(features, labels, shape, classes, targets, names);
    }

    /** Row {@code row}'s targets into {@code out} at {@code at}: one-hot of its label, or its real targets. */
    void target(int row, float[] out, int at) {
        if (targets != null) {
            System.arraycopy(targets, row * classes, out, at, classes);
        } else {
            out[at + labels[row]] = 1f;
        }
    }

    /**
     * A seeded shuffle split into training and validation parts: the last {@code fraction} of
     * the shuffled rows validate. Returns {train, validation}.
     */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        long held = Math.round(rows() * fraction);
        if (held < 1 || held >= rows()) {
            throw new IllegalArgumentException("split: a fraction of " + fraction + " of " + rows() + " rows leaves "
                    + (held < 1 ? "no validation rows" : "no training rows") + " (both parts need at least one)");
        }
        int[] order = new int[rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Dataset all = pick(order);
        int cut = rows() - (int) Math.round(rows() * fraction);
        return new Dataset[] {all.slice(0, cut), all.slice(cut, rows())};
    }

    /** Rows [from, to) as a dataset of their own (copied); at least one row. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > rows() || from >= to) {
            throw new IllegalArgumentException("dataset: rows [" + from + ", " + to + ") are not a non-empty part of "
                    + rows() + " rows");
        }
        int cols = cols();
        return new Dataset(Arrays.copyOfRange(features, from * cols, to * cols),
                Arrays.copyOfRange(labels, from, to), shape, classes,
                targets == null ? null : Arrays.copyOfRange(targets, from * classes, to * classes), classNames);
    }

    /** Rows order[0], order[1], ... (copied). */
    private Dataset pick(int[] order) {
        int cols = cols();
        float[] x = new float[order.length * cols];
        int[] y = new int[order.length];
        float[] t = targets == null ? null : new float[order.length * classes];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(features, order[i] * cols, x, i * cols, cols);
            y[i] = labels[order[i]];
            if (t != null) {
                System.arraycopy(targets, order[i] * classes, t, i * classes, classes);
            }
        }
        return new Dataset(x, y, shape, classes, t, classNames);
    }
}
