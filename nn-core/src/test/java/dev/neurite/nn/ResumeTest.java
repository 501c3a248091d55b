package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.Update;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resuming exactly: 2 epochs, a checkpoint, a resume in a fresh trainer, 2 more epochs give the
 * same bits as 4 uninterrupted epochs on the CPU backend (weights, layer state, optimizer state),
 * for SGD and Adam, with dropout and batch norm, with decay and penalties.
 */
class ResumeTest {

    record Recipe(String name, Supplier<Optimizer> optimizer, boolean dropoutAndBatchNorm) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> recipes() {
        return Stream.of(
                Arguments.of(new Recipe("sgd", () -> Optimizer.sgd(0.3f), false)),
                Arguments.of(new Recipe("adam", () -> Optimizer.of(Update.Kind.ADAM, 0.01f), false)),
                Arguments.of(new Recipe("adam with decay, dropout and batch norm",
                        () -> Optimizer.of(Update.Kind.ADAM, 0.01f).withDecay(0.01f), true)),
                Arguments.of(new Recipe("momentum, dropout and batch norm", () -> Optimizer.momentum(0.05f, 0.9f), true)));
    }

    static Network net(Backend backend, boolean dropoutAndBatchNorm) {
        Network.Builder b = Network.builder(16).dense(12, Init.HE);
        if (dropoutAndBatchNorm) {
            b.batchNorm().activation(Activation.RELU).dropout(0.3f);
        } else {
            b.activation(Activation.RELU);
        }
        return b.dense(4, Init.XAVIER).build(backend, 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void twoPlusTwoEpochsEqualFour(Recipe recipe, @TempDir Path dir) throws IOException {
        Dataset data = OptimizerTest.toyData(130, 3);
        Path file = dir.resolve("after2.ckpt");
        try (Backend backend = Backends.open("cpu")) {
            float[][] straight;
            float[][] straightState;
            Optimizer.State straightOptimizer;
            Optimizer o = recipe.optimizer().get();
            try (Network net = net(backend, recipe.dropoutAndBatchNorm());
                 Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, o, 16, 9).regularize(1e-3f, 1e-3f)) {
                for (int e = 0; e < 4; e++) {
                    t.epoch(data);
                }
                straight = net.parameterValues();
                straightState = net.stateValues();
                straightOptimizer = o.state(backend, net.parameters());
            }
            try (Network net = net(backend, recipe.dropoutAndBatchNorm());
                 Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, recipe.optimizer().get(), 16, 9)
                         .regularize(1e-3f, 1e-3f)) {
                t.epoch(data);
                t.epoch(data);
                t.save(file);
            }
            try (Trainer t = Trainer.resume(file, backend)) {
                assertEquals(2, t.epochs());
                assertEquals(18, t.steps(), "9 steps of 16 rows (the last of 2) an epoch");
                t.epoch(data);
                t.epoch(data);
                assertDeepEquals(straight, t.network().parameterValues());
                assertDeepEquals(straightState, t.network().stateValues());
                Optimizer.State resumed = t.optimizer().state(backend, t.network().parameters());
                assertEquals(straightOptimizer.step(), resumed.step());
                for (int i = 0; i < resumed.values().length; i++) {
                    assertDeepEquals(straightOptimizer.values()[i], resumed.values()[i]);
                }
            }
        }
    }

    /** Through Fit: its latest-state file resumes the run, epochs counting on, history kept. */
    @Test
    void aFitRunResumesFromItsLatestFile(@TempDir Path dir) throws IOException {
        Dataset[] parts = OptimizerTest.toyData(200, 4).split(0.25, 2);
        Path latest = dir.resolve("latest.ckpt");
        try (Backend backend = Backends.open("cpu")) {
            Fit.Result straight;
            float[][] straightValues;
            try (Network net = net(backend, true);
                 Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 0.01f), 10, 3)) {
                straight = new Fit().epochs(5).run(t, parts[0], parts[1]);
                straightValues = net.parameterValues();
            }
            try (Network net = net(backend, true);
                 Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 0.01f), 10, 3)) {
                Fit.Result first = new Fit().epochs(3).latest(latest).run(t, parts[0], parts[1]);
                assertEquals(3, first.epochs());
            }
            int[] told = new int[1];
            try (Trainer t = Trainer.resume(latest, backend)) {
                Fit.Result rest = new Fit().epochs(5).onEpoch((e, tr, v) -> told[0] = e).run(t, parts[0], parts[1]);
                assertEquals(5, told[0], "the epochs after the resume are numbered on");
                assertEquals(straight.history(), rest.history());
                assertEquals(straight.bestEpoch(), rest.bestEpoch());
                assertDeepEquals(straightValues, t.network().parameterValues());
            }
        }
    }

    @Test
    void aModelFileIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.nrtm");
        try (Backend backend = Backends.open("cpu")) {
            try (Network net = net(backend, false)) {
                ModelFile.save(net, file);
            }
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> Trainer.resume(file, backend));
            assertTrue(e.getMessage().contains("no training state"), e.getMessage());
        }
    }

    /** A checkpoint loads as a model too. */
    @Test
    void aCheckpointLoadsAsAModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.ckpt");
        try (Backend backend = Backends.open("cpu");
             Network net = net(backend, true);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 10, 3)) {
            t.epoch(OptimizerTest.toyData(50, 1));
            t.save(file);
            try (Network back = ModelFile.load(file, backend)) {
                assertDeepEquals(net.parameterValues(), back.parameterValues());
                assertEquals(OutputHead.SOFTMAX, back.head());
            }
        }
        assertTrue(Files.size(file) > 0);
    }

    static void assertDeepEquals(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "array " + i);
        }
    }
}
