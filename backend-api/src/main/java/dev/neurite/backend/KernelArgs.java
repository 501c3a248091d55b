package dev.neurite.backend;

import java.util.Arrays;

/**
 * The arguments of one kernel launch, in the kernel's order, each typed: a C {@code int}, a C
 * {@code float} or a matrix's device buffer. A {@link KernelBackend} refills one instance for each
 * launch ({@link #clear()}); its ops run one at a time, so the instance is never shared.
 */
public final class KernelArgs {
    /** What one argument is. */
    public enum Type {
        INT,
        FLOAT,
        BUFFER
    }

    private Type[] types = new Type[16];
    private int[] ints = new int[16];
    private float[] floats = new float[16];
    private DeviceMatrix[] buffers = new DeviceMatrix[16];
    private int size;

    /** Empties the list for the next launch. */
    public KernelArgs clear() {
        Arrays.fill(buffers, 0, size, null);
        size = 0;
        return this;
    }

    /** Appends a C {@code int}. */
    public KernelArgs addInt(int value) {
        int i = slot(Type.INT);
        ints[i] = value;
        size++;
        return this;
    }

    /** Appends a C {@code float}. */
    public KernelArgs addFloat(float value) {
        int i = slot(Type.FLOAT);
        floats[i] = value;
        size++;
        return this;
    }

    /** Appends the device buffer of {@code m} (a {@code float*}, or any pointer of the same memory). */
    public KernelArgs addBuffer(DeviceMatrix m) {
        int i = slot(Type.BUFFER);
        buffers[i] = m;
        size++;
        return this;
    }

    /** Appends the seven numbers of a window, as the window kernels take them: C, H, W, KH, KW, S, P. */
    public KernelArgs addWindow(Window w) {
        return addInt(w.channels()).addInt(w.height()).addInt(w.width()).addInt(w.kernelHeight())
                .addInt(w.kernelWidth()).addInt(w.stride()).addInt(w.padding());
    }

    public int size() {
        return size;
    }

    public Type type(int i) {
        return types[check(i)];
    }

    public int intAt(int i) {
        return ints[check(i, Type.INT)];
    }

    public float floatAt(int i) {
        return floats[check(i, Type.FLOAT)];
    }

    public DeviceMatrix bufferAt(int i) {
        return buffers[check(i, Type.BUFFER)];
    }

    private int slot(Type type) {
        if (size == types.length) {
            int n = 2 * size;
            types = Arrays.copyOf(types, n);
            ints = Arrays.copyOf(ints, n);
            floats = Arrays.copyOf(floats, n);
            buffers = Arrays.copyOf(buffers, n);
        }
        types[size] = type;
        return size;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("kernel argument " + i + " of " + size);
        }
        return i;
    }

    private int check(int i, Type expected) {
        if (types[check(i)] != expected) {
            throw new IllegalStateException("kernel argument " + i + " is " + types[i] + ", not " + expected);
        }
        return i;
    }

    /** (int 3, float 0.5, buffer 2x3, ...), for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(switch (types[i]) {
                case INT -> "int " + ints[i];
                case FLOAT -> "float " + floats[i];
                case BUFFER -> "buffer " + buffers[i].shape();
            });
        }
        return sb.append(')').toString();
    }
}
