package dev.neurite.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tabular data: comma-separated numeric features and an integer class label in one column.
 * A first line that does not parse as numbers is taken as a header. Blank lines are skipped;
 * every other bad row is reported with its line number.
 */
public final class Csv {
    private Csv() {
    }

    /** Reads {@code file}; {@code labelColumn} counts from 0, negative counts from the end (-1: last). */
    public static Dataset read(Path file, int labelColumn) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        int classes = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (width < 0) {
                    width = cells.length;
                    if (width < 2) {
                        throw new MalformedDataException(file, "line " + number + ": need at least one feature and a label");
                    }
                    if (!numeric(cells)) {
                        continue; // header
                    }
                } else if (cells.length != width) {
                    throw new MalformedDataException(file, "line " + number + ": " + cells.length + " columns, expected " + width);
                }
                int label = labelColumn < 0 ? width + labelColumn : labelColumn;
                if (label < 0 || label >= width) {
                    throw new MalformedDataException(file, "label column " + labelColumn + " is outside the " + width + " columns");
                }
                float[] features = new float[width - 1];
                for (int c = 0, f = 0; c < width; c++) {
                    String cell = cells[c].trim();
                    try {
                        if (c == label) {
                            int y = Integer.parseInt(cell);
                            if (y < 0) {
                                throw new NumberFormatException();
                            }
                            labels.add(y);
                            classes = Math.max(classes, y + 1);
                        } else {
                            features[f++] = Float.parseFloat(cell);
                        }
                    } catch (NumberFormatException e) {
                        throw new MalformedDataException(file, "line " + number + ", column " + (c + 1) + ": '" + cell
                                + "' is not " + (c == label ? "a class label (0, 1, 2, ...)" : "a number"));
                    }
                }
                rows.add(features);
            }
        }
        if (rows.isEmpty()) {
            throw new MalformedDataException(file, "no data rows");
        }
        float[] x = new float[rows.size() * (width - 1)];
        int[] y = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, x, r * (width - 1), width - 1);
            y[r] = labels.get(r);
        }
        return new Dataset(x, y, width - 1, classes);
    }

    private static boolean numeric(String[] cells) {
        for (String c : cells) {
            try {
                Float.parseFloat(c.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
