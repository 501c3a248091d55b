package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * End to end on the full Fashion-MNIST (Debian's dataset-fashion-mnist): the default recipe,
 * 784-15-10 sigmoid, quadratic loss, SGD η = 3.0, batch 10, 10 epochs on the 60,000 training
 * images, over five seeds. NumPy and PyTorch reach a median of 83.4%; single runs spread: with
 * the scalar reference GEMM, seeds 1-5 give 83.2, 82.3, 83.5, 79.4 and 84.0%, and any change in
 * the order a kernel adds in moves each run by up to a point. So the median of five must reach
 * 82% and every run 75%: a recipe that learns, not one trajectory.
 */
class FashionMnistTest {
    private static final int SEEDS = 5;

    @Test
    void defaultRecipeReachesEightyTwoPercentMedianInTenEpochs() throws IOException {
        Path dir = TestData.fashionMnistOrSkip();
        Dataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        Dataset test = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        double[] accuracy = new double[SEEDS];
        try (Backend backend = Backends.open("cpu")) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                try (Network net = Network.builder(784).dense(15, Init.NORMAL, Activation.SIGMOID)
                        .dense(10, Init.NORMAL, Activation.SIGMOID).build(backend, seed);
                     Trainer trainer = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(3f), 10, seed)) {
                    for (int epoch = 0; epoch < 10; epoch++) {
                        trainer.epoch(train);
                    }
                    accuracy[seed - 1] = trainer.evaluate(test).accuracy();
                }
            }
        }
        System.err.println("Fashion-MNIST, default recipe, 10 epochs, seeds 1-" + SEEDS + ": " + Arrays.toString(accuracy));
        double[] sorted = accuracy.clone();
        Arrays.sort(sorted);
        double median = sorted[SEEDS / 2];
        assertTrue(median >= 0.82, "median test accuracy " + median + " of " + Arrays.toString(accuracy));
        assertTrue(sorted[0] >= 0.75, "every seed learns: " + Arrays.toString(accuracy));
    }
}
