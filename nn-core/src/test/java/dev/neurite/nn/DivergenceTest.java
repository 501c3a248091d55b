package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that diverges stops with the epoch, the step and the loss, and saves nothing. */
class DivergenceTest {

    private static Network net(Backend backend) {
        return Network.builder(16).dense(12, Init.HE, Activation.RELU).dense(4, Init.XAVIER).build(backend, 1);
    }

    @Test
    void aHugeLearningRateStopsTrainingNamingTheStep() {
        Dataset data = OptimizerTest.toyData(400, 3);
        try (Backend backend = Backends.open("cpu");
             Network net = net(backend);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(1e30f), 10, 1).checkEvery(4)) {
            DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.epoch(data));
            assertEquals(1, e.epoch());
            assertTrue(e.step() > 0 && e.step() % 4 == 0, "checked every 4 steps, seen at step " + e.step());
            assertFalse(Double.isFinite(e.loss()), "loss " + e.loss());
            assertTrue(e.getMessage().contains("epoch 1 at step " + e.step()) && e.getMessage().contains("loss"),
                    e.getMessage());
            assertEquals(0, trainer.epochs(), "the diverged epoch does not count");
        }
    }

    @Test
    void nothingIsCheckpointedOrSavedFromADivergedState(@TempDir Path dir) {
        Dataset[] parts = OptimizerTest.toyData(300, 3).split(0.2, 1);
        Path best = dir.resolve("best.ckpt");
        Path latest = dir.resolve("latest.ckpt");
        try (Backend backend = Backends.open("cpu");
             Network net = net(backend);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(1e30f), 10, 1)) {
            assertThrows(DivergenceException.class,
                    () -> new Fit().epochs(5).checkpoint(best).latest(latest).run(trainer, parts[0], parts[1]));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.save(dir.resolve("x")));
            assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        }
        assertFalse(Files.exists(best) || Files.exists(latest) || Files.exists(dir.resolve("x")));
    }

    /** A sigmoid output saturates instead of going NaN; the weights' check at the epoch's end still catches it. */
    @Test
    void weightsThatOverflowAreCaughtAtTheEpochsEnd() {
        Dataset data = OptimizerTest.toyData(50, 3);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(4, Init.XAVIER, Activation.SIGMOID).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(1e38f), 10, 1).checkEvery(0)) {
            DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.epoch(data));
            assertEquals(5, e.step(), "checked at the epoch's end only");
        }
    }

    /** The check downloads one number every N steps (and a few at the epoch's end), not the loss every step. */
    @Test
    void checkingDoesNotDownloadEveryStep() {
        Dataset data = OptimizerTest.toyData(640, 3);
        AtomicInteger downloads = new AtomicInteger();
        try (Backend cpu = Backends.open("cpu")) {
            Backend counting = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                        if (method.getName().equals("download")) {
                            downloads.incrementAndGet();
                        }
                        try {
                            return method.invoke(cpu, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (Network net = net(counting);
                 Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 10, 1)) {
                trainer.epoch(data);
                // 64 steps: a check every 16, then one at the end for the last outputs and all parameters
                assertEquals(64 / 16 + 1, downloads.get());
            }
        }
    }

    /** The sum of squares the check reads on the device. */
    @Test
    void theCheckSeesNaNAndInfinity() {
        try (Backend backend = Backends.open("cpu");
             DeviceMatrix m = backend.upload(new float[] {1, Float.NaN, 2, 3}, 2, 2);
             DeviceMatrix inf = backend.upload(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2);
             DeviceMatrix out = backend.allocate(1, 1)) {
            backend.reduce(dev.neurite.backend.Reduction.SUM_OF_SQUARES, dev.neurite.backend.Axis.ALL, m, out);
            assertTrue(Float.isNaN(backend.download(out)[0]));
            backend.reduce(dev.neurite.backend.Reduction.SUM_OF_SQUARES, dev.neurite.backend.Axis.ALL, inf, out);
            assertEquals(Float.POSITIVE_INFINITY, backend.download(out)[0]);
        }
    }
}
