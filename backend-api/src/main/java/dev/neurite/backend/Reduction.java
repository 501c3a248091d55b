package dev.neurite.backend;

/**
 * Reductions over a row, a column or the whole matrix (see {@link Axis}).
 * Results are float32; {@code ARGMAX} stores the index as a float (exact below 2^24), counting
 * within the row for {@link Axis#ROW}, within the column for {@link Axis#COLUMN}, and over the
 * row-major flattening for {@link Axis#ALL}; ties go to the lowest index. Inputs with NaN give
 * unspecified results.
 */
public enum Reduction {
    /** Σ x. */
    SUM,
    /** Σ x / count. */
    MEAN,
    /** max x. */
    MAX,
    /** min x. */
    MIN,
    /** index of the first maximum. */
    ARGMAX,
    /** Σ x². */
    SUM_OF_SQUARES
}
