package dev.neurite.nn;

import java.util.List;
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

    /** Rows whose actual class is {@code c}. */
    public int support(int c) {
        int n = 0;
        for (int p = 0; p < counts.length; p++) {
            n += counts[c][p];
        }
        return n;
    }

    /** Rows predicted as {@code c}. */
    public int predicted(int c) {
        int n = 0;
        for (int[] row : counts) {
            n += row[c];
        }
        return n;
    }

    /** Of the rows predicted as {@code c}, the fraction that are: TP / (TP + FP); 0 when none is predicted {@code c}. */
    public double precision(int c) {
        int predicted = predicted(c);
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    /** Of the rows of class {@code c}, the fraction found: TP / (TP + FN); 0 when there are none. */
    public double recall(int c) {
        int support = support(c);
        return support == 0 ? 0 : (double) counts[c][c] / support;
    }

    /** The harmonic mean of precision and recall, 2PR / (P + R); 0 when both are 0. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Precision, recall and F1 averaged over the classes.
     *
     * @param support the rows they cover
     */
    public record Average(double precision, double recall, double f1, int support) {
    }

    /** The plain mean over classes: every class counts the same, however rare. */
    public Average macro() {
        double p = 0;
        double r = 0;
        double f = 0;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            p += precision(c);
            r += recall(c);
            f += f1(c);
            n += support(c);
        }
        int k = counts.length;
        return new Average(p / k, r / k, f / k, n);
    }

    /** The mean over classes weighted by their support (weighted recall is the accuracy). */
    public Average weighted() {
        double p = 0;
        double r = 0;
        double f = 0;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            int s = support(c);
            p += s * precision(c);
            r += s * recall(c);
            f += s * f1(c);
            n += s;
        }
        return n == 0 ? new Average(0, 0, 0, 0) : new Average(p / n, r / n, f / n, n);
    }

    /**
     * Per class precision, recall, F1 and support, then the macro and weighted averages, as a
     * table; {@code names} name the classes in label order (empty: their numbers).
     */
    public String report(List<String> names) {
        List<String> n = names(names);
        int width = Math.max("weighted avg".length(), n.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + width + "s  %9.4f  %9.4f  %9.4f  %9d%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s  %9s  %9s  %9s  %9s%n", "",
                "precision", "recall", "f1", "support"));
        for (int c = 0; c < counts.length; c++) {
            sb.append(String.format(Locale.ROOT, row, n.get(c), precision(c), recall(c), f1(c), support(c)));
        }
        Average m = macro();
        Average w = weighted();
        sb.append(String.format(Locale.ROOT, row, "macro avg", m.precision(), m.recall(), m.f1(), m.support()));
        sb.append(String.format(Locale.ROOT, row, "weighted avg", w.precision(), w.recall(), w.f1(), w.support()));
        return sb.toString();
    }

    /** The matrix as text: a row per actual class, a column per predicted class, numbered. */
    public String table() {
        return table(List.of());
    }

    /** The matrix as text, the classes named by {@code names} in label order (empty: their numbers). */
    public String table(List<String> names) {
        List<String> n = names(names);
        int first = "actual \\ predicted".length();
        int cell = 6;
        for (int c = 0; c < counts.length; c++) {
            first = Math.max(first, n.get(c).length());
            cell = Math.max(cell, Math.max(n.get(c).length(), Integer.toString(support(c)).length()) + 2);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + first + "s", "actual \\ predicted"));
        for (int p = 0; p < counts.length; p++) {
            sb.append(String.format(Locale.ROOT, "%" + cell + "s", n.get(p)));
        }
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(String.format(Locale.ROOT, "%" + first + "s", n.get(a)));
            for (int p = 0; p < counts.length; p++) {
                sb.append(String.format(Locale.ROOT, "%" + cell + "d", counts[a][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private List<String> names(List<String> names) {
        if (names.isEmpty()) {
            return java.util.stream.IntStream.range(0, counts.length).mapToObj(Integer::toString).toList();
        }
        if (names.size() != counts.length) {
            throw new IllegalArgumentException("confusion: " + names.size() + " names for " + counts.length + " classes");
        }
        return names;
    }
}
