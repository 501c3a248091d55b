package dev.neurite.nn;

import dev.neurite.backend.DeviceMatrix;

/**
 * A trainable tensor and the gradient of the loss with respect to it, both on the device.
 *
 * @param name  for messages and model files, e.g. "dense0.weights"
 * @param value the parameter
 * @param grad  ∂loss/∂value, same shape, written by the layer's backward pass
 */
public record Parameter(String name, DeviceMatrix value, DeviceMatrix grad) {
}
