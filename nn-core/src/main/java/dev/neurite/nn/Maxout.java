package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Window;

/**
 * Maxout: features (n·k) -> (n), each output the largest of k consecutive inputs; the gradient
 * goes to that input. Put after a dense layer of n·k units. On the device it is max pooling of
 * a 1 x n·k image with 1 x k windows.
 */
public final class Maxout implements Layer {
    private final int pieces;
    private Backend backend;
    private Window window;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dx;

    public Maxout(int pieces) {
        if (pieces < 2) {
            throw new IllegalArgumentException("maxout: pieces must be at least 2, got " + pieces);
        }
        this.pieces = pieces;
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        if (in.size() % pieces != 0) {
            throw new IllegalArgumentException("maxout of " + pieces + " pieces: input " + in + " has " + in.size()
                    + " features, not a multiple of " + pieces);
        }
        window = new Window(1, 1, in.size(), 1, pieces, pieces, 0);
        return Shape.flat(in.size() / pieces);
    }

    /** x (B, n·k) -> y (B, n). */
    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;
        y = Buffers.ensure(backend, y, input.rows(), window.outWidth());
        backend.poolForward(Pooling.MAX, window, input, y);
        return y;
    }

    /** dy (B, n) -> dx (B, n·k). */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), window.width());
        backend.poolBackward(Pooling.MAX, window, x, dy, dx);
        return dx;
    }

    public int pieces() {
        return pieces;
    }

    @Override
    public void close() {
        Buffers.close(y, dx);
    }

    @Override
    public String toString() {
        return "maxout " + pieces;
    }
}
