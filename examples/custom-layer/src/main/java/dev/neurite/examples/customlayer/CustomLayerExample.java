package dev.neurite.examples.customlayer;

import dev.neurite.backend.*;
import dev.neurite.nn.*;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A layer of one's own in use: {@link PReLU} passes the gradient check, trains in a small network
 * that tells the points inside a disc from those outside, is saved in a model file (its codec is
 * found by ServiceLoader) and loaded back, and the loaded model predicts what the trained one did.
 * The argument is where to save the model (default target/prelu.model).
 */
public final class CustomLayerExample {
    static final int EPOCHS = 10;
    static final List<String> CLASSES = List.of("outside", "inside");

    private CustomLayerExample() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/prelu.model");
        checkGradients();
        Dataset train = disc(800, 1), test = disc(200, 2);
        float[] trained = trainAndSave(train, test, file);
        loadAndCompare(file, test, trained);
    }

    /** 2 -> dense 16 -> PReLU -> dense 16 -> PReLU -> dense 2 (softmax, with the loss). */
    static Network network(Backend backend, long seed) {
        return Network.builder(2)
                .dense(16, Init.HE).layer(new PReLU(0.25f))
                .dense(16, Init.HE).layer(new PReLU(0.25f))
                .dense(2, Init.XAVIER)
                .build(backend, seed);
    }

    /** Softmax cross-entropy, Adam at 0.01, mini-batches of 32, shuffled with seed 1. */
    static Trainer trainer(Network net) {
        return new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 0.01f), 32, 1);
    }

    /** {@code rows} points drawn evenly from the square [-1, 1]²: class 1 inside the disc x² + y² < 1/2, else 0. */
    static Dataset disc(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = random.nextFloat() * 2 - 1;
            x[2 * r + 1] = random.nextFloat() * 2 - 1;
            y[r] = x[2 * r] * x[2 * r] + x[2 * r + 1] * x[2 * r + 1] < 0.5f ? 1 : 0;
        }
        return new Dataset(x, y, 2, 2);
    }

    /** The layer alone against central differences; a failure ends the program. */
    private static void checkGradients() {
        try (Backend backend = Backends.open()) {
            GradientCheck.Report check = new GradientCheck().layer(backend, new PReLU(0.25f), Shape.flat(8));
            System.out.print(check);                                     // per tensor: relative error, ok or FAILED
            if (!check.passed()) {
                throw new IllegalStateException("PReLU's backward pass disagrees with central differences");
            }
        }
    }

    /** Trains {@link #network} on {@code train}, saves it to {@code file}; returns its predictions for {@code test}. */
    private static float[] trainAndSave(Dataset train, Dataset test, Path file) throws IOException {
        try (Backend backend = Backends.open();
             Network net = network(backend, 1).classNames(CLASSES);
             Trainer trainer = trainer(net)) {
            System.out.println("backend " + backend.name() + ": " + backend.device());
            System.out.print(net.summary());
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                trainer.epoch(train);
                Trainer.Evaluation e = trainer.evaluate(test);
                System.out.printf(Locale.ROOT, "epoch %2d: test loss %.4f, accuracy %.3f%n", epoch, e.loss(), e.accuracy());
            }
            for (Parameter p : net.parameters()) {
                if (p.name().equals("slope")) {
                    float[] a = backend.download(p.value());
                    System.out.printf(Locale.ROOT, "learned slopes (from 0.25): %s%n", range(a));
                }
            }
            float[] predicted = net.predict(test).values();
            Files.createDirectories(file.toAbsolutePath().getParent());
            ModelFile.save(net, file);                                   // PReLUCodec writes the layer's settings
            System.out.println("saved " + file + " (" + Files.size(file) + " bytes)");
            return predicted;
        }
    }

    /** Loads {@code file} and compares its predictions for {@code test} with {@code trained}; a difference ends the program. */
    private static void loadAndCompare(Path file, Dataset test, float[] trained) throws IOException {
        try (Backend backend = Backends.open();
             Network loaded = ModelFile.load(file, backend)) {           // the codec rebuilds each PReLU, the file its slopes
            float[] predicted = loaded.predict(test).values();
            int same = 0;
            for (int row = 0, k = loaded.outputWidth(); row < test.rows(); row++) {
                same += Arrays.equals(trained, row * k, (row + 1) * k, predicted, row * k, (row + 1) * k) ? 1 : 0;
            }
            System.out.println("loaded " + loaded + ": " + same + " of " + test.rows()
                    + " test predictions equal to the trained network's");
            for (float[] point : new float[][] {{0.1f, -0.2f}, {0.9f, 0.8f}}) {
                Prediction p = loaded.predict(point);
                System.out.printf(Locale.ROOT, "(%.1f, %.1f) is %s (p = %.3f)%n", point[0], point[1], p.className(),
                        p.probability());
            }
            if (same != test.rows()) {
                throw new IllegalStateException("the loaded model predicts otherwise than the one saved");
            }
        }
    }

    private static String range(float[] a) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return String.format(Locale.ROOT, "%d from %.3f to %.3f", a.length, min, max);
    }
}
