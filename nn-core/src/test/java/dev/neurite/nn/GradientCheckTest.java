package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagation against central differences, for every activation and every loss:
 * ∂L/∂θ ≈ (L(θ + h) - L(θ - h)) / 2h, with L evaluated in double precision on the host from
 * the network's outputs, for each parameter of a 4-5-3 network on a batch of 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GradientCheckTest {
    private static final float H = 1e-3f;
    private Backend backend;

    @BeforeAll
    void open() {
        backend = Backends.open("cpu");
    }

    @AfterAll
    void close() {
        backend.close();
    }

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
        Random rnd = new Random(42);
        int batch = 3;
        float[] xs = new float[batch * 4];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rnd.nextGaussian();
        }
        float[] targets = new float[batch * 3];
        for (int r = 0; r < batch; r++) {
            targets[r * 3 + rnd.nextInt(3)] = 1f;
        }
        try (Network net = Network.builder(4).dense(5, Init.XAVIER, hidden).dense(3, Init.XAVIER).build(backend, 7);
             DeviceMatrix x = backend.upload(xs, batch, 4);
             DeviceMatrix y = backend.upload(targets, batch, 3);
             DeviceMatrix grad = backend.allocate(batch, 3)) {
            DeviceMatrix out = net.forward(x, true);
            loss.gradient(backend, out, y, grad);
            net.backward(grad);
            for (Parameter p : net.parameters()) {
                float[] analytic = backend.download(p.grad());
                float[] value = backend.download(p.value());
                for (int i = 0; i < value.length; i++) {
                    float saved = value[i];
                    value[i] = saved + H;
                    backend.upload(value, p.value());
                    double plus = lossOf(net, x, loss, targets, batch);
                    value[i] = saved - H;
                    backend.upload(value, p.value());
                    double minus = lossOf(net, x, loss, targets, batch);
                    value[i] = saved;
                    backend.upload(value, p.value());
                    double numeric = (plus - minus) / (2 * H);
                    double tol = 2e-3 + 1e-2 * Math.abs(numeric);
                    if (Math.abs(numeric - analytic[i]) > tol) {
                        fail(hidden + "/" + loss + ": " + p.name() + "[" + i + "] back-propagation gives "
                                + analytic[i] + ", central difference " + numeric);
                    }
                }
            }
        }
    }

    private double lossOf(Network net, DeviceMatrix x, Loss loss, float[] targets, int batch) {
        float[] out = backend.download(net.forward(x, false));
        return loss.value(out, targets, batch, 3);
    }
}
