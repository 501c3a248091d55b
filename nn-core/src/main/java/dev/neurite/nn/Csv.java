package dev.neurite.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tables of numbers in comma-separated files (UTF-8, plain or gzip-compressed whatever the name),
 * read as a classification (one label column) or a regression (one or more real-valued target
 * columns); every other column is a numeric feature.
 *
 * <pre>
 * Dataset iris  = Csv.classification("species").read(Path.of("iris.csv"));
 * Dataset table = Csv.classification().read(file);                  // label: the last column
 * Dataset price = Csv.regression("price", "rent").read(file);
 * Dataset test  = Csv.classification("species").classes(iris.classNames()).read(testFile);
 * </pre>
 *
 * <p><b>Header.</b> By default the first non-blank line is a header when none of its cells is
 * a number, and data otherwise; so a first data row with a typo is an error naming the cell,
 * never silently dropped. A header of numbers only ("0,1,2,3") cannot be told from data: say so
 * with {@link #header(Header)}. A UTF-8 byte-order mark is ignored. {@link Table#headerNote}
 * says what was decided and why.
 *
 * <p><b>Columns</b> are chosen by header name, or by index counting from 0 (negative from the
 * end: -1 is the last); a name wins over an index. Errors count lines and columns from 1, as
 * editors do.
 *
 * <p><b>Cells.</b> Numbers are decimal ({@code -1.5}, {@code .5}, {@code 2e-3}); empty cells,
 * NaN, infinities and values beyond float's range (|x| &gt; 3.4028235E38, e.g. 1e39) are
 * refused with the file, line, column and cell. RFC 4180 quotes are understood within a line.
 * Class labels follow {@link ClassLabels}' rule: all integers (sorted numerically) or all names
 * (sorted as strings), at most {@link #MAX_CLASSES} classes; the names are kept in
 * {@link Dataset#classNames()} ("-1", "1" or "setosa", "versicolor", ...). For a regression
 * they are the target columns' names.
 */
public final class Csv {
    /** The most distinct class labels a table may have. */
    public static final int MAX_CLASSES = 10_000;

    /** Whether the first non-blank line is a header. */
    public enum Header {
        /** A header exactly when none of its cells is a number. */
        DETECT,
        /** Always a header. */
        PRESENT,
        /** Always data. */
        ABSENT
    }

    /**
     * A table as read: the dataset and what the reader decided about the file.
     *
     * @param data          the rows
     * @param columns       the header's names, or "column 1", "column 2", ... without a header
     * @param header        true when the first line was a header
     * @param outputColumns the label column, or the target columns, as 0-based indices
     * @param headerNote    why the first line was or was not taken as a header
     */
    public record Table(Dataset data, List<String> columns, boolean header, List<Integer> outputColumns,
                        String headerNote) {
    }

    /** A column chosen by the caller: by name or index ({@code text}), or by index only. */
    private record Column(String text, boolean indexOnly) {
    }

    private final List<Column> outputs;
    private final boolean regression;
    private final Header header;
    private final List<String> known;

    private Csv(List<Column> outputs, boolean regression, Header header, List<String> known) {
        this.outputs = outputs;
        this.regression = regression;
        this.header = header;
        this.known = known;
    }

    /** A classification with the label in the last column. */
    public static Csv classification() {
        return classification(-1);
    }

    /** A classification with the label in {@code column}: a header name or an index (0-based, negative from the end). */
    public static Csv classification(String column) {
        return new Csv(List.of(new Column(column.strip(), false)), false, Header.DETECT, null);
    }

    /** A classification with the label at {@code index} (0-based, negative from the end). */
    public static Csv classification(int index) {
        return new Csv(List.of(new Column(Integer.toString(index), true)), false, Header.DETECT, null);
    }

    /** A regression on one or more target columns, each a header name or an index. */
    public static Csv regression(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a regression needs at least one target column");
        }
        List<Column> list = new ArrayList<>();
        for (String c : columns) {
            list.add(new Column(c.strip(), false));
        }
        return new Csv(List.copyOf(list), true, Header.DETECT, null);
    }

    /** The same reading with the first line's role decided by {@code header}. */
    public Csv header(Header header) {
        return new Csv(outputs, regression, header, known);
    }

    /**
     * The same reading with the classes given, in index order (e.g. the names a model was trained
     * with): every label must be one of them, so a test file maps exactly as the training file did.
     */
    public Csv classes(List<String> names) {
        if (regression) {
            throw new IllegalStateException("a regression has no classes");
        }
        if (names.isEmpty() || names.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("between 1 and " + MAX_CLASSES + " classes, got " + names.size());
        }
        ClassLabels.indexOf(names);
        return new Csv(outputs, false, header, List.copyOf(names));
    }

    /** Reads {@code file}; {@code labelColumn} counts from 0, negative counts from the end (-1: last). */
    public static Dataset read(Path file, int labelColumn) throws IOException {
        return classification(labelColumn).read(file);
    }

    /** Reads {@code file} as configured. */
    public Dataset read(Path file) throws IOException {
        return table(file).data();
    }

    /** Reads {@code file} as configured, with the reader's decisions about it. */
    public Table table(Path file) throws IOException {
        try (DataFile in = DataFile.open(file)) {
            return table(file, in);
        } catch (OutOfMemoryError e) {
            throw Idx.outOfMemory(file, e);
        }
    }

    /** Reads the content of {@code in}, naming {@code file} in errors. */
    Table table(Path file, DataFile in) throws IOException {
        CsvLines lines = new CsvLines(file, in.in, in.bufferSize);
        String[] first = lines.next();
        if (first == null) {
            throw new MalformedDataException(file, "no data: the file is empty");
        }
        int width = first.length;
        if (width < 2) {
            throw new MalformedDataException(file, "line " + lines.line() + " has one column; a table needs a feature "
                    + "column and a " + (regression ? "target" : "label") + " column, separated by commas");
        }
        int firstLine = lines.line();
        List<Integer> numeric = numericCells(first);
        boolean hasHeader = header == Header.PRESENT || header == Header.DETECT && numeric.isEmpty();
        String note = headerNote(hasHeader, numeric, firstLine);
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            columns.add(hasHeader ? first[c] : "column " + (c + 1));
        }
        int[] out = resolve(file, columns, hasHeader);
        CsvRows rows = new CsvRows(file, width, out, regression, known, hasHeader ? columns : null,
                hasHeader ? "" : " (" + note + ")", firstLine);
        if (!hasHeader) {
            rows.add(first, firstLine);
        }
        for (String[] cells = lines.next(); cells != null; cells = lines.next()) {
            rows.add(cells, lines.line());
        }
        if (rows.count() == 0) {
            throw new MalformedDataException(file, "no data rows after the header on line " + firstLine);
        }
        List<Integer> outList = new ArrayList<>();
        for (int o : out) {
            outList.add(o);
        }
        return new Table(rows.dataset(), List.copyOf(columns), hasHeader, List.copyOf(outList), note);
    }

    /** The 1-based cells of {@code row} that are numbers (NaN and infinities included). */
    private static List<Integer> numericCells(String[] row) {
        List<Integer> numeric = new ArrayList<>();
        for (int c = 0; c < row.length; c++) {
            if (isDecimal(row[c]) || ClassLabels.isNonFinite(row[c])) {
                numeric.add(c + 1);
            }
        }
        return numeric;
    }

    /** Why the first line is or is not a header. */
    private String headerNote(boolean hasHeader, List<Integer> numeric, int line) {
        if (header != Header.DETECT) {
            return "line " + line + (hasHeader ? " is a header" : " is data") + ", as the caller said";
        }
        return hasHeader ? "line " + line + " is a header: none of its cells is a number"
                : "line " + line + " is data, not a header, because " + (numeric.size() == 1 ? "cell " : "cells ")
                + listed(numeric) + (numeric.size() == 1 ? " is a number" : " are numbers");
    }

    private static String listed(List<Integer> cells) {
        List<Integer> shown = cells.size() > 5 ? cells.subList(0, 5) : cells;
        String s = shown.toString().replaceAll("[\\[\\]]", "");
        return cells.size() > 5 ? s + ", ..." : s;
    }

    /** The 0-based indices of the label or target columns. */
    private int[] resolve(Path file, List<String> columns, boolean hasHeader) throws MalformedDataException {
        int[] out = new int[outputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = resolve(file, outputs.get(i), columns, hasHeader);
            for (int j = 0; j < i; j++) {
                if (out[j] == out[i]) {
                    throw new MalformedDataException(file, "target column " + (out[i] + 1) + " is named twice");
                }
            }
        }
        if (out.length >= columns.size()) {
            throw new MalformedDataException(file, "no feature columns left: all " + columns.size()
                    + " columns are targets");
        }
        return out;
    }

    private static int resolve(Path file, Column column, List<String> columns, boolean hasHeader)
            throws MalformedDataException {
        String text = column.text();
        if (hasHeader && !column.indexOnly()) {
            int at = columns.indexOf(text);
            if (at >= 0 && columns.lastIndexOf(text) != at) {
                throw new MalformedDataException(file, "the header names column '" + text + "' twice (columns "
                        + (at + 1) + " and " + (columns.lastIndexOf(text) + 1) + ")");
            }
            if (at >= 0) {
                return at;
            }
        }
        int width = columns.size();
        try {
            int index = Integer.parseInt(text);
            int at = index < 0 ? width + index : index;
            if (at >= 0 && at < width) {
                return at;
            }
        } catch (NumberFormatException e) {
            // not an index: reported below with the names there are
        }
        throw new UnknownColumnException(file, "no column '" + text + "': "
                + (hasHeader ? "the header names " + columns + "; " : "the file has no header; ")
                + "columns by index run from 0 to " + (width - 1) + " (or -1 for the last)");
    }

    /** True for a decimal number as tables write them: -1.5, .5, 3., 2e-3 (no hex, no suffixes). */
    static boolean isDecimal(String s) {
        int i = skipSign(s, 0);
        int whole = skipDigits(s, i);
        int fraction = whole < s.length() && s.charAt(whole) == '.' ? skipDigits(s, whole + 1) : whole;
        int digits = (whole - i) + Math.max(0, fraction - whole - 1);
        if (digits == 0) {
            return false;
        }
        if (fraction < s.length() && (s.charAt(fraction) == 'e' || s.charAt(fraction) == 'E')) {
            int from = skipSign(s, fraction + 1);
            int to = skipDigits(s, from);
            return to > from && to == s.length();
        }
        return fraction == s.length();
    }

    private static int skipSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** A column asked for by name or index that the file does not have. */
    public static final class UnknownColumnException extends MalformedDataException {
        private static final long serialVersionUID = 1L;

        UnknownColumnException(Path file, String fault) {
            super(file, fault);
        }
    }

    @Override
    public String toString() {
        return (regression ? "regression on " : "classification by ") + Arrays.toString(outputs.stream()
                .map(Column::text).toArray()) + ", header " + header;
    }
}
