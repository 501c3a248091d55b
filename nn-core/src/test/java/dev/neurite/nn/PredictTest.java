package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.DeviceMatrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Predictions by head: classes and probabilities, a single-unit binary classifier, values; and the summary. */
class PredictTest extends OnCpu {
    @Test
    void aSoftmaxClassifierPredictsClassesAndProbabilitiesInBatches() {
        Dataset data = OptimizerTest.toyData(600, 3);
        try (Network net = Network.builder(16).dense(8, Init.HE, Activation.RELU).dense(4, Init.XAVIER).build(backend, 1);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.3f), 10, 1)) {
            t.epoch(data);
            assertEquals(OutputHead.SOFTMAX, net.head(), "set by training from the loss");
            net.classNames(List.of("a", "b", "c", "d"));
            Predictions p = net.predict(data);
            assertEquals(600, p.rows());
            assertEquals(4, p.width());
            int correct = 0;
            for (int r = 0; r < p.rows(); r++) {
                float[] v = p.values(r);
                double sum = 0;
                for (float x : v) {
                    sum += x;
                }
                assertEquals(1, sum, 1e-5, "row " + r);
                assertEquals(argmax(v), p.label(r));
                correct += p.label(r) == data.labels()[r] ? 1 : 0;
            }
            assertEquals(t.evaluate(data).correct(), correct, "predict agrees with evaluate");
            float[] sample = java.util.Arrays.copyOfRange(data.features(), 300 * 16, 301 * 16);
            Prediction one = net.predict(sample);
            assertEquals(p.label(300), one.label());
            assertEquals(List.of("a", "b", "c", "d").get(one.label()), one.className());
            assertArrayEquals(p.values(300), one.values(), 1e-6f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(new float[3]));
            assertTrue(e.getMessage().contains("3 values"), e.getMessage());
        }
    }

    /** Two classes, one sigmoid unit, binary cross-entropy: logistic regression with p(y = 1 | x). */
    @Test
    void oneSigmoidUnitIsABinaryClassifier() {
        Random rnd = new Random(5);
        int rows = 400;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = (float) rnd.nextGaussian();
            x[2 * r + 1] = (float) rnd.nextGaussian();
            y[r] = x[2 * r] + 0.5f * x[2 * r + 1] > 0.2f ? 1 : 0;
        }
        Dataset data = new Dataset(x, y, 2, 2);
        try (Network net = Network.builder(2).dense(1, Init.XAVIER).build(backend, 1);
             Trainer t = new Trainer(net, Loss.BINARY_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)) {
            for (int e = 0; e < 20; e++) {
                t.epoch(data);
            }
            assertEquals(OutputHead.SIGMOID, net.head());
            Trainer.Evaluation ev = t.evaluate(data);
            assertTrue(ev.accuracy() > 0.95, "accuracy " + ev.accuracy());
            net.classNames(List.of("no", "yes"));
            Predictions p = net.predict(data);
            assertEquals(2, p.width());
            float[] w = ((Dense) net.layers().get(0)).weights();
            float b = ((Dense) net.layers().get(0)).bias()[0];
            for (int r = 0; r < rows; r += 37) {
                double z = (double) x[2 * r] * w[0] + (double) x[2 * r + 1] * w[1] + b;
                double p1 = 1 / (1 + Math.exp(-z));
                assertEquals(p1, p.values(r)[1], 1e-5, "p(y = 1) of row " + r);
                assertEquals(1 - p1, p.values(r)[0], 1e-5);
                assertEquals(p1 >= 0.5 ? "yes" : "no", p.className(r));
            }
        }
    }

    @Test
    void aRegressionPredictsValues() {
        float[] x = {0, 1, 2, 3};
        float[] targets = {1, 3, 5, 7};
        Dataset data = Dataset.regression(x, 1, targets, 1);
        try (Network net = Network.builder(1).dense(1, Init.XAVIER).build(backend, 1);
             Trainer t = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(0.1f), 4, 1)) {
            for (int e = 0; e < 500; e++) {
                t.epoch(data);
            }
            assertEquals(OutputHead.VALUES, net.head());
            Prediction p = net.predict(new float[] {10});
            assertTrue(p.isRegression());
            assertEquals(-1, p.label());
            assertEquals(21, p.values()[0], 0.05, "y = 2x + 1");
            assertThrows(IllegalStateException.class, p::probability);
        }
    }

    @Test
    void theStepHeadGivesZeroOrOne() {
        try (Network net = Network.builder(3).dense(2, Init.XAVIER).build(backend, 1)) {
            net.head(OutputHead.STEP);
            Predictions p = net.predict(new Dataset(new float[] {1, 2, 3, -1, -2, -3}, new int[2], 3, 2));
            for (float v : p.values()) {
                assertTrue(v == 0 || v == 1, "step output " + v);
            }
            try (DeviceMatrix in = backend.upload(new float[] {1, 2, 3}, 1, 3)) {
                float[] z = backend.download(net.forward(in, false));
                assertEquals(z[0] > z[1] ? 0 : 1, p.label(0));
            }
        }
    }

    @Test
    void theSummaryListsShapesAndParameterCounts() {
        try (Network lenet = Preset.LENET.network(backend, Shape.image(1, 28, 28), 10, 1)) {
            Summary s = lenet.summary();
            assertEquals(Shape.image(1, 28, 28), s.input());
            assertEquals("conv 5x5x20", s.layers().get(0).layer());
            assertEquals(Shape.image(20, 24, 24), s.layers().get(0).output());
            assertEquals(5 * 5 * 20 + 20, s.layers().get(0).parameters());
            assertEquals(Shape.image(20, 12, 12), s.layers().get(2).output());
            assertEquals(5 * 5 * 20 * 50 + 50, s.layers().get(3).parameters());
            assertEquals(Shape.flat(800), s.layers().get(6).output());
            assertEquals(800 * 500 + 500, s.layers().get(7).parameters());
            assertEquals(431_080, s.parameters(), "LeNet-5 as Caffe builds it: 430,500 weights and 580 biases");
            String text = s.toString();
            assertTrue(text.contains("dense 800->500") && text.contains("400,500") && text.contains("431,080"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("total") && l.endsWith("431,080")), text);
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
