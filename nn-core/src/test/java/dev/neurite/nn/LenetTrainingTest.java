package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The lenet preset (conv 5x5x20, max-pool 2, conv 5x5x50, max-pool 2, dense 500 ReLU, softmax CE,
 * Adam 0.001, batch 64) on real images, CPU backend: at least 97% on 2,000 held-out MNIST images
 * after training on the other 8,000, and at least 89% on the Fashion-MNIST test set within 5
 * epochs of the full training set. Each part skips when its data is absent.
 */
class LenetTrainingTest {

    private static double train(Dataset train, Dataset test, int epochs) {
        assertEquals(Shape.image(1, 28, 28), train.shape(), "IDX images reach the network as (1, 28, 28)");
        Preset p = Preset.LENET;
        try (Backend backend = Backends.open("cpu");
             Network net = p.network(backend, train.shape(), train.classes(), 1);
             Trainer trainer = new Trainer(net, p.loss(), p.optimizer(p.learningRate()), p.batch(), 1)) {
            double accuracy = 0;
            for (int e = 1; e <= epochs; e++) {
                trainer.epoch(train);
                accuracy = trainer.evaluate(test).accuracy();
                System.out.printf("lenet epoch %d: test accuracy %.2f%%%n", e, 100 * accuracy);
            }
            return accuracy;
        }
    }

    @Test
    void lenetReachesNinetySevenPercentOnHeldOutMnist() throws IOException {
        Path dir = TestData.mnistOrSkip();
        Dataset all = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        double accuracy = train(all.slice(0, 8_000), all.slice(8_000, 10_000), 4);
        assertTrue(accuracy >= 0.97, "lenet on 2,000 held-out MNIST images: " + accuracy);
    }

    @Test
    void lenetReachesEightyNinePercentOnFashionMnistInFiveEpochs() throws IOException {
        Path dir = TestData.fashionMnistOrSkip();
        Dataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        Dataset test = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        double accuracy = train(train, test, 5);
        assertTrue(accuracy >= 0.89, "lenet on the Fashion-MNIST test set after 5 epochs: " + accuracy);
    }
}
