package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.Update;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameters, layer state and optimizer state leave the device and come back unchanged. */
class HostStateTest {

    static Stream<Optimizer> optimizers() {
        return Stream.of(Optimizer.sgd(0.3f).withDecay(0.1f), Optimizer.momentum(0.1f, 0.9f),
                Optimizer.of(Update.Kind.ADAM, 0.01f).withDecay(0.05f), Optimizer.of(Update.Kind.AMSGRAD, 0.01f));
    }

    private static Network net(Backend backend, long seed) {
        return Network.builder(16).dense(12, Init.XAVIER).batchNorm().activation(Activation.TANH).dense(4, Init.XAVIER)
                .build(backend, seed);
    }

    /**
     * A copy made from the host values (another network, another optimizer rebuilt from the
     * settings) continues exactly as the original does: one more epoch gives the same bits.
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void aCopyFromTheHostContinuesBitForBit(Optimizer optimizer) {
        Dataset data = OptimizerTest.toyData(100, 3);
        try (Backend backend = Backends.open("cpu");
             Network a = net(backend, 1);
             Network b = net(backend, 2);
             Trainer ta = new Trainer(a, Loss.SOFTMAX_CROSS_ENTROPY, optimizer, 10, 7)) {
            ta.epoch(data);
            Optimizer copy = Optimizer.of(optimizer.settings());
            assertEquals(optimizer.settings(), copy.settings());
            b.setParameterValues(a.parameterValues());
            b.setStateValues(a.stateValues());
            copy.restore(backend, b.parameters(), optimizer.state(backend, a.parameters()));
            assertEquals(optimizer.steps(), copy.steps());
            assertEquals(optimizer.learningRate(), copy.learningRate());
            try (Trainer tb = new Trainer(b, Loss.SOFTMAX_CROSS_ENTROPY, copy, 10, 8)) {
                int[] order = java.util.stream.IntStream.range(0, data.rows()).toArray();
                for (int from = 0; from < data.rows(); from += 10) {
                    ta.step(data, order, from, from + 10);
                    tb.step(data, order, from, from + 10);
                }
            }
            assertDeepEquals(a.parameterValues(), b.parameterValues());
            assertDeepEquals(a.stateValues(), b.stateValues());
        }
    }

    @Test
    void stateHoldsTheRulesMatricesPerParameter() {
        Dataset data = OptimizerTest.toyData(40, 3);
        Optimizer adam = Optimizer.of(Update.Kind.ADAM, 0.01f);
        try (Backend backend = Backends.open("cpu");
             Network net = net(backend, 1);
             Trainer t = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, adam, 10, 7)) {
            Optimizer.State fresh = adam.state(backend, net.parameters());
            assertEquals(0, fresh.step());
            assertEquals(0f, fresh.values()[0][0][5]);
            t.epoch(data);
            Optimizer.State s = adam.state(backend, net.parameters());
            assertEquals(4, s.step());
            assertEquals(net.parameters().size(), s.values().length);
            for (int i = 0; i < s.values().length; i++) {
                assertEquals(2, s.values()[i].length);
                assertEquals(net.parameters().get(i).value().size(), s.values()[i][1].length);
            }
            assertTrue(s.values()[0][1][0] > 0, "Adam's second moment after four steps");
            assertEquals(2, net.state().size(), "batch norm's running mean and variance");
        }
    }

    @Test
    void mismatchedValuesAreRefusedBeforeAnythingChanges() {
        try (Backend backend = Backends.open("cpu"); Network net = net(backend, 1)) {
            float[][] before = net.parameterValues();
            float[][] wrong = net.parameterValues();
            wrong[3] = new float[1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.setParameterValues(wrong));
            assertTrue(e.getMessage().contains("parameter 3"), e.getMessage());
            assertDeepEquals(before, net.parameterValues());
            assertThrows(IllegalArgumentException.class, () -> net.setStateValues(new float[1][]));
            Optimizer adam = Optimizer.of(Update.Kind.ADAM, 0.01f);
            Optimizer.State sgdState = Optimizer.sgd(1f).state(backend, net.parameters());
            e = assertThrows(IllegalArgumentException.class, () -> adam.restore(backend, net.parameters(), sgdState));
            assertTrue(e.getMessage().contains("holds 0 matrices"), e.getMessage());
            adam.close();
        }
    }

    private static void assertDeepEquals(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "array " + i);
        }
    }
}
