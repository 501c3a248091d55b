package dev.neurite.bench;

import dev.neurite.nn.Dataset;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.util.Random;

/**
 * Random MNIST-shaped rows (784 features in [0, 1), 10 classes) for a {@link Preset}, laid out
 * as its network takes them, and steps of a trainer cycling through them in batches: the data
 * of the step profiles, where only the work of a step matters, not what is learnt.
 *
 * @param shape   flat 784 or a 1x28x28 image (LeNet)
 * @param data    {@code batches} batches of rows
 * @param order   the rows in order
 * @param batch   rows a step
 */
record StepData(Shape shape, Dataset data, int[] order, int batch) {

    /** {@code batches} batches of {@code batch} random rows, seeded. */
    static StepData random(Preset preset, int batch, int batches) {
        Shape shape = preset == Preset.LENET ? Shape.image(1, 28, 28) : Shape.flat(784);
        int rows = batch * batches;
        Random rnd = new Random(1);
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        return new StepData(shape, new Dataset(x, rnd.ints(rows, 0, 10).toArray(), shape, 10), order, batch);
    }

    /** {@code steps} training steps, cycling through the batches. */
    void steps(Trainer trainer, int steps) {
        for (int s = 0; s < steps; s++) {
            int from = s * batch % data.rows();
            trainer.step(data, order, from, from + batch);
        }
    }
}
