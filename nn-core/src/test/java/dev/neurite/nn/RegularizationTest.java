package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import org.junit.jupiter.api.Test;

/** L1/L2 penalties shrink the weights; early stopping and convergence end training when they should. */
class RegularizationTest {

    private static double sumAbs(float[] w) {
        double s = 0;
        for (float v : w) {
            s += Math.abs(v);
        }
        return s;
    }

    private static double weightMass(float l1, float l2) {
        Dataset data = OptimizerTest.toyData(300, 5);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)
                     .regularize(l1, l2)) {
            for (int e = 0; e < 10; e++) {
                trainer.epoch(data);
            }
            return sumAbs(((Dense) net.layers().get(0)).weights());
        }
    }

    @Test
    void penaltiesShrinkTheWeights() {
        double none = weightMass(0, 0);
        assertTrue(weightMass(0, 0.05f) < 0.8 * none, "L2");
        assertTrue(weightMass(0.01f, 0) < 0.8 * none, "L1");
    }

    @Test
    void earlyStoppingAndConvergenceEndTraining() {
        Dataset[] parts = OptimizerTest.toyData(300, 6).split(0.2, 1);
        assertEquals(240, parts[0].rows());
        assertEquals(60, parts[1].rows());
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)) {
            Fit.Result converged = new Fit().epochs(200).minDelta(1e-3).run(trainer, parts[0], parts[1]);
            assertEquals("converged", converged.reason());
            assertTrue(converged.epochs() < 200, "epochs " + converged.epochs());
        }
        // a validation set whose labels are noise stops improving at once
        Dataset noise = new Dataset(parts[1].features(), new java.util.Random(2).ints(60, 0, 4).toArray(), 16, 4);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)) {
            Fit.Result stopped = new Fit().epochs(200).earlyStopping(3).run(trainer, parts[0], noise);
            assertEquals("early stopping", stopped.reason());
            assertTrue(stopped.epochs() < 50, "epochs " + stopped.epochs());
        }
    }

    @Test
    void checkpointHoldsTheBestModelAndProgressIsTold(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Dataset[] parts = OptimizerTest.toyData(300, 6).split(0.2, 1);
        java.nio.file.Path file = dir.resolve("best.model");
        int[] steps = new int[1];
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        float[][] bestOutputs = new float[1][];
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)) {
            new Fit().epochs(6).checkpoint(file).onProgress((done, total) -> steps[0]++)
                    .onEpoch((e, t, v) -> {
                        if (v.loss() < bestLoss[0]) {
                            bestLoss[0] = v.loss();
                            bestOutputs[0] = ModelFileTest.outputs(net, parts[1].features(), parts[1].rows());
                        }
                    })
                    .run(trainer, parts[0], parts[1]);
            assertEquals(6 * 24, steps[0], "24 steps of 10 rows an epoch, told after each");
            try (Network best = ModelFile.load(file, backend)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(bestOutputs[0],
                        ModelFileTest.outputs(best, parts[1].features(), parts[1].rows()),
                        "the checkpoint is the network of the best validation loss");
            }
        }
    }

    /** Early stopping ends with the weights of the best validation epoch; the checkpoint holds that epoch and its loss. */
    @Test
    void earlyStoppingRestoresTheBestWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Dataset[] parts = OptimizerTest.toyData(300, 6).split(0.2, 1);
        Dataset noise = new Dataset(parts[1].features(), new java.util.Random(2).ints(60, 0, 4).toArray(), 16, 4);
        java.nio.file.Path best = dir.resolve("best.ckpt");
        java.util.Map<Integer, float[][]> weights = new java.util.HashMap<>();
        double[] lowest = {Double.POSITIVE_INFINITY, 0};
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.5f), 10, 1)) {
            Fit.Result r = new Fit().epochs(200).earlyStopping(3).checkpoint(best).onEpoch((e, t, v) -> {
                weights.put(e, net.parameterValues());
                if (v.loss() < lowest[0]) {
                    lowest[0] = v.loss();
                    lowest[1] = e;
                }
            }).run(trainer, parts[0], noise);
            assertEquals("early stopping", r.reason());
            assertEquals((int) lowest[1], r.bestEpoch());
            assertEquals(lowest[0], r.bestLoss());
            assertEquals(r.bestEpoch() + 3, r.epochs(), "three epochs without improvement");
            ResumeTest.assertDeepEquals(weights.get(r.bestEpoch()), net.parameterValues());
            try (Trainer resumed = Trainer.resume(best, backend)) {
                assertEquals(r.bestEpoch(), resumed.epochs(), "the checkpoint is the best epoch's state");
                assertEquals(r.bestLoss(), resumed.fitProgress().best, "and keeps its validation loss");
                ResumeTest.assertDeepEquals(weights.get(r.bestEpoch()), resumed.network().parameterValues());
            }
        }
    }
}
