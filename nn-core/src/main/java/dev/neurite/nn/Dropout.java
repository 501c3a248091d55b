package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.List;
import java.util.Random;

/**
 * Inverted dropout: in training each input is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), else zeroed; at inference the layer passes x through. The mask is drawn on the
 * device from a seed taken from the network's seed and a step counter, so a seeded run repeats.
 */
public final class Dropout implements Layer {
    private final float rate;
    private Backend backend;
    private long seed;
    private long draws;
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
    public Shape bind(Backend backend, Shape in, Random rnd) {
        this.backend = backend;
        this.seed = rnd.nextLong();
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
        backend.bernoulli(keep, 1f / keep, seed + 0x9E3779B97F4A7C15L * ++draws, mask);
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

    @Override
    public List<Parameter> parameters() {
        return List.of();
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
