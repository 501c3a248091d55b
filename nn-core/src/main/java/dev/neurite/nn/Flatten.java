package dev.neurite.nn;

import dev.neurite.backend.DeviceMatrix;

/**
 * Images (C, H, W) -> features (C·H·W). A sample is already one row, so no data moves: the layer
 * only changes the shape the next layer sees.
 */
public final class Flatten implements Layer {

    @Override
    public Shape bind(Binding binding, Shape in) {
        return Shape.flat(in.size());
    }

    /** x (N, C·H·W) -> the same x. */
    @Override
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        return x;
    }

    /** dy (N, C·H·W) -> the same dy. */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        return inputGradient ? dy : null;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "flatten";
    }
}
