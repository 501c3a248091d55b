package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Window;

/** Max or average pooling of each channel over size x size windows: (C, H, W) -> (C, OH, OW). */
public final class Pool2d implements Layer {
    private final Pooling kind;
    private final int size;
    private final int stride;
    private Backend backend;
    private Window window;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dx;

    /** Windows of size x size moving by {@code stride} (PyTorch's MaxPool2d(2) is size 2, stride 2). */
    public Pool2d(Pooling kind, int size, int stride) {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException(kind + " pool: size " + size + " and stride " + stride + " must be >= 1");
        }
        this.kind = java.util.Objects.requireNonNull(kind, "pooling kind");
        this.size = size;
        this.stride = stride;
    }

    public static Pool2d max(int size) {
        return new Pool2d(Pooling.MAX, size, size);
    }

    public static Pool2d average(int size) {
        return new Pool2d(Pooling.AVERAGE, size, size);
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        if (in.height() < size || in.width() < size) {
            throw new IllegalArgumentException(this + ": input samples are " + in + ", smaller than the window");
        }
        window = new Window(in.channels(), in.height(), in.width(), size, size, stride, 0);
        return Shape.image(in.channels(), window.outHeight(), window.outWidth());
    }

    /** x (N, H·W·C) -> y (N, OH·OW·C). */
    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;
        y = Buffers.ensure(backend, y, input.rows(), window.positions() * window.channels());
        backend.poolForward(kind, window, input, y);
        return y;
    }

    /** dy (N, OH·OW·C) -> dx (N, H·W·C). */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), window.imageSize());
        backend.poolBackward(kind, window, x, dy, dx);
        return dx;
    }

    public Pooling kind() {
        return kind;
    }

    public int size() {
        return size;
    }

    public int stride() {
        return stride;
    }

    @Override
    public void close() {
        Buffers.close(y, dx);
    }

    @Override
    public String toString() {
        return (kind == Pooling.MAX ? "max" : "avg") + "-pool " + size + (stride != size ? " stride " + stride : "");
    }
}
