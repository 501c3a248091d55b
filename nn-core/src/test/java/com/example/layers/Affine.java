package com.example.layers;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import dev.neurite.nn.Binding;
import dev.neurite.nn.Buffers;
import dev.neurite.nn.Init;
import dev.neurite.nn.Layer;
import dev.neurite.nn.Parameter;
import dev.neurite.nn.Shape;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A layer written against the public API only, as a user would: y = x ⊙ a + b per feature, with
 * a drawn (penalized, like weights) and b starting at {@code shift} (not penalized), and a state
 * matrix counting the training batches seen.
 */
public final class Affine implements Layer {
    /** How many times initial values of a were drawn: a loaded layer draws none. */
    public static final AtomicInteger DRAWS = new AtomicInteger();
    private final float shift;
    private Backend backend;
    private DeviceMatrix a;
    private DeviceMatrix b;
    private DeviceMatrix aGrad;
    private DeviceMatrix bGrad;
    private DeviceMatrix batches;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dx;
    private DeviceMatrix product;

    public Affine(float shift) {
        this.shift = shift;
    }

    public float shift() {
        return shift;
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        backend = binding.backend();
        int n = in.size();
        Parameter pa = binding.parameter("a", 1, n, true, (rows, cols, rnd) -> {
            DRAWS.incrementAndGet();
            float[] v = Init.LECUN.draw(rows * cols, n, n, rnd);
            for (int i = 0; i < v.length; i++) {
                v[i] += 1f;
            }
            return v;
        });
        Parameter pb = binding.parameter("b", 1, n, shift);
        a = pa.value();
        aGrad = pa.grad();
        b = pb.value();
        bGrad = pb.grad();
        batches = binding.state("batches", 1, 1, 0f);
        return in;
    }

    /** x (B, n) ⊙ a (1, n) + b (1, n) -> y (B, n). */
    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        x = input;
        y = Buffers.ensure(backend, y, input.rows(), input.cols());
        backend.multiplyRowVector(input, a, y);
        backend.addRowVector(y, b, y);
        if (training) {
            float[] one = backend.download(batches);
            one[0]++;
            backend.upload(one, batches);
        }
        return y;
    }

    /** da = Σ_rows dy ⊙ x, db = Σ_rows dy (1, n); dx = dy ⊙ a (B, n). */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        product = Buffers.ensure(backend, product, dy.rows(), dy.cols());
        backend.multiply(dy, x, product);
        backend.reduce(Reduction.SUM, Axis.COLUMN, product, aGrad);
        backend.reduce(Reduction.SUM, Axis.COLUMN, dy, bGrad);
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), dy.cols());
        backend.multiplyRowVector(dy, a, dx);
        return dx;
    }

    @Override
    public void close() {
        Buffers.close(y, dx, product);
    }

    @Override
    public String toString() {
        return "affine " + shift;
    }
}
