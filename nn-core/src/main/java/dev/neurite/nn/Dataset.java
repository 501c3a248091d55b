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

    /** Rows [from, to) as a dataset of their own (copied). */
    public Dataset slice(int from, int to) {
        return new Dataset(Arrays.copyOfRange(features, from * cols, to * cols), Arrays.copyOfRange(labels, from, to),
                cols, classes);
    }
}
