package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;

/**
 * A loss L(a, y) averaged over the batch, for network outputs a (B, k) and targets y (B, k).
 * {@link #gradient} runs on the device; {@link #value} runs on host copies, for metrics.
 */
public interface Loss {

    /** da = ∂L/∂a: a, y -> da, all (B, k). */
    void gradient(Backend backend, DeviceMatrix a, DeviceMatrix y, DeviceMatrix da);

    /** L for host copies of a and y (rows x cols, row-major). */
    double value(float[] a, float[] y, int rows, int cols);

    /**
     * The built-in loss of this name ("quadratic", "softmax-ce", "binary-ce", "perceptron", as
     * their toString gives it, and as checkpoints store it), or null.
     */
    static Loss named(String name) {
        for (Loss l : new Loss[] {QUADRATIC, SOFTMAX_CROSS_ENTROPY, BINARY_CROSS_ENTROPY, PERCEPTRON}) {
            if (l.toString().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The gradient of a cross-entropy fused with its output function f on logits z:
     * ∂L/∂z = (f(z) - y)/B, z, y -> dz all (B, k).
     */
    private static void onLogits(Backend backend, dev.neurite.backend.Activation f, DeviceMatrix z, DeviceMatrix y,
                                 DeviceMatrix dz) {
        backend.activationForward(f, z, dz);
        backend.subtract(dz, y, dz);
        backend.scale(1f / z.rows(), dz, dz);
    }

    /** Quadratic: L = 1/(2B) Σ ‖a - y‖², ∂L/∂a = (a - y)/B. */
    Loss QUADRATIC = new Loss() {
        @Override
        public void gradient(Backend backend, DeviceMatrix a, DeviceMatrix y, DeviceMatrix da) {
            backend.subtract(a, y, da);
            backend.scale(1f / a.rows(), da, da);
        }

        @Override
        public double value(float[] a, float[] y, int rows, int cols) {
            double sum = 0;
            for (int i = 0; i < rows * cols; i++) {
                double d = a[i] - y[i];
                sum += d * d;
            }
            return sum / (2.0 * rows);
        }

        @Override
        public String toString() {
            return "quadratic";
        }
    };

    /**
     * Softmax cross-entropy on logits z, fused: L = -1/B Σ y·log softmax(z), ∂L/∂z = (softmax(z) - y)/B.
     * The network ends in a linear layer; the softmax lives here, computed stably.
     */
    Loss SOFTMAX_CROSS_ENTROPY = new Loss() {
        @Override
        public void gradient(Backend backend, DeviceMatrix z, DeviceMatrix y, DeviceMatrix dz) {
            onLogits(backend, dev.neurite.backend.Activation.SOFTMAX, z, y, dz);
        }

        @Override
        public double value(float[] z, float[] y, int rows, int cols) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, z[r * cols + c]);
                }
                double norm = 0;
                for (int c = 0; c < cols; c++) {
                    norm += Math.exp(z[r * cols + c] - max);
                }
                double logNorm = max + Math.log(norm);
                for (int c = 0; c < cols; c++) {
                    sum -= y[r * cols + c] * (z[r * cols + c] - logNorm);
                }
            }
            return sum / rows;
        }

        @Override
        public String toString() {
            return "softmax-ce";
        }
    };

    /**
     * Binary cross-entropy on logits z, fused with the sigmoid:
     * L = -1/B Σ [y log σ(z) + (1 - y) log(1 - σ(z))], ∂L/∂z = (σ(z) - y)/B.
     */
    Loss BINARY_CROSS_ENTROPY = new Loss() {
        @Override
        public void gradient(Backend backend, DeviceMatrix z, DeviceMatrix y, DeviceMatrix dz) {
            onLogits(backend, dev.neurite.backend.Activation.SIGMOID, z, y, dz);
        }

        @Override
        public double value(float[] z, float[] y, int rows, int cols) {
            double sum = 0;
            for (int i = 0; i < rows * cols; i++) {
                // log σ(z) = -softplus(-z), log(1 - σ(z)) = -softplus(z), both stable
                sum += y[i] * softplus(-z[i]) + (1 - y[i]) * softplus(z[i]);
            }
            return sum / rows;
        }

        private double softplus(double v) {
            return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
        }

        @Override
        public String toString() {
            return "binary-ce";
        }
    };

    /**
     * The perceptron criterion on the pre-step outputs z, one unit a class (one-vs-rest):
     * L = 1/B Σ max(0, −(2y − 1)·z). Its gradient, taken as (step(z) − y)/B, is the perceptron
     * rule itself: no change when the step output is right, ±x when it is wrong. The step lives
     * here and in the prediction, as the softmax lives in softmax cross-entropy.
     */
    Loss PERCEPTRON = new Loss() {
        @Override
        public void gradient(Backend backend, DeviceMatrix z, DeviceMatrix y, DeviceMatrix dz) {
            onLogits(backend, dev.neurite.backend.Activation.BINARY_STEP, z, y, dz);
        }

        @Override
        public double value(float[] z, float[] y, int rows, int cols) {
            double sum = 0;
            for (int i = 0; i < rows * cols; i++) {
                sum += Math.max(0, -(2 * y[i] - 1) * z[i]);
            }
            return sum / rows;
        }

        @Override
        public String toString() {
            return "perceptron";
        }
    };
}
