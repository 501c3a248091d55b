package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Trainer;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * K = 1, plain SGD, equal partitions: averaging the replicas after every step is synchronous SGD
 * at the global batch, so the weights equal single-machine training at batch partitions x batch
 * on the same rows in the same order, within float summation tolerance, after many steps. The
 * same holds for momentum, whose velocity is linear in the gradient, when the velocities are
 * averaged too: so the optimizer state travels and is averaged as it must be.
 */
class ExactnessTest {
    private static final int COLS = 12;
    private static final int CLASSES = 3;
    private static final int ROWS = 96;
    private static final int PARTITIONS = 2;
    private static final int BATCH = 8;
    private static final long SEED = 42;

    private final List<Row> rows = LocalSpark.rows(ROWS, COLS, CLASSES, 7);
    private Recipe recipe = recipe(Optimizer.sgd(0.5f));

    private static Recipe recipe(Optimizer optimizer) {
        return new Recipe(LocalSpark.mlp(COLS, 10, CLASSES), Loss.SOFTMAX_CROSS_ENTROPY, optimizer, BATCH);
    }

    @Test
    void averagingEveryStepIsSgdAtTheGlobalBatch() {
        sameAsSingleMachine();
    }

    @Test
    void averagingEveryStepWithMomentumIsMomentumAtTheGlobalBatch() {
        recipe = recipe(Optimizer.momentum(0.2f, 0.9f));
        sameAsSingleMachine();
    }

    private void sameAsSingleMachine() {
        int epochs = 3;
        Weights spark = new SparkTrainer(recipe).seed(SEED).epochs(epochs).syncSteps(1)
                .fit(LocalSpark.frame(rows, PARTITIONS)).weights();
        Weights single = singleMachine(epochs);
        assertEquals(epochs * (ROWS / PARTITIONS / BATCH), spark.steps());
        double moved = 0;
        for (int i = 0; i < single.parameters().length; i++) {
            for (int k = 0; k < single.parameters()[i].length; k++) {
                float a = spark.parameters()[i][k];
                float b = single.parameters()[i][k];
                assertEquals(b, a, 2e-6 * Math.max(1, Math.abs(b)), "parameter " + i + " value " + k);
                moved = Math.max(moved, Math.abs(b - initial().parameters()[i][k]));
            }
        }
        assertTrue(moved > 0.05, "training moved the weights by " + moved);
    }

    @Test
    void averagingLessOftenIsNotTheSame() {
        Weights spark = new SparkTrainer(recipe).seed(SEED).epochs(3).syncSteps(3)
                .fit(LocalSpark.frame(rows, PARTITIONS)).weights();
        Weights single = singleMachine(3);
        double worst = 0;
        for (int i = 0; i < single.parameters().length; i++) {
            for (int k = 0; k < single.parameters()[i].length; k++) {
                worst = Math.max(worst, Math.abs(spark.parameters()[i][k] - single.parameters()[i][k]));
            }
        }
        assertTrue(worst > 1e-3, "K = 3 differs from synchronous SGD by " + worst + " only");
    }

    /** One trainer, batch partitions x batch: step s takes partition 0's s-th batch, then partition 1's. */
    private Weights singleMachine(int epochs) {
        int perPartition = ROWS / PARTITIONS;
        float[] x = new float[ROWS * COLS];
        int[] y = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy((float[]) rows.get(r).get(0), 0, x, r * COLS, COLS);
            y[r] = rows.get(r).getInt(1);
        }
        Dataset data = new Dataset(x, y, COLS, CLASSES);
        try (Backend backend = Backends.open("cpu");
             Network net = recipe.network().build(backend, SEED);
             Trainer trainer = new Trainer(net, recipe.loss(), recipe.optimizer(), PARTITIONS * BATCH, SEED)) {
            for (int e = 1; e <= epochs; e++) {
                int[][] orders = new int[PARTITIONS][];
                for (int p = 0; p < PARTITIONS; p++) {
                    orders[p] = Schedule.order(SEED, p, e, perPartition);
                }
                int[] order = new int[PARTITIONS * BATCH];
                for (int s = 0; s < perPartition / BATCH; s++) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        for (int i = 0; i < BATCH; i++) {
                            order[p * BATCH + i] = p * perPartition + orders[p][s * BATCH + i];
                        }
                    }
                    trainer.step(data, order, 0, order.length);
                }
            }
            return new Weights(net.parameterValues(), net.stateValues(), null);
        }
    }

    private Weights initial() {
        try (Backend backend = Backends.open("cpu"); Network net = recipe.network().build(backend, SEED)) {
            return new Weights(net.parameterValues(), net.stateValues(), null);
        }
    }
}
