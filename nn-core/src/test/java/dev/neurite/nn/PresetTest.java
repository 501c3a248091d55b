package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-layer presets of the course material learn what they should; the others build the named shapes. */
class PresetTest {

    /** Two Gaussian blobs in 2-D, linearly separable with a margin; labels 0 and 1. */
    private static Dataset blobs(int rows, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r % 2;
            float centre = y[r] == 0 ? -2f : 2f;
            x[2 * r] = centre + 0.5f * (float) rnd.nextGaussian();
            x[2 * r + 1] = -centre + 0.5f * (float) rnd.nextGaussian();
        }
        return new Dataset(x, y, 2, 2);
    }

    private static Trainer.Evaluation train(Preset p, Dataset data, int epochs) {
        try (Backend backend = Backends.open("cpu");
             Network net = p.network(backend, data.shape(), data.classes(), 3);
             Trainer trainer = new Trainer(net, p.loss(), p.optimizer(p.learningRate()), p.batch(), 3)) {
            for (int e = 0; e < epochs; e++) {
                trainer.epoch(data);
            }
            return trainer.evaluate(data);
        }
    }

    @Test
    void perceptronSeparatesSeparableData() {
        Trainer.Evaluation e = train(Preset.PERCEPTRON, blobs(200, 1), Preset.PERCEPTRON.epochs());
        assertEquals(200, e.correct(), "the perceptron rule converges on separable data");
        assertEquals(0, e.loss(), 1e-9, "and the perceptron criterion is then zero");
    }

    @Test
    void logisticRegressionSeparatesSeparableData() {
        Trainer.Evaluation e = train(Preset.LOGISTIC, blobs(200, 2), Preset.LOGISTIC.epochs());
        assertEquals(200, e.correct());
        assertTrue(e.loss() < 0.1, "binary cross-entropy " + e.loss());
    }

    @Test
    void linearRegressionRecoversTheCoefficients() {
        // y = 3·x0 − 2·x1 + 0.5, no noise
        Random rnd = new Random(4);
        int rows = 500;
        float[] x = new float[rows * 2];
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = (float) rnd.nextGaussian();
            x[2 * r + 1] = (float) rnd.nextGaussian();
            t[r] = 3 * x[2 * r] - 2 * x[2 * r + 1] + 0.5f;
        }
        Dataset data = Dataset.regression(x, 2, t, 1);
        try (Backend backend = Backends.open("cpu");
             Network net = Preset.LINEAR.network(backend, data.shape(), 1, 5);
             Trainer trainer = new Trainer(net, Preset.LINEAR.loss(), Preset.LINEAR.optimizer(0.05f), 10, 5)) {
            for (int e = 0; e < 30; e++) {
                trainer.epoch(data);
            }
            Dense d = (Dense) net.layers().get(0);
            float[] w = d.weights();
            assertEquals(3, w[0], 1e-3);
            assertEquals(-2, w[1], 1e-3);
            assertEquals(0.5, d.bias()[0], 1e-3);
            Trainer.Evaluation e = trainer.evaluate(data);
            assertTrue(e.loss() < 1e-6, "quadratic loss " + e.loss());
            assertTrue(Double.isNaN(e.accuracy()), "regression has no accuracy");
        }
    }

    @Test
    void presetsBuildTheirNamedShapesAndNamesParse() {
        try (Backend backend = Backends.open("cpu");
             Network lenet = Preset.LENET.network(backend, Shape.image(1, 28, 28), 10, 1);
             Network mlp = Preset.MLP_LARGE.network(backend, Shape.flat(784), 10, 1)) {
            assertEquals("(1, 28, 28) -> conv 5x5x20 -> relu -> max-pool 2 -> conv 5x5x50 -> relu -> max-pool 2 -> "
                    + "flatten -> dense 800->500 -> relu -> dense 500->10", lenet.toString());
            assertEquals("(784) -> dense 784->512 -> relu -> dense 512->512 -> relu -> dense 512->10", mlp.toString());
            // 20·25+20 + 50·500+50 + 800·500+500 + 500·10+10
            assertEquals(431_080, lenet.parameters().stream().mapToInt(p -> p.value().size()).sum());
        }
        assertEquals(Preset.MLP_LARGE, Preset.named("mlp-large"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preset.named("resnet"));
        assertTrue(e.getMessage().contains("lenet") && e.getMessage().contains("resnet"), e.getMessage());
        try (Backend backend = Backends.open("cpu")) {
            assertThrows(IllegalArgumentException.class,
                    () -> Preset.LENET.network(backend, Shape.flat(784), 10, 1));
        }
    }
}
