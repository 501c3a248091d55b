package dev.neurite.nn;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import java.util.List;

/**
 * The trainer's watch for divergence: Σ x² of a matrix reduced on the device into one number,
 * downloaded, and found not finite (NaN and infinities propagate through the sum; finite values
 * beyond about 1.8·10^19 overflow it). The loss is computed on the host only once divergence is seen.
 */
final class DivergenceCheck implements AutoCloseable {
    private final Backend backend;
    private final Loss loss;
    private DeviceMatrix sum;
    private DeviceMatrix total;
    private DivergenceException diverged;
    private final float[] one = new float[1];
    private float[] host = new float[0];

    DivergenceCheck(Backend backend, Loss loss) {
        this.backend = backend;
        this.loss = loss;
    }

    /** Checks a step's outputs (B, k); {@code targets} are the step's, on the host. */
    void outputs(DeviceMatrix out, float[] targets, int epoch, int step) {
        float s = sumOfSquares(out);
        if (!Float.isFinite(s)) {
            throw diverge(lossOf(out, targets), "Σ output² = " + s, epoch, step);
        }
    }

    /**
     * The epoch's end: the last step's outputs and every parameter at once, their sums of squares
     * added up on the device and one number downloaded; only when it is not finite are the parts
     * downloaded, to name the culprit.
     */
    void epochEnd(DeviceMatrix lastOutputs, float[] targets, List<Parameter> parameters, int epoch, int step) {
        total = Buffers.ensure(backend, total, 1, 1);
        backend.fill(total, 0f);
        if (lastOutputs != null) {
            accumulate(lastOutputs);
        }
        for (Parameter p : parameters) {
            accumulate(p.value());
        }
        backend.download(total, one);
        if (Float.isFinite(one[0])) {
            return;
        }
        if (lastOutputs != null) {
            outputs(lastOutputs, targets, epoch, step);
        }
        for (Parameter p : parameters) {
            float s = sumOfSquares(p.value());
            if (!Float.isFinite(s)) {
                double seen = lastOutputs == null ? Double.NaN : lossOf(lastOutputs, targets);
                throw diverge(seen, "Σ " + p.name() + "² = " + s + " in a " + p.value().shape() + " parameter", epoch,
                        step);
            }
        }
        throw diverge(lastOutputs == null ? Double.NaN : lossOf(lastOutputs, targets),
                "the sum of every output² and parameter² overflows", epoch, step);
    }

    /** total += Σ m², on the device. */
    private void accumulate(DeviceMatrix m) {
        sum = Buffers.ensure(backend, sum, 1, 1);
        // m (r, c) -> Σ m² (1, 1), added to total (1, 1)
        backend.reduce(Reduction.SUM_OF_SQUARES, Axis.ALL, m, sum);
        backend.add(total, sum, total);
    }

    /** Records divergence seen elsewhere; returns it. */
    DivergenceException diverged(DivergenceException e) {
        diverged = e;
        return e;
    }

    /** The divergence seen, or null. */
    DivergenceException diverged() {
        return diverged;
    }

    /** The loss of a step's outputs (B, k), downloaded into a host buffer reused while batches fit it. */
    double lossOf(DeviceMatrix out, float[] targets) {
        if (host.length < out.size()) {
            host = new float[out.size()];
        }
        backend.download(out, host);
        return loss.value(host, targets, out.rows(), out.cols());
    }

    private float sumOfSquares(DeviceMatrix m) {
        sum = Buffers.ensure(backend, sum, 1, 1);
        // m (r, c) -> Σ m² (1, 1)
        backend.reduce(Reduction.SUM_OF_SQUARES, Axis.ALL, m, sum);
        backend.download(sum, one);
        return one[0];
    }

    private DivergenceException diverge(double seen, String what, int epoch, int step) {
        diverged = new DivergenceException(epoch, step, seen, what);
        return diverged;
    }

    @Override
    public void close() {
        Buffers.close(sum, total);
    }
}
