package dev.neurite.nn;

import java.util.Random;

/**
 * The loss landscape around a network's weights θ, as the course draws it (Li et al., "Visualizing
 * the Loss Landscape of Neural Nets", 2018): the loss J(θ + a·d) along a random direction d, or
 * J(θ + a·d1 + b·d2) over a plane of two. Directions are filter-normalized: drawn from N(0, 1),
 * then every filter (a dense unit's incoming weights, one convolution filter) scaled to the norm
 * of the same filter in θ, so that a step means as much in every layer whatever its scale; the
 * parameters that are not weights (biases, batch norm's γ and β) get d = 0, as in the paper.
 *
 * <p>J is the mean loss over {@code data}, raw rows with the network's scaler applied, at
 * inference (dropout off, batch norm on its running statistics). The network's weights are set for
 * each point and put back afterwards.
 *
 * <pre>
 * Landscape l = new Landscape(net, Loss.SOFTMAX_CROSS_ENTROPY, data);
 * double[] j = l.slice(l.direction(1), Landscape.steps(-1, 1, 41));   // J at a = -1, -0.95, ..., 1
 * </pre>
 */
public final class Landscape {
    private static final int BATCH = 500;
    private final Network net;
    private final Loss loss;
    private final Dataset data;

    /** The landscape of {@code net} under {@code loss} over {@code data} (raw rows: the network's scaler applies). */
    public Landscape(Network net, Loss loss, Dataset data) {
        this.net = net;
        this.loss = java.util.Objects.requireNonNull(loss, "loss");
        this.data = net.scaler() != null ? net.scaler().apply(data) : data;
    }

    /** {@code n} evenly spaced values from {@code from} to {@code to}, both included. */
    public static double[] steps(double from, double to, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("landscape: at least 2 points, got " + n);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + (to - from) * i / (n - 1);
        }
        return a;
    }

    /** A random filter-normalized direction, one array per parameter in {@link Network#parameters()} order. */
    public float[][] direction(long seed) {
        Random rnd = new Random(seed);
        float[][] theta = net.parameterValues();
        float[][] d = new float[theta.length][];
        int i = 0;
        for (Binding.Bound b : net.bound()) {
            for (Parameter p : b.parameters()) {
                d[i] = new float[theta[i].length];
                if (p.penalized()) {
                    for (int k = 0; k < d[i].length; k++) {
                        d[i][k] = (float) rnd.nextGaussian();
                    }
                    normalize(d[i], theta[i], b.layer(), p);
                }
                i++;
            }
        }
        return d;
    }

    /**
     * Scales each filter of {@code d} to the norm of that filter in {@code theta}: columns of a
     * dense layer's weights (in, out), rows of a convolution's (F, KH·KW·C), the whole tensor for
     * other layers' weights.
     */
    private static void normalize(float[] d, float[] theta, Layer layer, Parameter p) {
        int rows = p.value().rows();
        int cols = p.value().cols();
        if (layer instanceof Dense) {
            for (int c = 0; c < cols; c++) {
                scale(d, theta, c, cols, rows);
            }
        } else if (layer instanceof Conv2d) {
            for (int r = 0; r < rows; r++) {
                scale(d, theta, r * cols, 1, cols);
            }
        } else {
            scale(d, theta, 0, 1, d.length);
        }
    }

    /** d[at + k·stride] for k < n scaled so that its norm is that of theta's same elements. */
    private static void scale(float[] d, float[] theta, int at, int stride, int n) {
        double dn = 0;
        double tn = 0;
        for (int k = 0; k < n; k++) {
            int i = at + k * stride;
            dn += (double) d[i] * d[i];
            tn += (double) theta[i] * theta[i];
        }
        double f = dn == 0 ? 0 : Math.sqrt(tn / dn);
        for (int k = 0; k < n; k++) {
            d[at + k * stride] *= (float) f;
        }
    }

    /** J(θ + a·d) for each a of {@code alphas}. */
    public double[] slice(float[][] d, double[] alphas) {
        double[][] j = plane(d, alphas, null, new double[] {0});
        double[] out = new double[alphas.length];
        for (int i = 0; i < alphas.length; i++) {
            out[i] = j[0][i];
        }
        return out;
    }

    /**
     * J(θ + a·d1 + b·d2) for every a of {@code alphas} and b of {@code betas}: result[b][a]
     * ({@code d2} may be null for a slice).
     */
    public double[][] plane(float[][] d1, double[] alphas, float[][] d2, double[] betas) {
        float[][] theta = net.parameterValues();
        double[][] j = new double[betas.length][alphas.length];
        try (Trainer evaluator = new Trainer(net, loss, Optimizer.sgd(1f), BATCH, 0)) {
            for (int bi = 0; bi < betas.length; bi++) {
                for (int ai = 0; ai < alphas.length; ai++) {
                    net.setParameterValues(moved(theta, d1, alphas[ai], d2, betas[bi]));
                    j[bi][ai] = evaluator.evaluate(data).loss();
                }
            }
        } finally {
            net.setParameterValues(theta);
        }
        return j;
    }

    private static float[][] moved(float[][] theta, float[][] d1, double a, float[][] d2, double b) {
        float[][] w = new float[theta.length][];
        for (int i = 0; i < theta.length; i++) {
            w[i] = theta[i].clone();
            for (int k = 0; k < w[i].length; k++) {
                w[i][k] += (float) (a * d1[i][k] + (d2 == null ? 0 : b * d2[i][k]));
            }
        }
        return w;
    }

    /**
     * The loss a network was trained with, as far as its {@link OutputHead} tells: softmax
     * cross-entropy for a softmax head, binary cross-entropy for a sigmoid, the perceptron
     * criterion for a step, the quadratic loss otherwise.
     */
    public static Loss lossOf(Network net) {
        OutputHead head = net.head() == null ? OutputHead.AS_IS : net.head();
        return switch (head) {
            case SOFTMAX -> Loss.SOFTMAX_CROSS_ENTROPY;
            case SIGMOID -> Loss.BINARY_CROSS_ENTROPY;
            case STEP -> Loss.PERCEPTRON;
            case AS_IS, VALUES -> Loss.QUADRATIC;
        };
    }
}
