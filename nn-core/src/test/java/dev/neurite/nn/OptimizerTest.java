package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer trains: the loss of a small softmax classifier falls by more than half in 15 epochs. */
class OptimizerTest {

    static Stream<Arguments> optimizers() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("sgd", Optimizer.sgd(0.5f)));
        all.add(Arguments.of("sgd with decay", Optimizer.sgd(0.5f).withDecay(0.01f)));
        all.add(Arguments.of("momentum", Optimizer.momentum(0.1f, 0.9f)));
        all.add(Arguments.of("nesterov", Optimizer.nesterov(0.1f, 0.9f)));
        for (Update.Kind kind : Update.Kind.values()) {
            if (kind != Update.Kind.MOMENTUM && kind != Update.Kind.NESTEROV) {
                all.add(Arguments.of(kind.name().toLowerCase(), Optimizer.of(kind, kind == Update.Kind.ADADELTA ? 1f : 0.01f)));
            }
        }
        return all.stream();
    }

    /** 16 features, 4 classes: class c lights feature c, over noise. */
    static Dataset toyData(int rows, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[rows * 16];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rnd.nextInt(4);
            for (int c = 0; c < 16; c++) {
                x[r * 16 + c] = rnd.nextFloat() * 0.5f + (c == y[r] ? 1f : 0f);
            }
        }
        return new Dataset(x, y, 16, 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void lossFallsByMoreThanHalf(String name, Optimizer optimizer) {
        Dataset data = toyData(400, 3);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(12, Init.XAVIER, Activation.TANH).dense(4, Init.XAVIER)
                     .build(backend, 2);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, optimizer, 20, 4)) {
            double before = trainer.evaluate(data).loss();
            for (int e = 0; e < 15; e++) {
                trainer.epoch(data);
            }
            double after = trainer.evaluate(data).loss();
            assertTrue(after < 0.5 * before, name + ": loss " + before + " -> " + after);
        }
    }

    @Test
    void timeBasedDecayShrinksTheRate() {
        Optimizer o = Optimizer.sgd(1f).withDecay(0.5f);
        assertEquals(1f, o.learningRate());
        try (Backend backend = Backends.open("cpu")) {
            o.step(backend, List.of());
            assertEquals(1f / 1.5f, o.learningRate(), 1e-7f);
        }
    }
}
