package dev.neurite.examples.customlayer;

import dev.neurite.backend.*;
import dev.neurite.nn.*;
import java.util.Arrays;

/**
 * PReLU (He et al., 2015): y = x where x &gt; 0, else a·x, with a slope a learned for each
 * feature (leaky ReLU, whose slope is fixed, is the built-in nearest to it). Written against
 * Neurite's public API only; {@link PReLUCodec} saves it with a model.
 */
public final class PReLU implements Layer {                          // y = x > 0 ? x : a ⊙ x, a learned per feature
    private final float initialSlope;
    private Backend backend;
    private Parameter slope;
    private DeviceMatrix x, positive, negative, y, product, dx;

    public PReLU(float initialSlope) {
        if (!Float.isFinite(initialSlope)) {
            throw new IllegalArgumentException("prelu: the initial slope must be finite, got " + initialSlope);
        }
        this.initialSlope = initialSlope;
    }

    public float initialSlope() {
        return initialSlope;
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        backend = binding.backend();
        boolean penalized = false;                                  // L1/L2 would pull a to 0: back to a ReLU
        slope = binding.parameter("slope", 1, in.size(), penalized, (rows, cols, random) -> {
            float[] a = new float[rows * cols];                     // the same start for every feature, nothing drawn
            Arrays.fill(a, initialSlope);
            return a;
        });
        return in;
    }

    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;                                                  // x (B, n) -> y (B, n)
        positive = Buffers.ensure(backend, positive, x.rows(), x.cols());
        negative = Buffers.ensure(backend, negative, x.rows(), x.cols());
        y = Buffers.ensure(backend, y, x.rows(), x.cols());
        backend.activationForward(Activation.RELU, x, positive);    // max(0, x)
        backend.subtract(x, positive, negative);                    // min(0, x)
        backend.multiplyRowVector(negative, slope.value(), y);      // min(0, x) (B, n) ⊙ a (1, n)
        backend.add(y, positive, y);
        return y;
    }

    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        product = Buffers.ensure(backend, product, dy.rows(), dy.cols());
        backend.multiply(dy, negative, product);                    // da = Σ_rows dy ⊙ min(0, x) (1, n)
        backend.reduce(Reduction.SUM, Axis.COLUMN, product, slope.grad());
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), dy.cols());
        backend.activationBackward(Activation.RELU, x, positive, dy, dx);   // dy where x > 0, else 0
        backend.subtract(dy, dx, product);                          // dy where x ≤ 0, else 0
        backend.multiplyRowVector(product, slope.value(), product);
        backend.add(dx, product, dx);                               // dx = dy ⊙ (x > 0 ? 1 : a) (B, n)
        return dx;
    }

    @Override
    public void close() {
        Buffers.close(positive, negative, y, product, dx);
    }

    @Override
    public String toString() {
        return "prelu";
    }
}
