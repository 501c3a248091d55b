package dev.neurite.nn;

import dev.neurite.backend.DeviceMatrix;

/**
 * One stage of a {@link Network}: forward x (B, in) -> y (B, out), one sample a row shaped as a
 * {@link Shape}, and, beside it, backward dy (B, out) -> dx (B, in), which also writes the
 * gradients of the layer's parameters. Buffers live on the layer's backend and are reused while
 * the batch size stays the same ({@link Buffers}).
 *
 * <p>A layer of your own implements these four methods; to be saved and loaded with a model it
 * also needs a {@link LayerCodec}, and {@link GradientCheck} tests its backward pass. A layer
 * object is bound once, to one network.
 */
public interface Layer extends AutoCloseable {

    /**
     * Binds the layer to {@code binding}'s backend for samples of shape {@code in}, obtaining its
     * parameters and state from {@code binding} (first, before allocating anything else), and
     * returns the shape of its outputs. An input the layer cannot take throws
     * {@link IllegalArgumentException} naming the layer and the shape.
     */
    Shape bind(Binding binding, Shape in);

    /** y = layer(x): x (B, in) -> y (B, out). The result stays valid until the next forward. */
    DeviceMatrix forward(DeviceMatrix x, boolean training);

    /**
     * dx = ∂loss/∂x given dy = ∂loss/∂y, for the last forward; writes parameter gradients.
     * With {@code inputGradient} false (the first layer: nothing consumes its dx) the layer may
     * skip computing dx and return null.
     */
    DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient);

    /** Frees the device buffers the layer allocated itself; safe to call on a layer whose bind failed half-way. */
    @Override
    void close();
}
