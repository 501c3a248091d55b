package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Update;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Optimizer;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed task is retried and a lost cached partition recomputed without changing the result;
 * a run stopped after a checkpoint resumes to the same weights and Adam state.
 */
class FaultToleranceTest {
    private static final int COLS = 10;
    private static final int CLASSES = 4;
    private final List<Row> rows = LocalSpark.rows(128, COLS, CLASSES, 3);

    /** Softmax cross-entropy that throws once, in the first attempt of partition 1's task, mid-round. */
    static final class FailingOnce implements Loss, Serializable {
        static final AtomicInteger CALLS = new AtomicInteger();
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public void gradient(Backend backend, DeviceMatrix a, DeviceMatrix y, DeviceMatrix da) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 1 && task.attemptNumber() == 0 && CALLS.incrementAndGet() == 8
                    && FAILURES.getAndIncrement() == 0) {
                throw new IllegalStateException("injected failure in the first attempt of partition 1");
            }
            Loss.SOFTMAX_CROSS_ENTROPY.gradient(backend, a, y, da);
        }

        @Override
        public double value(float[] a, float[] y, int r, int c) {
            return Loss.SOFTMAX_CROSS_ENTROPY.value(a, y, r, c);
        }
    }

    private SparkTrainer trainer(Loss loss) {
        return new SparkTrainer(new Recipe(LocalSpark.mlp(COLS, 8, CLASSES), loss, Optimizer.of(Update.Kind.ADAM, 0.01f), 8))
                .seed(5).epochs(2).syncSteps(3);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsUnchanged() {
        Weights clean = trainer(Loss.SOFTMAX_CROSS_ENTROPY).fit(LocalSpark.frame(rows, 2)).weights();
        FailingOnce.CALLS.set(0);
        FailingOnce.FAILURES.set(0);
        Weights retried = trainer(new FailingOnce()).fit(LocalSpark.frame(rows, 2)).weights();
        assertEquals(1, FailingOnce.FAILURES.get(), "the failure was injected once");
        assertEquals(clean.steps(), retried.steps());
        for (int i = 0; i < clean.parameters().length; i++) {
            assertArrayEquals(clean.parameters()[i], retried.parameters()[i], "parameter " + i);
        }
    }

    @Test
    void lostCachedPartitionsAreRecomputedAndTheResultIsUnchanged() {
        Weights clean = trainer(Loss.SOFTMAX_CROSS_ENTROPY).fit(LocalSpark.frame(rows, 2)).weights();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        int[] cached = new int[2];
        Weights lost = trainer(Loss.SOFTMAX_CROSS_ENTROPY).onRound(r -> {
            if (r.epoch() == 1 && r.round() == 2) {
                // what an executor's loss does to the cache: its blocks are gone, the lineage stays
                cached[0] = jsc.getPersistentRDDs().keySet().stream()
                        .mapToInt(id -> SparkEnv.get().blockManager().removeRdd(id)).sum();
            } else if (r.epoch() == 1 && r.round() == 3) {
                cached[1] = SparkEnv.get().blockManager().getMatchingBlockIds(b -> b.isRDD()).size();
            }
        }).fit(LocalSpark.frame(rows, 2)).weights();
        assertEquals(2, cached[0], "cached partitions dropped");
        assertEquals(2, cached[1], "cached partitions after the next round recomputed them");
        for (int i = 0; i < clean.parameters().length; i++) {
            assertArrayEquals(clean.parameters()[i], lost.parameters()[i], "parameter " + i);
        }
    }

    @Test
    void aRunStoppedAfterACheckpointResumesToTheSameWeights(@TempDir Path dir) throws Exception {
        Weights whole = trainer(Loss.SOFTMAX_CROSS_ENTROPY).fit(LocalSpark.frame(rows, 2)).weights();
        Path file = dir.resolve("run.model");
        RuntimeException stop = new RuntimeException("stopped after round 5");
        // 128 rows, 2 partitions, batch 8: 8 steps an epoch, 3 rounds of up to 3 steps; checkpoints after rounds 2, 3 (epoch end), 4
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> trainer(Loss.SOFTMAX_CROSS_ENTROPY)
                .checkpoint(file, 2).onRound(r -> {
                    if (r.epoch() == 2 && r.round() == 2) {
                        throw stop;
                    }
                }).fit(LocalSpark.frame(rows, 2)));
        assertEquals(stop, thrown);
        assertTrue(Files.isRegularFile(file) && Files.isRegularFile(TrainingState.stateFile(file)));
        Weights resumed = trainer(Loss.SOFTMAX_CROSS_ENTROPY).resume(LocalSpark.frame(rows, 2), file).weights();
        assertEquals(whole.steps(), resumed.steps());
        for (int i = 0; i < whole.parameters().length; i++) {
            assertArrayEquals(whole.parameters()[i], resumed.parameters()[i], "parameter " + i);
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(whole.optimizer().values()[i][k], resumed.optimizer().values()[i][k],
                        "Adam state " + k + " of parameter " + i);
            }
        }
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> trainer(Loss.SOFTMAX_CROSS_ENTROPY).seed(6).resume(LocalSpark.frame(rows, 2), file));
        assertTrue(other.getMessage().contains("seed 5"), other.getMessage());
    }
}
