package dev.neurite.spark;

import dev.neurite.nn.Dataset;
import dev.neurite.nn.Shape;
import java.io.Serializable;

/**
 * One partition's rows as the executor keeps them cached: features (rows, cols) row-major and a
 * class label a row, or real targets (rows, classes) for regression.
 *
 * @param partition the partition index, which seeds its shuffles
 * @param features  rows·cols values
 * @param labels    rows labels (all 0 for regression)
 * @param targets   rows·classes targets for regression, else null
 * @param cols      values a row
 * @param classes   classes (or target columns)
 */
record Shard(int partition, float[] features, int[] labels, float[] targets, int cols, int classes)
        implements Serializable {

    int rows() {
        return labels.length;
    }

    /** The rows as an nn-core dataset of samples shaped {@code shape} (no copy). */
    Dataset dataset(Shape shape) {
        return targets == null ? new Dataset(features, labels, shape, classes)
                : new Dataset(features, labels, shape, classes, targets);
    }
}
