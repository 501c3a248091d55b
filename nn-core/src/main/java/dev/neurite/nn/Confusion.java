package dev.neurite.nn;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import java.util.Locale;

/**
 * Predictions against labels: counts[actual][predicted], and the accuracy they give. The
 * prediction of a row is the index of its largest output (argmax on the device).
 *
 * @param counts classes x classes counts
 */
public record Confusion(int[][] counts) {

    /** Runs {@code net} over {@code data} in batches of {@code batch} rows. */
    public static Confusion of(Network net, Dataset data, int batch) {
        Backend b = net.backend();
        int classes = net.outputWidth();
        int[][] counts = new int[classes][classes];
        for (int from = 0; from < data.rows(); from += batch) {
            int to = Math.min(data.rows(), from + batch);
            float[] x = java.util.Arrays.copyOfRange(data.features(), from * data.cols(), to * data.cols());
            try (DeviceMatrix in = b.upload(x, to - from, data.cols()); DeviceMatrix arg = b.allocate(to - from, 1)) {
                b.reduce(Reduction.ARGMAX, Axis.ROW, net.forward(in, false), arg);
                float[] predicted = b.download(arg);
                for (int r = 0; r < predicted.length; r++) {
                    counts[data.labels()[from + r]][(int) predicted[r]]++;
                }
            }
        }
        return new Confusion(counts);
    }

    public double accuracy() {
        long right = 0;
        long all = 0;
        for (int a = 0; a < counts.length; a++) {
            for (int p = 0; p < counts.length; p++) {
                all += counts[a][p];
                right += a == p ? counts[a][p] : 0;
            }
        }
        return all == 0 ? 0 : (double) right / all;
    }

    /** The matrix as text: a row per actual class, a column per predicted class. */
    public String table() {
        StringBuilder sb = new StringBuilder("actual \\ predicted");
        for (int p = 0; p < counts.length; p++) {
            sb.append(String.format(Locale.ROOT, "%6d", p));
        }
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(String.format(Locale.ROOT, "%18d", a));
            for (int p = 0; p < counts.length; p++) {
                sb.append(String.format(Locale.ROOT, "%6d", counts[a][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
