package dev.neurite.nn;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;

/**
 * Batch normalization per feature (per channel for images): in training
 * y = γ ⊙ (x − μ_B) / √(σ²_B + ε) + β with the batch's mean and (biased) variance, while running
 * averages μ ← m·μ + (1 − m)·μ_B and σ² ← m·σ² + (1 − m)·σ²_B·M/(M − 1) are kept for inference,
 * which uses them instead. ε = 1e-5, m = 0.9 (PyTorch's defaults). γ starts at 1, β at 0.
 */
public final class BatchNorm implements Layer {
    static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.9f;

    private Backend backend;
    private int features;
    private DeviceMatrix gamma;
    private DeviceMatrix beta;
    private DeviceMatrix gammaGrad;
    private DeviceMatrix betaGrad;
    private DeviceMatrix runningMean;
    private DeviceMatrix runningVar;
    /** (1, C) scratch: batch mean, batch variance, 1/σ, two more for backward. */
    private DeviceMatrix mean;
    private DeviceMatrix var;
    private DeviceMatrix invStd;
    private DeviceMatrix a;
    private DeviceMatrix b;
    /** (M, C): x̂, a scratch, and the output / input gradient, M = N·H·W. */
    private DeviceMatrix xhat;
    private DeviceMatrix tmp;
    private DeviceMatrix y;
    private DeviceMatrix yRows;
    private DeviceMatrix dx;
    private DeviceMatrix dxRows;
    private final Buffers.View xRows = new Buffers.View();
    private final Buffers.View dyRows = new Buffers.View();

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        this.features = in.channels();
        Parameter g = binding.parameter("gamma", 1, features, 1f);
        Parameter b0 = binding.parameter("beta", 1, features, 0f);
        gamma = g.value();
        gammaGrad = g.grad();
        beta = b0.value();
        betaGrad = b0.grad();
        runningMean = binding.state("running-mean", 1, features, 0f);
        runningVar = binding.state("running-var", 1, features, 1f);
        mean = backend.allocate(1, features);
        var = backend.allocate(1, features);
        invStd = backend.allocate(1, features);
        a = backend.allocate(1, features);
        b = backend.allocate(1, features);
        return in;
    }

    /** x (N, H·W·C) seen as (M, C), M = N·H·W -> y (N, H·W·C). */
    @Override
    public DeviceMatrix forward(DeviceMatrix input, boolean training) {
        int m = input.size() / features;
        ensure(input.rows(), m);
        DeviceMatrix x = xRows.of(backend, input, m, features);
        if (training) {
            // μ_B = Σx/M; x − μ_B; σ²_B = Σ(x − μ_B)²/M
            backend.reduce(Reduction.SUM, Axis.COLUMN, x, mean);
            backend.scale(1f / m, mean, mean);
            backend.scale(-1f, mean, a);
            backend.addRowVector(x, a, tmp);
            backend.multiply(tmp, tmp, xhat);
            backend.reduce(Reduction.SUM, Axis.COLUMN, xhat, var);
            backend.scale(1f / m, var, var);
            backend.inverseSqrt(EPS, var, invStd);
            backend.scale(MOMENTUM, runningMean, runningMean);
            backend.axpy(1f - MOMENTUM, mean, runningMean);
            backend.scale(MOMENTUM, runningVar, runningVar);
            backend.axpy((1f - MOMENTUM) * m / Math.max(1, m - 1), var, runningVar);
        } else {
            backend.scale(-1f, runningMean, a);
            backend.addRowVector(x, a, tmp);
            backend.inverseSqrt(EPS, runningVar, invStd);
        }
        // x̂ = (x − μ)/σ, y = γ ⊙ x̂ + β
        backend.multiplyRowVector(tmp, invStd, xhat);
        backend.multiplyRowVector(xhat, gamma, yRows);
        backend.addRowVector(yRows, beta, yRows);
        return y;
    }

    /**
     * dy (N, H·W·C) seen as (M, C): dβ = Σdy, dγ = Σ(dy ⊙ x̂), and with g = γ ⊙ dy,
     * dx = (g − Σg/M − x̂ ⊙ Σ(g ⊙ x̂)/M) / σ, where Σg = γ ⊙ dβ and Σ(g ⊙ x̂) = γ ⊙ dγ.
     */
    @Override
    public DeviceMatrix backward(DeviceMatrix dyInput, boolean inputGradient) {
        int m = xhat.rows();
        DeviceMatrix dy = dyRows.of(backend, dyInput, m, features);
        backend.reduce(Reduction.SUM, Axis.COLUMN, dy, betaGrad);
        backend.multiply(dy, xhat, tmp);
        backend.reduce(Reduction.SUM, Axis.COLUMN, tmp, gammaGrad);
        if (!inputGradient) {
            return null;
        }
        backend.multiply(gamma, betaGrad, a);
        backend.scale(-1f / m, a, a);
        backend.multiply(gamma, gammaGrad, b);
        backend.scale(-1f / m, b, b);
        backend.multiplyRowVector(xhat, b, tmp);
        backend.multiplyRowVector(dy, gamma, dxRows);
        backend.add(dxRows, tmp, dxRows);
        backend.addRowVector(dxRows, a, dxRows);
        backend.multiplyRowVector(dxRows, invStd, dxRows);
        return dx;
    }

    private void ensure(int rows, int m) {
        if (y != null && y.rows() == rows) {
            return;
        }
        Buffers.close(yRows, dxRows);
        int cols = m * features / rows;
        xhat = Buffers.ensure(backend, xhat, m, features);
        tmp = Buffers.ensure(backend, tmp, m, features);
        y = Buffers.ensure(backend, y, rows, cols);
        yRows = backend.view(y, m, features);
        dx = Buffers.ensure(backend, dx, rows, cols);
        dxRows = backend.view(dx, m, features);
    }

    @Override
    public void close() {
        Buffers.close(gamma, beta, gammaGrad, betaGrad, runningMean, runningVar, mean, var, invStd, a, b, xhat, tmp, y,
                dx);
    }

    @Override
    public String toString() {
        return "batch-norm";
    }
}
