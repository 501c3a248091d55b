package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The L1 and L2 terms against central differences of the penalized loss
 * L + L1·Σ|w| + ½·L2·Σw² (the penalized parameters: weights, not biases): the trainer adds their gradients before the
 * optimizer runs, so with a vanishing learning rate (1e-30: the update is below every weight's float spacing) the
 * gradients it leaves are the full ones on unchanged weights.
 */
class PenaltyGradientCheckTest {
    private static final float H = 1e-3f;

    @ParameterizedTest(name = "L1 {0}, L2 {1}")
    @CsvSource({"0.05,0", "0,0.2", "0.03,0.1"})
    void penaltyGradientsMatchCentralDifferences(float l1, float l2) {
        Random rnd = new Random(8);
        int rows = 4;
        float[] xs = new float[rows * 3];
        int[] labels = new int[rows];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 2;
        }
        Dataset data = new Dataset(xs, labels, 3, 2);
        float[] targets = {1, 0, 0, 1, 1, 0, 0, 1};
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(3).dense(4, Init.XAVIER, Activation.TANH).dense(2, Init.XAVIER).build(backend, 2);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(1e-30f), rows, 1).regularize(l1, l2);
             DeviceMatrix x = backend.upload(xs, rows, 3)) {
            trainer.step(data, new int[] {0, 1, 2, 3}, 0, rows);
            for (Parameter p : net.parameters()) {
                boolean penalized = p.penalized();
                float[] analytic = backend.download(p.grad());
                float[] value = backend.download(p.value());
                for (int i = 0; i < value.length; i++) {
                    float saved = value[i];
                    double[] l = new double[2];
                    for (int s = 0; s < 2; s++) {
                        value[i] = saved + (s == 0 ? H : -H);
                        backend.upload(value, p.value());
                        float[] out = backend.download(net.forward(x, false));
                        l[s] = Loss.SOFTMAX_CROSS_ENTROPY.value(out, targets, rows, 2) + penalty(net, backend, l1, l2);
                    }
                    value[i] = saved;
                    backend.upload(value, p.value());
                    double numeric = (l[0] - l[1]) / (2 * H);
                    if (Math.abs(numeric - analytic[i]) > 2e-3 + 1e-2 * Math.abs(numeric)) {
                        fail((penalized ? "" : "unpenalized ") + p.name() + "[" + i + "]: trainer gives " + analytic[i]
                                + ", central difference of the penalized loss " + numeric);
                    }
                }
            }
        }
    }

    private static double penalty(Network net, Backend backend, float l1, float l2) {
        double s = 0;
        for (Parameter p : net.parameters()) {
            if (p.penalized()) {
                for (float w : backend.download(p.value())) {
                    s += l1 * Math.abs(w) + 0.5 * l2 * w * w;
                }
            }
        }
        return s;
    }
}
