package dev.neurite.spark;

import dev.neurite.nn.Optimizer;
import java.io.Serializable;

/**
 * The running sample-weighted sum of replica weights that Spark's treeAggregate builds:
 * Σ n_p·w_p and Σ n_p over parameters, layer state and optimizer state, with the longest replica
 * compute time. A single replica's result travels as its float weights; sums are kept in double,
 * so the order in which Spark combines partial sums can change a float of the mean only by one
 * rounding, and not at all for two partitions.
 */
final class Average implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long samples;
    private final Weights leaf;
    private final double[][][] sums;
    private final long computeNanos;

    private Average(long samples, Weights leaf, double[][][] sums, long computeNanos) {
        this.samples = samples;
        this.leaf = leaf;
        this.sums = sums;
        this.computeNanos = computeNanos;
    }

    static Average empty() {
        return new Average(0, null, null, 0);
    }

    /** One replica: its weights after training on {@code samples} rows for {@code computeNanos}. */
    static Average of(Weights replica, long samples, long computeNanos) {
        return new Average(samples, samples == 0 ? null : replica, null, computeNanos);
    }

    /** The sum of both; neither operand changes. */
    Average add(Average o) {
        long nanos = Math.max(computeNanos, o.computeNanos);
        if (o.samples == 0 || samples == 0) {
            Average some = o.samples == 0 ? this : o;
            return new Average(some.samples, some.leaf, some.sums, nanos);
        }
        double[][][] a = sums();
        double[][][] b = o.sums();
        double[][][] out = new double[a.length][][];
        for (int g = 0; g < a.length; g++) {
            out[g] = sum(a[g], b[g]);
        }
        return new Average(samples + o.samples, null, out, nanos);
    }

    long samples() {
        return samples;
    }

    long computeNanos() {
        return computeNanos;
    }

    /** Σ n_p·w_p / Σ n_p, rounded to float, with the optimizer at step {@code steps}. */
    Weights mean(int steps) {
        if (samples == 0) {
            throw new IllegalStateException("no replica trained on any row this round");
        }
        if (leaf != null) {
            return new Weights(leaf.parameters(), leaf.states(), new Optimizer.State(steps, leaf.optimizer().values()));
        }
        int params = sums[0].length;
        // every parameter has the rule's number of state matrices
        int slots = params == 0 ? 0 : sums[2].length / params;
        float[][][] optimizer = new float[params][][];
        for (int i = 0, at = 0; i < params; i++) {
            optimizer[i] = new float[slots][];
            for (int k = 0; k < slots; k++) {
                optimizer[i][k] = divide(sums[2][at++]);
            }
        }
        return new Weights(divide(sums[0]), divide(sums[1]), new Optimizer.State(steps, optimizer));
    }

    /** Groups: parameters, layer states, optimizer matrices (flattened, parameter by parameter). */
    private double[][][] sums() {
        if (sums != null) {
            return sums;
        }
        return new double[][][] {weighted(leaf.parameters()), weighted(leaf.states()), weighted(flat(leaf.optimizer()))};
    }

    private static float[][] flat(Optimizer.State s) {
        return java.util.Arrays.stream(s.values()).flatMap(java.util.Arrays::stream).toArray(float[][]::new);
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
            out[i] = divide(sums[i]);
        }
        return out;
    }

    private float[] divide(double[] sum) {
        float[] out = new float[sum.length];
        for (int k = 0; k < sum.length; k++) {
            out[k] = (float) (sum[k] / samples);
        }
        return out;
    }
}
