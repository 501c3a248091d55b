package dev.neurite.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The data rows of a CSV table as they are read: features, and a label or targets per row, each
 * cell checked with its line and column named; memory grows with the rows actually read.
 */
final class CsvRows {
    private final Path file;
    private final int width;
    private final int[] outputs;
    private final boolean[] isOutput;
    private final boolean regression;
    private final List<String> names;
    private final String firstLineNote;
    private final int firstLine;
    private final ClassLabels labels;
    private final Floats features = new Floats();
    private final Floats targets = new Floats();
    private int[] provisional = new int[64];
    private int rows;

    /**
     * @param names         the header's column names, or null without a header
     * @param firstLineNote added to errors on {@code firstLine}, to say why it was read as data
     */
    CsvRows(Path file, int width, int[] outputs, boolean regression, List<String> known, List<String> names,
            String firstLineNote, int firstLine) {
        this.file = file;
        this.width = width;
        this.outputs = outputs;
        this.isOutput = new boolean[width];
        for (int o : outputs) {
            isOutput[o] = true;
        }
        this.regression = regression;
        this.names = names;
        this.firstLineNote = firstLineNote;
        this.firstLine = firstLine;
        this.labels = regression ? null : new ClassLabels(file, known);
    }

    int count() {
        return rows;
    }

    /** One data row, found on line {@code line}. */
    void add(String[] cells, int line) throws MalformedDataException {
        if (cells.length != width) {
            throw new MalformedDataException(file, "line " + line + ": " + cells.length + " columns, expected " + width
                    + " (as on line " + firstLine + ")" + (line == firstLine ? firstLineNote : ""));
        }
        for (int c = 0; c < width; c++) {
            if (!isOutput[c]) {
                features.add(number(cells[c], line, c));
            } else if (regression) {
                targets.add(number(cells[c], line, c));
            }
        }
        if (!regression) {
            if (rows == provisional.length) {
                provisional = Arrays.copyOf(provisional, (int) Math.min(Idx.MAX_VALUES, 2L * rows));
            }
            try {
                provisional[rows] = labels.add(cells[outputs[0]], where(line, outputs[0]));
            } catch (MalformedDataException e) {
                throw line == firstLine && !firstLineNote.isEmpty()
                        ? new MalformedDataException(file, e.fault() + firstLineNote) : e;
            }
        }
        rows++;
    }

    /** The rows read, as a dataset. */
    Dataset dataset() {
        int featureCols = width - outputs.length;
        float[] x = features.toArray();
        int[] y = Arrays.copyOf(provisional, rows);
        if (!regression) {
            List<String> classNames = labels.finish(y);
            return new Dataset(x, y, Shape.flat(featureCols), classNames.size(), null, classNames);
        }
        List<String> targetNames = new ArrayList<>();
        for (int o : outputs) {
            targetNames.add(names != null ? names.get(o) : "column " + (o + 1));
        }
        Set<String> distinct = new HashSet<>(targetNames);
        if (distinct.size() != targetNames.size()) {
            targetNames.clear();
            for (int o : outputs) {
                targetNames.add("column " + (o + 1));
            }
        }
        return new Dataset(x, new int[rows], Shape.flat(featureCols), outputs.length, targets.toArray(), targetNames);
    }

    /** A feature or target cell: a finite float, or an error naming the cell. */
    private float number(String cell, int line, int column) throws MalformedDataException {
        String fault;
        if (cell.isEmpty()) {
            fault = "empty cell (a missing value); fill it in or remove the row";
        } else if (ClassLabels.isNonFinite(cell)) {
            fault = "'" + cell + "' is not a finite number (NaN and infinities are refused)";
        } else if (!Csv.isDecimal(cell)) {
            fault = "'" + shorten(cell) + "' is not a number";
        } else {
            float v = Float.parseFloat(cell);
            if (Float.isFinite(v)) {
                return v;
            }
            fault = "'" + shorten(cell) + "' is beyond float's range (largest magnitude " + Float.MAX_VALUE + ")";
        }
        throw new MalformedDataException(file, where(line, column) + ": " + fault
                + (line == firstLine ? firstLineNote : ""));
    }

    private String where(int line, int column) {
        return "line " + line + ", column " + (column + 1) + (names != null ? " (" + shorten(names.get(column)) + ")" : "");
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** A growing float array, bounded by the largest dataset. */
    private final class Floats {
        private float[] values = new float[64];
        private int size;

        void add(float v) throws MalformedDataException {
            if (size == values.length) {
                if (size >= Idx.MAX_VALUES) {
                    throw new MalformedDataException(file, "more than " + Idx.MAX_VALUES + " values: too large for "
                            + "one dataset");
                }
                values = Arrays.copyOf(values, (int) Math.min(Idx.MAX_VALUES, 2L * size));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
