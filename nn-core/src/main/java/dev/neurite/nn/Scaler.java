package dev.neurite.nn;

/**
 * Feature scaling fitted on one dataset and applied to others: min-max normalization to [0, 1]
 * or standardization to mean 0, standard deviation 1, column by column. A constant column maps
 * to 0.
 *
 * @param shift subtracted from each column
 * @param scale then divided into it
 */
public record Scaler(float[] shift, float[] scale) {

    /** x' = (x - min) / (max - min). */
    public static Scaler minMax(Dataset data) {
        int cols = data.cols();
        float[] min = new float[cols];
        float[] max = new float[cols];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        float[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            min[i % cols] = Math.min(min[i % cols], x[i]);
            max[i % cols] = Math.max(max[i % cols], x[i]);
        }
        float[] range = new float[cols];
        for (int c = 0; c < cols; c++) {
            range[c] = max[c] - min[c];
        }
        return new Scaler(min, range);
    }

    /** x' = (x - mean) / standard deviation. */
    public static Scaler standard(Dataset data) {
        int cols = data.cols();
        double[] sum = new double[cols];
        double[] squares = new double[cols];
        float[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            sum[i % cols] += x[i];
            squares[i % cols] += (double) x[i] * x[i];
        }
        float[] mean = new float[cols];
        float[] sd = new float[cols];
        int n = data.rows();
        for (int c = 0; c < cols; c++) {
            double m = sum[c] / n;
            mean[c] = (float) m;
            sd[c] = (float) Math.sqrt(Math.max(0, squares[c] / n - m * m));
        }
        return new Scaler(mean, sd);
    }

    public Scaler {
        if (shift.length != scale.length) {
            throw new IllegalArgumentException("scaler: " + shift.length + " shifts and " + scale.length + " scales");
        }
    }

    /** A scaled copy of {@code data}. */
    public Dataset apply(Dataset data) {
        if (data.cols() != shift.length) {
            throw new IllegalArgumentException("scaler fitted on " + shift.length + " columns, data has " + data.cols());
        }
        float[] x = data.features().clone();
        applyInPlace(x);
        return new Dataset(x, data.labels(), data.shape(), data.classes(), data.targets(), data.classNames());
    }

    /** Scales rows of {@link #shift()}.length values each, in place. */
    public void applyInPlace(float[] rows) {
        int cols = shift.length;
        if (rows.length % cols != 0) {
            throw new IllegalArgumentException("scaler fitted on " + cols + " columns, given " + rows.length
                    + " values, not whole rows");
        }
        for (int i = 0; i < rows.length; i++) {
            float s = scale[i % cols];
            rows[i] = s == 0 ? 0 : (rows[i] - shift[i % cols]) / s;
        }
    }
}
