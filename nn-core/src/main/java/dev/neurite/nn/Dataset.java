package dev.neurite.nn;

import java.util.Arrays;

/**
 * Labelled examples in host memory: features (rows, cols) row-major and a class label a row.
 *
 * @param features rows·cols values
 * @param labels   rows labels in [0, classes)
 * @param cols     features a row
 * @param classes  number of classes
 */
public record Dataset(float[] features, int[] labels, int cols, int classes) {

    public Dataset {
        if (cols < 1 || features.length % cols != 0 || features.length / cols != labels.length) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature values, " + labels.length
                    + " labels and " + cols + " columns do not agree");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("dataset: label " + labels[i] + " of row " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    public int rows() {
        return labels.length;
    }

    /**
     * A seeded shuffle split into training and validation parts: the last {@code fraction} of
     * the shuffled rows validate. Returns {train, validation}.
     */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
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
        float[] shuffled = new float[features.length];
        int[] shuffledLabels = new int[labels.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(features, order[i] * cols, shuffled, i * cols, cols);
            shuffledLabels[i] = labels[order[i]];
        }
        Dataset all = new Dataset(shuffled, shuffledLabels, cols, classes);
        int cut = rows() - (int) Math.round(rows() * fraction);
        return new Dataset[] {all.slice(0, cut), all.slice(cut, rows())};
    }

    /** Rows [from, to) as a dataset of their own (copied). */
    public Dataset slice(int from, int to) {
        return new Dataset(Arrays.copyOfRange(features, from * cols, to * cols), Arrays.copyOfRange(labels, from, to),
                cols, classes);
    }
}
