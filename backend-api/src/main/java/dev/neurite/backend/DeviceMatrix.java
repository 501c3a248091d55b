package dev.neurite.backend;

/**
 * A row-major float32 matrix resident on one backend's device. Created by
 * {@link Backend#allocate} or {@link Backend#upload}; its contents move only through
 * {@link Backend#upload(float[], DeviceMatrix)} and {@link Backend#download}. Closing releases
 * the device memory; any use after that throws {@link IllegalStateException}. A view
 * ({@link Backend#view}) shares another matrix's memory under another shape: closing it frees
 * nothing, and it is unusable once its base is closed, or once its backend is: closing a backend
 * frees every matrix it still owns.
 *
 * <p><b>Threads.</b> A matrix may be used from any thread, and closed from any thread once. Like
 * an array, it is not locked: ops that write it while others read or write it need the
 * caller's ordering (see {@link Backend}). Equality is identity.
 */
public abstract class DeviceMatrix implements AutoCloseable {
    private final Backend owner;
    private final int rows;
    private final int cols;
    private final DeviceMatrix base;
    private volatile boolean closed;

    /** A rows x cols matrix of its own, owned by {@code owner}. */
    protected DeviceMatrix(Backend owner, int rows, int cols) {
        this(owner, rows, cols, null);
    }

    /** A view of {@code base}'s memory as rows x cols ({@code base} null for a matrix of its own). */
    protected DeviceMatrix(Backend owner, int rows, int cols, DeviceMatrix base) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.base = base == null ? null : base.base != null ? base.base : base;
    }

    /** True for a view, whose memory belongs to another matrix. */
    public final boolean isView() {
        return base != null;
    }

    /** Number of rows. */
    public final int rows() {
        return rows;
    }

    /** Number of columns. */
    public final int cols() {
        return cols;
    }

    /** rows · cols. */
    public final int size() {
        return Math.multiplyExact(rows, cols);
    }

    /** The backend that owns this matrix; only it may operate on it. */
    public final Backend owner() {
        return owner;
    }

    /** "rows x cols", as error messages show it. */
    public final String shape() {
        return rows + "x" + cols;
    }

    /** True once this matrix, or the matrix it views, is closed. */
    public final boolean isClosed() {
        return closed || (base != null && base.closed);
    }

    /**
     * Throws {@link IllegalStateException} naming {@code op} when this matrix is closed, and
     * {@link IllegalArgumentException} when {@code backend} is not its owner.
     */
    public final void checkUsable(String op, Backend backend) {
        if (closed) {
            throw new IllegalStateException(op + ": " + shape() + " matrix used after close");
        }
        if (base != null && base.closed) {
            throw new IllegalStateException(op + ": " + shape() + " view used after its " + base.shape()
                    + " base was closed");
        }
        if (owner != backend) {
            throw new IllegalArgumentException(op + ": " + shape() + " matrix belongs to backend '"
                    + owner.name() + "', not '" + backend.name() + "'");
        }
    }

    /** Releases the device memory once, through its backend; later calls do nothing. */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (base == null) {
            if (owner instanceof AbstractBackend backend) {
                backend.free(this);
            } else {
                release();
            }
        }
    }

    /**
     * Frees the device memory; called once, by {@link #close()} or by closing the backend
     * (through the owner's {@link AbstractBackend}, which serializes it with the device's other
     * work), never for a view.
     */
    protected abstract void release();

    @Override
    public final boolean equals(Object o) {
        return this == o;
    }

    @Override
    public final int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return owner.name() + " matrix " + shape() + (closed ? " (closed)" : "");
    }
}
