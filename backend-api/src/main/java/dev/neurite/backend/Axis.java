package dev.neurite.backend;

/** Which elements a reduction combines. */
public enum Axis {
    /** One result per row: x (m,n) -> out (m,1). */
    ROW,
    /** One result per column: x (m,n) -> out (1,n). */
    COLUMN,
    /** One result for the whole matrix: x (m,n) -> out (1,1). */
    ALL;

    /** Rows of the result for an input with {@code rows} rows. */
    public int resultRows(int rows) {
        return this == COLUMN || this == ALL ? 1 : rows;
    }

    /** Columns of the result for an input with {@code cols} columns. */
    public int resultCols(int cols) {
        return this == ROW || this == ALL ? 1 : cols;
    }
}
