package dev.neurite.spark;

import java.io.Serializable;

/**
 * The running sample-weighted sum of replica weights that Spark's treeAggregate builds:
 * Σ n_p·w_p and Σ n_p, with the longest replica compute time. A single replica's result
 * travels as its float weights; sums are kept in double, so the order in which Spark combines
 * partial sums can change a float of the mean only by one rounding, and not at all for two.
 */
final class Average implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long samples;
    private final Weights leaf;
    private final double[][] parameterSums;
    private final double[][] stateSums;
    private final long computeNanos;

    private Average(long samples, Weights leaf, double[][] parameterSums, double[][] stateSums, long computeNanos) {
        this.samples = samples;
        this.leaf = leaf;
        this.parameterSums = parameterSums;
        this.stateSums = stateSums;
        this.computeNanos = computeNanos;
    }

    static Average empty() {
        return new Average(0, null, null, null, 0);
    }

    /** One replica: its weights after training on {@code samples} rows for {@code computeNanos}. */
    static Average of(Weights replica, long samples, long computeNanos) {
        return samples == 0 ? new Average(0, null, null, null, computeNanos)
                : new Average(samples, replica, null, null, computeNanos);
    }

    /** The sum of both; neither operand changes. */
    Average add(Average o) {
        long nanos = Math.max(computeNanos, o.computeNanos);
        if (o.samples == 0 || samples == 0) {
            Average some = o.samples == 0 ? this : o;
            return new Average(some.samples, some.leaf, some.parameterSums, some.stateSums, nanos);
        }
        return new Average(samples + o.samples, null, sum(parameterSums(), o.parameterSums()),
                sum(stateSums(), o.stateSums()), nanos);
    }

    long samples() {
        return samples;
    }

    long computeNanos() {
        return computeNanos;
    }

    /** Σ n_p·w_p / Σ n_p, rounded to float, tagged with {@code steps}. */
    Weights mean(long steps) {
        if (samples == 0) {
            throw new IllegalStateException("no replica trained on any row this round");
        }
        if (leaf != null) {
            return new Weights(leaf.parameters(), leaf.states(), steps);
        }
        return new Weights(divide(parameterSums), divide(stateSums), steps);
    }

    private double[][] parameterSums() {
        return parameterSums != null ? parameterSums : weighted(leaf.parameters());
    }

    private double[][] stateSums() {
        return stateSums != null ? stateSums : weighted(leaf.states());
    }

    private double[][] weighted(float[][] values) {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = new double[values[i].length];
            for (int k = 0; k < values[i].length; k++) {
                out[i][k] = (double) samples * values[i][k];
            }
        }
        return out;
    }

    private static double[][] sum(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("replicas disagree: " + a.length + " and " + b.length + " matrices");
        }
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                throw new IllegalStateException("replicas disagree on matrix " + i + ": " + a[i].length + " and "
                        + b[i].length + " values");
            }
            out[i] = new double[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                out[i][k] = a[i][k] + b[i][k];
            }
        }
        return out;
    }

    private float[][] divide(double[][] sums) {
        float[][] out = new float[sums.length][];
        for (int i = 0; i < sums.length; i++) {
            out[i] = new float[sums[i].length];
            for (int k = 0; k < sums[i].length; k++) {
                out[i][k] = (float) (sums[i][k] / samples);
            }
        }
        return out;
    }
}
