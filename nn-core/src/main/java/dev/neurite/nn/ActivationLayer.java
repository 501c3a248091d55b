package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/** y = f(x) element-wise (row-wise for softmax), dx = f'(x) ⊙ dy. */
public final class ActivationLayer implements Layer {
    private final Activation f;
    private Backend backend;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dx;

    public ActivationLayer(Activation f) {
        this.f = java.util.Objects.requireNonNull(f, "activation");
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        return in;
    }

    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;
        y = Buffers.ensure(backend, y, input.rows(), input.cols());
        backend.activationForward(f, input, y);
        return y;
    }

    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), dy.cols());
        backend.activationBackward(f, x, y, dy, dx);
        return dx;
    }

    public Activation activation() {
        return f;
    }

    @Override
    public void close() {
        Buffers.close(y, dx);
    }

    @Override
    public String toString() {
        return f.toString();
    }
}
