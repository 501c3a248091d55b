package dev.neurite.examples.embedding;

import dev.neurite.backend.*;
import dev.neurite.nn.*;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * README's training example: the classic 784-15-10 on 8,000 images of an MNIST-format test set,
 * scored on the other 2,000, then saved. The argument is the folder holding
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz} (MNIST, or
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} in /usr/share/datasets/fashion-mnist).
 */
public final class TrainingExample {

    private TrainingExample() {
    }

    public static void main(String[] args) throws IOException {
        Path mnist = Path.of(args.length > 0 ? args[0] : "data/mnist");
        if (!Files.exists(mnist.resolve("t10k-images-idx3-ubyte.gz"))) {
            System.out.println("training example skipped: no t10k-images-idx3-ubyte.gz in " + mnist.toAbsolutePath()
                    + " (pass the folder holding the MNIST test set)");
            return;
        }
        Path model = Path.of("target", "mnist.model");
        Files.createDirectories(model.getParent());
        long start = System.nanoTime();
        Dataset all = Idx.read(mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"));
        try (Backend backend = Backends.open();                     // -Dneurite.backend, NEURITE_BACKEND or auto
             Network net = Network.builder(784)
                     .dense(15, Init.NORMAL, Activation.SIGMOID)
                     .dense(10, Init.NORMAL, Activation.SIGMOID)
                     .build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(3f), 10, 1)) {
            for (int epoch = 0; epoch < 30; epoch++) {
                trainer.epoch(all.slice(0, 8_000));
            }
            System.out.println("accuracy " + trainer.evaluate(all.slice(8_000, 10_000)).accuracy());
            ModelFile.save(net, model);                             // checksummed, written atomically
            System.out.printf("trained 784-15-10 on %s for 30 epochs on %s in %.1f s; model saved to %s (%d bytes)%n",
                    mnist, backend.name(), (System.nanoTime() - start) / 1e9, model, Files.size(model));
        }
    }
}
