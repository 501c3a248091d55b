package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * The numerical gradient check: back-propagation against central differences
 * ∂L/∂θ_i ≈ (L(θ + h·e_i) − L(θ − h·e_i)) / 2h, with L summed in double precision on the host.
 * For a layer alone, L = Σ r ⊙ layer(x) for a fixed random r (so ∂L/∂y = r), checking ∂L/∂x and
 * every parameter's gradient; for a network, L is the loss on a random batch, checking every
 * parameter. Random streams (dropout masks) are rewound before each forward so every evaluation
 * sees the same masks, and a network's state is restored afterwards. Use it in your own tests:
 *
 * <pre>{@code
 * GradientCheck.Report r = new GradientCheck().layer(backend, new Swish(1f), Shape.flat(5));
 * assertTrue(r.passed(), r.toString());
 * }</pre>
 */
public final class GradientCheck {
    private int batch = 3;
    private float h = 1e-3f;
    private double absolute = 5e-3;
    private double relative = 1e-2;
    private long seed = 1;
    private int perTensor = Integer.MAX_VALUE;
    private boolean randomParameters = true;

    /**
     * One tensor's result.
     *
     * @param name          "input" or the parameter's name (with its layer for a network)
     * @param checked       elements compared
     * @param relativeError ‖a − n‖ / (‖a‖ + ‖n‖) over the checked elements (0 when both are 0)
     * @param worst         the element farthest outside the tolerance (or closest to it)
     * @param analytic      back-propagation's value there
     * @param numeric       the central difference there
     * @param passed        every element within |a − n| ≤ absolute + relative·|n|
     */
    public record Tensor(String name, int checked, double relativeError, int worst, double analytic, double numeric,
                         boolean passed) {
    }

    /** Every tensor's result. */
    public record Report(String subject, List<Tensor> tensors) {
        public boolean passed() {
            return tensors.stream().allMatch(Tensor::passed);
        }

        /** One line per tensor: name, elements, relative error, worst element, verdict. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("gradient check of " + subject + "\n");
            for (Tensor t : tensors) {
                sb.append(String.format(Locale.ROOT, "  %-24s %8d values  relative error %.2e  worst [%d]: backprop %.6g,"
                                + " central difference %.6g  %s%n", t.name(), t.checked(), t.relativeError(), t.worst(),
                        t.analytic(), t.numeric(), t.passed() ? "ok" : "FAILED"));
            }
            return sb.toString();
        }
    }

    /** Rows in the random batch (default 3). */
    public GradientCheck batch(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("gradient check: batch must be at least 1, got " + rows);
        }
        this.batch = rows;
        return this;
    }

    /** The difference step h (default 1e-3: float32 needs it that large). */
    public GradientCheck step(float h) {
        if (!(h > 0)) {
            throw new IllegalArgumentException("gradient check: step must be positive, got " + h);
        }
        this.h = h;
        return this;
    }

    /** An element passes when |analytic − numeric| ≤ absolute + relative·|numeric| (default 5e-3, 1e-2). */
    public GradientCheck tolerance(double absolute, double relative) {
        this.absolute = absolute;
        this.relative = relative;
        return this;
    }

    /** The seed of the random inputs, parameters and targets (default 1). */
    public GradientCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Checks at most this many elements of each tensor, chosen at random (default all). */
    public GradientCheck perTensor(int elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("gradient check: perTensor must be at least 1, got " + elements);
        }
        this.perTensor = elements;
        return this;
    }

    /**
     * Whether a layer's parameters get random N(0, 1) values before the check (default true,
     * so that e.g. batch norm's γ = 1, β = 0 do not hide errors); false keeps its own initial values.
     */
    public GradientCheck randomParameters(boolean random) {
        this.randomParameters = random;
        return this;
    }

    /** Checks {@code layer} (not bound yet) on samples of {@code input}; binds it to {@code backend} and closes it. */
    public Report layer(Backend backend, Layer layer, Shape input) {
        Random rnd = new Random(seed);
        Binding.Bound bound = Binding.alone(layer, backend, input, seed);
        Shape out = bound.output();
        try {
            if (randomParameters) {
                for (Parameter p : bound.parameters()) {
                    backend.upload(gaussian(rnd, p.value().size()), p.value());
                }
            }
            float[] xs = gaussian(rnd, batch * input.size());
            float[] r = gaussian(rnd, batch * out.size());
            List<RandomStream> streams = bound.random() == null ? List.of() : List.of(bound.random());
            long[] rewind = states(streams);
            try (DeviceMatrix x = backend.upload(xs, batch, input.size());
                 DeviceMatrix dy = backend.upload(r, batch, out.size())) {
                rewind(streams, rewind);
                DeviceMatrix y = layer.forward(x, true);
                if (y.rows() != batch || y.cols() != out.size()) {
                    throw new IllegalStateException("gradient check: " + layer + " gives " + y.shape() + " for " + batch
                            + " samples of " + out + ", expected " + batch + "x" + out.size());
                }
                DeviceMatrix dxm = layer.backward(dy, true);
                if (dxm == null) {
                    throw new IllegalStateException("gradient check: " + layer + " returned no input gradient");
                }
                DoubleSupplier loss = () -> {
                    rewind(streams, rewind);
                    return dot(backend.download(layer.forward(x, true)), r);
                };
                List<Tensor> tensors = new ArrayList<>();
                tensors.add(compare("input", backend.download(dxm), x, backend, loss, rnd));
                for (Parameter p : bound.parameters()) {
                    tensors.add(compare(p.name(), backend.download(p.grad()), p.value(), backend, loss, rnd));
                }
                return new Report(layer.toString(), tensors);
            }
        } finally {
            layer.close();
            for (Parameter p : bound.parameters()) {
                Buffers.close(p.value(), p.grad());
            }
            bound.state().forEach(st -> st.value().close());
        }
    }

    /**
     * Checks every parameter of {@code net} under {@code loss} on a random batch (one-hot random
     * classes, the label itself for a single output unit, or random values for a regression head).
     * The network's values and state are as before afterwards.
     */
    public Report network(Network net, Loss loss) {
        Backend backend = net.backend();
        Random rnd = new Random(seed);
        int k = net.outputWidth();
        OutputHead head = net.head() != null ? net.head() : OutputHead.forLoss(loss, false);
        float[] xs = gaussian(rnd, batch * net.inputWidth());
        float[] targets = head.classifies() ? new float[batch * k] : gaussian(rnd, batch * k);
        for (int row = 0; row < batch && head.classifies(); row++) {
            if (k == 1) {
                targets[row] = rnd.nextInt(2);
            } else {
                targets[row * k + rnd.nextInt(k)] = 1f;
            }
        }
        float[][] state = net.stateValues();
        long[] rewind = states(net.streams());
        try (DeviceMatrix x = backend.upload(xs, batch, net.inputWidth());
             DeviceMatrix y = backend.upload(targets, batch, k);
             DeviceMatrix grad = backend.allocate(batch, k)) {
            rewind(net.streams(), rewind);
            DeviceMatrix out = net.forward(x, true);
            loss.gradient(backend, out, y, grad);
            net.backward(grad);
            DoubleSupplier value = () -> {
                rewind(net.streams(), rewind);
                return loss.value(backend.download(net.forward(x, true)), targets, batch, k);
            };
            List<Tensor> tensors = new ArrayList<>();
            for (Binding.Bound b : net.bound()) {
                int layer = net.bound().indexOf(b);
                for (Parameter p : b.parameters()) {
                    tensors.add(compare("layer " + layer + " " + p.name(), backend.download(p.grad()), p.value(), backend,
                            value, rnd));
                }
            }
            return new Report(net + " with " + loss + " loss", tensors);
        } finally {
            net.setStateValues(state);
            rewind(net.streams(), rewind);
        }
    }

    /** Central differences of {@code loss} for elements of {@code m} against {@code analytic}. */
    private Tensor compare(String name, float[] analytic, DeviceMatrix m, Backend backend, DoubleSupplier loss,
                           Random rnd) {
        float[] v = backend.download(m);
        int[] which = elements(v.length, rnd);
        double diff2 = 0;
        double a2 = 0;
        double n2 = 0;
        int worst = which.length == 0 ? 0 : which[0];
        double worstExcess = Double.NEGATIVE_INFINITY;
        double worstNumeric = 0;
        boolean passed = true;
        for (int i : which) {
            float saved = v[i];
            float up = saved + h;
            float down = saved - h;
            v[i] = up;
            backend.upload(v, m);
            double plus = loss.getAsDouble();
            v[i] = down;
            backend.upload(v, m);
            double minus = loss.getAsDouble();
            v[i] = saved;
            backend.upload(v, m);
            double numeric = (plus - minus) / ((double) up - down);
            double d = Math.abs(analytic[i] - numeric);
            double excess = d - (absolute + relative * Math.abs(numeric));
            passed &= excess <= 0;
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
                worstNumeric = numeric;
            }
            diff2 += d * d;
            a2 += (double) analytic[i] * analytic[i];
            n2 += numeric * numeric;
        }
        double norm = Math.sqrt(a2) + Math.sqrt(n2);
        return new Tensor(name, which.length, norm == 0 ? 0 : Math.sqrt(diff2) / norm, worst,
                which.length == 0 ? 0 : analytic[worst], worstNumeric, passed);
    }

    /** All indices, or perTensor of them at random. */
    private int[] elements(int n, Random rnd) {
        if (n <= perTensor) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        return rnd.ints(0, n).distinct().limit(perTensor).sorted().toArray();
    }

    private static long[] states(List<RandomStream> streams) {
        return streams.stream().mapToLong(RandomStream::state).toArray();
    }

    private static void rewind(List<RandomStream> streams, long[] states) {
        for (int i = 0; i < states.length; i++) {
            streams.get(i).setState(states[i]);
        }
    }

    private static double dot(float[] y, float[] r) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * r[i];
        }
        return s;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
