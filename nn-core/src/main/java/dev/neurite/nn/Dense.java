package dev.neurite.nn;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Transpose;

/** Fully connected: y = x·W + b with W (in, out) and b (1, out). */
public final class Dense implements Layer {
    private final int width;
    private final Init init;
    private Backend backend;
    private int in;
    private DeviceMatrix weights;
    private DeviceMatrix bias;
    private DeviceMatrix weightsGrad;
    private DeviceMatrix biasGrad;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dx;

    public Dense(int width, Init init) {
        if (width < 1) {
            throw new IllegalArgumentException("dense: width must be at least 1, got " + width);
        }
        this.width = width;
        this.init = java.util.Objects.requireNonNull(init, "dense: init");
    }

    @Override
    public Shape bind(Binding binding, Shape shape) {
        this.backend = binding.backend();
        this.in = shape.size();
        Parameter w = binding.weights("weights", in, width, init, in, width);
        Parameter b = binding.parameter("bias", 1, width, 0f);
        weights = w.value();
        weightsGrad = w.grad();
        bias = b.value();
        biasGrad = b.grad();
        return Shape.flat(width);
    }

    /** y = x·W + b: x (B, in) · W (in, out) + b (1, out) -> y (B, out). */
    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;
        y = Buffers.ensure(backend, y, input.rows(), width);
        backend.gemm(Transpose.NONE, Transpose.NONE, 1f, input, weights, 0f, y);
        backend.addRowVector(y, bias, y);
        return y;
    }

    /** dW = xᵀ·dy (in, out); db = Σ_rows dy (1, out); dx = dy·Wᵀ (B, in). */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        backend.gemm(Transpose.TRANSPOSE, Transpose.NONE, 1f, x, dy, 0f, weightsGrad);
        backend.reduce(Reduction.SUM, Axis.COLUMN, dy, biasGrad);
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), in);
        backend.gemm(Transpose.NONE, Transpose.TRANSPOSE, 1f, dy, weights, 0f, dx);
        return dx;
    }

    /** Replaces W (in·out values, row-major) and b (out values). */
    public void set(float[] w, float[] b) {
        backend.upload(w, weights);
        backend.upload(b, bias);
    }

    /** W (in, out), row-major, downloaded. */
    public float[] weights() {
        return backend.download(weights);
    }

    /** b (1, out), downloaded. */
    public float[] bias() {
        return backend.download(bias);
    }

    /** Output width. */
    public int width() {
        return width;
    }

    public Init init() {
        return init;
    }

    @Override
    public void close() {
        Buffers.close(weights, bias, weightsGrad, biasGrad, y, dx);
    }

    @Override
    public String toString() {
        return "dense " + in + "->" + width;
    }
}
