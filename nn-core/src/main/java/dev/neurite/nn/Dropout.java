package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/**
 * Inverted dropout: in training each input is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), else zeroed; at inference the layer passes x through. The mask is drawn on the
 * device from a seed drawn from the layer's {@link RandomStream}, so a seeded run repeats and a
 * resumed one continues.
 */
public final class Dropout implements Layer {
    private final float rate;
    private Backend backend;
    private RandomStream random;
    private DeviceMatrix mask;
    private DeviceMatrix y;
    private DeviceMatrix dx;
    private boolean masked;

    public Dropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        this.random = binding.random();
        return in;
    }

    /** Training: y = x ⊙ mask, mask_i ∈ {0, 1/(1 − rate)}; inference: y = x. All (B, n). */
    @Override
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        masked = training && rate > 0;
        if (!masked) {
            return x;
        }
        mask = Buffers.ensure(backend, mask, x.rows(), x.cols());
        y = Buffers.ensure(backend, y, x.rows(), x.cols());
        float keep = 1f - rate;
        backend.bernoulli(keep, 1f / keep, random.nextLong(), mask);
        backend.multiply(x, mask, y);
        return y;
    }

    /** dx = dy ⊙ mask (B, n), the mask of the last forward. */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        if (!masked) {
            return dy;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), dy.cols());
        backend.multiply(dy, mask, dx);
        return dx;
    }

    public float rate() {
        return rate;
    }

    @Override
    public void close() {
        Buffers.close(mask, y, dx);
    }

    @Override
    public String toString() {
        return "dropout " + rate;
    }
}
