package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * End to end on the full Fashion-MNIST (Debian's dataset-fashion-mnist): the default recipe,
 * 784-15-10 sigmoid, quadratic loss, SGD η = 3.0, batch 10, 10 epochs on the 60,000 training
 * images, reaches 83% on the 10,000 test images (NumPy and PyTorch: median 83.4%).
 */
class FashionMnistTest {
    @Test
    void defaultRecipeReachesEightyThreePercentInTenEpochs() throws IOException {
        Path dir = TestData.fashionMnistOrSkip();
        Dataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        Dataset test = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(784).dense(15, Init.NORMAL, Activation.SIGMOID)
                     .dense(10, Init.NORMAL, Activation.SIGMOID).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(3f), 10, 1)) {
            for (int epoch = 0; epoch < 10; epoch++) {
                trainer.epoch(train);
            }
            double accuracy = trainer.evaluate(test).accuracy();
            System.err.printf("Fashion-MNIST, default recipe, 10 epochs: %.2f%% on the test set%n", 100 * accuracy);
            assertTrue(accuracy >= 0.83, "test accuracy " + accuracy);
        }
    }
}
