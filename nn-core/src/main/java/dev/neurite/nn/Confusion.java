package dev.neurite.nn;

import java.util.Locale;

/**
 * Predictions against labels: counts[actual][predicted], and the accuracy they give. The
 * prediction of a row is the network's ({@link Network#predict(Dataset)}: from raw inputs, the
 * model's scaler applied, the class its head picks).
 *
 * @param counts classes x classes counts
 */
public record Confusion(int[][] counts) {

    /** Runs {@code net} over {@code data}, {@code batch} rows at a time. */
    public static Confusion of(Network net, Dataset data, int batch) {
        OutputHead head = net.head() != null ? net.head() : OutputHead.AS_IS;
        if (!head.classifies() || data.isRegression()) {
            throw new IllegalArgumentException("confusion: a regression has no classes");
        }
        int classes = head.classes(net.outputWidth());
        if (data.classes() > classes) {
            throw new IllegalArgumentException("confusion: data of " + data.classes() + " classes, the network predicts "
                    + classes);
        }
        int[][] counts = new int[classes][classes];
        for (int from = 0; from < data.rows(); from += batch) {
            Predictions p = net.predict(data.slice(from, Math.min(data.rows(), from + batch)));
            for (int r = 0; r < p.rows(); r++) {
                counts[data.labels()[from + r]][p.label(r)]++;
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
