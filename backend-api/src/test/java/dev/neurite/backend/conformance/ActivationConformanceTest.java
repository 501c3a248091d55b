package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every activation of the catalogue, forward and backward, against the double reference. */
class ActivationConformanceTest extends ConformanceBase {
    private static final int[][] SHAPES = {{1, 1}, {3, 17}, {33, 31}, {17, 1000}, {128, 10}};
    private static final float[] SPECIAL = {0f, -0f, 1e-3f, -1e-3f, 30f, -30f, 100f, -100f, 1f, -1f};
    private static final double REL = 2e-5;
    private static final double ABS = 1e-6;

    static List<Activation> catalogue() {
        List<Activation> all = new ArrayList<>();
        for (Activation.Kind kind : Activation.Kind.values()) {
            switch (kind) {
                case LEAKY_RELU -> all.add(Activation.leakyRelu(0.1f));
                case ELU -> all.add(Activation.elu(0.7f));
                default -> all.add(new Activation(kind, 0f));
            }
        }
        return all;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation f : catalogue()) {
            for (int[] s : SHAPES) {
                cases.add(Arguments.of(f, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    private static float[] inputs(Random rnd, int n) {
        float[] x = random(rnd, n, -8, 8);
        for (int i = 0; i < Math.min(n, SPECIAL.length); i++) {
            x[(i * 7) % n] = SPECIAL[i];
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void forwardMatchesReference(Activation f, int rows, int cols) {
        float[] x = inputs(new Random(rows * 131L + cols), rows * cols);
        DeviceMatrix y = zeros(rows, cols);
        backend.activationForward(f, up(x, rows, cols), y);
        assertNear(f + " forward " + rows + "x" + cols + " on " + backendName,
                Reference.forward(f, x, rows, cols), backend.download(y), REL, ABS);
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void backwardMatchesReference(Activation f, int rows, int cols) {
        Random rnd = new Random(rows * 37L + cols);
        float[] x = inputs(rnd, rows * cols);
        float[] dy = random(rnd, rows * cols, -2, 2);
        float[] y = Reference.forward(f, x, rows, cols);
        DeviceMatrix dx = zeros(rows, cols);
        backend.activationBackward(f, up(x, rows, cols), up(y, rows, cols), up(dy, rows, cols), dx);
        assertNear(f + " backward " + rows + "x" + cols + " on " + backendName,
                Reference.backward(f, x, y, dy, rows, cols), backend.download(dx), REL, ABS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void inPlaceForwardAndBackward(Activation f) {
        Random rnd = new Random(5);
        int rows = 7;
        int cols = 19;
        float[] x = inputs(rnd, rows * cols);
        float[] dy = random(rnd, rows * cols, -1, 1);
        float[] y = Reference.forward(f, x, rows, cols);
        DeviceMatrix inPlace = up(x, rows, cols);
        backend.activationForward(f, inPlace, inPlace);
        assertNear(f + " forward in place", y, backend.download(inPlace), REL, ABS);
        DeviceMatrix grad = up(dy, rows, cols);
        backend.activationBackward(f, up(x, rows, cols), up(y, rows, cols), grad, grad);
        assertNear(f + " backward in place", Reference.backward(f, x, y, dy, rows, cols),
                backend.download(grad), REL, ABS);
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        float[] x = {1000f, 1000f, -1000f, -500f, -500f, 88f};
        DeviceMatrix y = zeros(2, 3);
        backend.activationForward(Activation.SOFTMAX, up(x, 2, 3), y);
        float[] expected = Reference.forward(Activation.SOFTMAX, x, 2, 3);
        assertNear("softmax of large logits", expected, backend.download(y), 1e-6, 1e-7);
    }

    @Test
    void mismatchedShapesNameTheOp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.activationForward(Activation.SIGMOID, zeros(3, 4), zeros(4, 3)));
        assertTrue(e.getMessage().contains("sigmoid") && e.getMessage().contains("3x4")
                && e.getMessage().contains("4x3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.activationBackward(Activation.RELU,
                zeros(2, 2), zeros(2, 2), zeros(2, 3), zeros(2, 2)));
    }
}
