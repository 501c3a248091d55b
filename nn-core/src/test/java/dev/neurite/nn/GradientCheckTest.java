package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation against central differences ({@link GradientCheck#network}), for every
 * activation and every loss, on each parameter of a 4-5-3 network on a batch of 3.
 */
class GradientCheckTest extends OnCpu {
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation f = switch (kind) {
                case LEAKY_RELU -> Activation.leakyRelu(0.1f);
                case ELU -> Activation.elu(0.7f);
                default -> new Activation(kind, 0f);
            };
            cases.add(Arguments.of(f, Loss.QUADRATIC));
        }
        cases.add(Arguments.of(Activation.SIGMOID, Loss.SOFTMAX_CROSS_ENTROPY));
        cases.add(Arguments.of(Activation.TANH, Loss.BINARY_CROSS_ENTROPY));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} loss")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(Activation hidden, Loss loss) {
        try (Network net = Network.builder(4).dense(5, Init.XAVIER, hidden).dense(3, Init.XAVIER).build(backend, 7)) {
            float[][] before = net.parameterValues();
            GradientCheck.Report report = new GradientCheck().seed(42).tolerance(2e-3, 1e-2).network(net, loss);
            assertTrue(report.passed(), report.toString());
            assertEquals(4, report.tensors().size(), "two weights and two biases");
            float[][] after = net.parameterValues();
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], "the check leaves the parameters as they were");
            }
        }
    }

    /** A network with batch norm and dropout: masks rewound, statistics restored. */
    @Test
    void aNetworkWithBatchNormAndDropoutChecksAndKeepsItsState() {
        try (Network net = Network.builder(4).dense(6, Init.HE).batchNorm().activation(Activation.TANH).dropout(0.3f)
                .dense(1, Init.XAVIER).build(backend, 3)) {
            float[][] state = net.stateValues();
            long stream = net.streams().get(0).state();
            GradientCheck.Report report = new GradientCheck().batch(5).network(net, Loss.BINARY_CROSS_ENTROPY);
            assertTrue(report.passed(), report.toString());
            assertArrayEquals(state[1], net.stateValues()[1], "running variance restored");
            assertEquals(stream, net.streams().get(0).state(), "dropout's stream rewound");
        }
    }
}
