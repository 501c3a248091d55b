package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Precision, recall and F1 from a confusion matrix, worked by hand; the loss landscape around trained weights. */
class MetricsAndLandscapeTest {
    @Test
    void precisionRecallAndF1ByHand() {
        // actual 0: 90 right, 2 called 1; actual 1: 7 right, 3 missed (called 0)
        Confusion c = new Confusion(new int[][] {{90, 2}, {3, 7}});
        assertEquals(7.0 / 9, c.precision(1), 1e-12);
        assertEquals(0.7, c.recall(1), 1e-12);
        assertEquals(2 * (7.0 / 9) * 0.7 / (7.0 / 9 + 0.7), c.f1(1), 1e-12);
        assertEquals(10, c.support(1));
        assertEquals(90.0 / 93, c.precision(0), 1e-12);
        Confusion.Average macro = c.macro();
        assertEquals((90.0 / 92 + 0.7) / 2, macro.recall(), 1e-12);
        Confusion.Average weighted = c.weighted();
        assertEquals(c.accuracy(), weighted.recall(), 1e-12);
        assertEquals(102, weighted.support());
        String report = c.report(List.of("solvent", "bankrupt"));
        assertTrue(report.contains("bankrupt") && report.contains("0.7778") && report.contains("0.7000")
                && report.contains("macro avg"), report);
        String table = c.table(List.of("solvent", "bankrupt"));
        assertTrue(table.lines().anyMatch(l -> l.strip().matches("bankrupt\\s+3\\s+7")), table);
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroNotNaN() {
        Confusion c = new Confusion(new int[][] {{5, 0}, {2, 0}});
        assertEquals(0, c.precision(1));
        assertEquals(0, c.f1(1));
    }

    @Test
    void theLandscapeHasItsMinimumAtTheTrainedWeightsAndPutsThemBack() {
        Random rnd = new Random(3);
        int n = 200;
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(2);
            x[2 * i] = (float) (rnd.nextGaussian() + (y[i] == 1 ? 2 : -2));
            x[2 * i + 1] = (float) rnd.nextGaussian();
        }
        Dataset data = new Dataset(x, y, 2, 2);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(2).dense(8, Init.HE, Activation.RELU).dense(2, Init.XAVIER).build(backend, 1);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(dev.neurite.backend.Update.Kind.ADAM, 0.05f), 20, 1)) {
            for (int e = 0; e < 30; e++) {
                t.epoch(data);
            }
            float[][] before = net.parameterValues();
            Landscape l = new Landscape(net, Loss.SOFTMAX_CROSS_ENTROPY, data);
            float[][] d = l.direction(5);
            assertEquals(0f, d[1][0], "biases stay put");
            double[] j = l.slice(d, Landscape.steps(-1, 1, 5));
            assertEquals(t.evaluate(data).loss(), j[2], 1e-6);
            assertTrue(j[0] > j[2] && j[4] > j[2], java.util.Arrays.toString(j));
            double[][] plane = l.plane(d, Landscape.steps(-1, 1, 3), l.direction(6), Landscape.steps(-1, 1, 3));
            assertEquals(j[2], plane[1][1], 1e-9);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], net.parameterValues()[i]);
            }
            assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, Landscape.lossOf(net.head(OutputHead.SOFTMAX)));
        }
    }

    @Test
    void aDirectionIsFilterNormalized() {
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(3).dense(4, Init.HE, Activation.RELU).dense(2, Init.XAVIER).build(backend, 2)) {
            Landscape l = new Landscape(net, Loss.QUADRATIC, new Dataset(new float[6], new int[2], 3, 2));
            float[][] theta = net.parameterValues();
            float[][] d = l.direction(9);
            // the first layer's weights (3, 4): each column is one unit's incoming weights
            for (int unit = 0; unit < 4; unit++) {
                double dn = 0;
                double tn = 0;
                for (int in = 0; in < 3; in++) {
                    dn += d[0][in * 4 + unit] * d[0][in * 4 + unit];
                    tn += theta[0][in * 4 + unit] * theta[0][in * 4 + unit];
                }
                assertEquals(Math.sqrt(tn), Math.sqrt(dn), 1e-5);
            }
        }
    }
}
