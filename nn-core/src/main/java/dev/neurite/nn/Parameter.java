package dev.neurite.nn;

import dev.neurite.backend.DeviceMatrix;

/**
 * A trainable tensor and the gradient of the loss with respect to it, both on the device.
 * Layers obtain theirs from their {@link Binding}.
 *
 * @param name      within its layer, for messages and model files, e.g. "weights"
 * @param value     the parameter
 * @param grad      ∂loss/∂value, same shape, written by the layer's backward pass
 * @param penalized whether the L1 and L2 penalties apply ({@link Trainer#regularize}): weights yes, biases and
 *                  batch norm's γ and β no
 */
public record Parameter(String name, DeviceMatrix value, DeviceMatrix grad, boolean penalized) {
}
