package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.List;

/**
 * One stage of a {@link Network}: forward x (B, in) -> y (B, out), one sample a row shaped as a
 * {@link Shape}, and, beside it, backward
 * dy (B, out) -> dx (B, in), which also writes the gradients of the layer's parameters. Buffers
 * live on the layer's backend and are reused while the batch size stays the same.
 */
public interface Layer extends AutoCloseable {

    /**
     * Allocates the layer's parameters on {@code backend} for samples of shape {@code in};
     * returns the shape of its outputs. An input the layer cannot take throws
     * {@link IllegalArgumentException} naming the layer and the shape.
     */
    Shape bind(Backend backend, Shape in, java.util.Random rnd);

    /** y = layer(x): x (B, in) -> y (B, out). The result stays valid until the next forward. */
    DeviceMatrix forward(DeviceMatrix x, boolean training);

    /**
     * dx = ∂loss/∂x given dy = ∂loss/∂y, for the last forward; writes parameter gradients.
     * With {@code inputGradient} false (the first layer: nothing consumes its dx) the layer may
     * skip computing dx and return null.
     */
    DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient);

    /** Trainable parameters with their gradients; empty for parameter-free layers. */
    List<Parameter> parameters();

    /** Learned values that are not trained by gradient, e.g. batch norm's running statistics; saved with the model. */
    default List<DeviceMatrix> state() {
        return List.of();
    }

    @Override
    void close();
}
