package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Networks and trainers are single-threaded: a second thread calling in while a first is inside
 * gets an IllegalStateException naming the object, and the first thread's work is undisturbed.
 */
class SingleThreadTest {

    @Test
    void aSecondThreadIsRefusedWhileTheFirstTrains() throws Exception {
        Dataset data = OptimizerTest.toyData(100, 3);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(8, Init.HE, Activation.RELU).dense(4, Init.XAVIER).build(backend, 1);
             Network twin = Network.builder(16).dense(8, Init.HE, Activation.RELU).dense(4, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 10, 1);
             Trainer twinTrainer = new Trainer(twin, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 10, 1);
             Trainer second = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 10, 2)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch tried = new CountDownLatch(1);
            // the first thread pauses inside its epoch, after step 3, until the second has tried
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> trainer.epoch(data, (done, total) -> {
                if (done == 3) {
                    inside.countDown();
                    await(tried);
                }
            }));
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            try {
                IllegalStateException onTrainer = assertThrows(IllegalStateException.class, () -> trainer.evaluate(data));
                assertTrue(onTrainer.getMessage().startsWith("trainer of network (16) -> dense 16->8"), onTrainer.getMessage());
                assertTrue(onTrainer.getMessage().contains("single-threaded"), onTrainer.getMessage());
                IllegalStateException onNetwork = assertThrows(IllegalStateException.class, () -> second.epoch(data));
                assertTrue(onNetwork.getMessage().startsWith("network (16) -> dense 16->8"), onNetwork.getMessage());
                assertThrows(IllegalStateException.class, () -> net.predict(new float[16]));
            } finally {
                tried.countDown();
            }
            first.get(30, TimeUnit.SECONDS);
            // the refused calls changed nothing: the first thread's epoch equals an undisturbed one
            twinTrainer.epoch(data);
            float[][] a = net.parameterValues();
            float[][] b = twin.parameterValues();
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(b[i], a[i]);
            }
            // one thread after another is fine
            CompletableFuture.runAsync(() -> trainer.epoch(data)).get(30, TimeUnit.SECONDS);
            trainer.epoch(data);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the second thread never tried");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
