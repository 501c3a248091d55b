package dev.neurite.backend;

/** Whether a matrix multiply reads an operand as stored ({@code NONE}) or transposed. */
public enum Transpose {
    /** The operand as stored. */
    NONE,
    /** The operand transposed. */
    TRANSPOSE;

    /** Rows of op(m): {@code m.rows()} as stored, {@code m.cols()} transposed. */
    public int rows(DeviceMatrix m) {
        return this == NONE ? m.rows() : m.cols();
    }

    /** Columns of op(m). */
    public int cols(DeviceMatrix m) {
        return this == NONE ? m.cols() : m.rows();
    }

    /** "A" or "Aᵀ", for error messages. */
    String label(String name) {
        return this == NONE ? name : name + "ᵀ";
    }
}
