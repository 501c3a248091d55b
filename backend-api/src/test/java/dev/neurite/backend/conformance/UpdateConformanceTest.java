package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fused optimizer rule, three steps, against the double-precision reference. */
class UpdateConformanceTest extends ConformanceBase {
    private static final int[][] SHAPES = {{1, 1}, {33, 31}, {128, 784}};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Update.Kind kind : Update.Kind.values()) {
            for (int[] s : SHAPES) {
                cases.add(Arguments.of(kind, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void threeStepsMatchTheReference(Update.Kind kind, int rows, int cols) {
        Random rnd = new Random(kind.ordinal() * 100L + rows);
        int n = rows * cols;
        float[] theta = random(rnd, n, -1, 1);
        float[] s1 = new float[n];
        float[] s2 = new float[n];
        float[] s3 = new float[n];
        DeviceMatrix dTheta = up(theta, rows, cols);
        DeviceMatrix d1 = zeros(rows, cols);
        DeviceMatrix d2 = zeros(rows, cols);
        DeviceMatrix d3 = zeros(rows, cols);
        float beta1 = 0.9f;
        for (int t = 1; t <= 3; t++) {
            float[] g = random(rnd, n, -2, 2);
            Update u = new Update(kind, beta1, 0.999f, 1e-7f);
            backend.update(u, 0.01f, t, dTheta, up(g, rows, cols), d1, d2, d3);
            Reference.update(u, 0.01f, t, theta, g, s1, s2, s3);
        }
        String what = kind + " " + rows + "x" + cols + " on " + backendName;
        assertNear(what + " θ", theta, backend.download(dTheta), 2e-5, 1e-6);
        assertNear(what + " s1", s1, backend.download(d1), 2e-5, 1e-7);
        if (kind.states() > 1) {
            assertNear(what + " s2", s2, backend.download(d2), 2e-5, 1e-7);
        }
        if (kind.states() > 2) {
            assertNear(what + " s3", s3, backend.download(d3), 2e-5, 1e-7);
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        Update u = new Update(Update.Kind.ADAM, 0.9f, 0.999f, 1e-8f);
        assertThrows(IllegalArgumentException.class,
                () -> backend.update(u, 0.1f, 1, zeros(2, 3), zeros(2, 3), zeros(3, 2), zeros(2, 3), zeros(2, 3)));
    }

    @Test
    void aStepCountBelowOneIsRefused() {
        Update u = new Update(Update.Kind.ADAM, 0.9f, 0.999f, 1e-8f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.update(u, 0.1f, 0, zeros(2, 3), zeros(2, 3), zeros(2, 3), zeros(2, 3), zeros(2, 3)));
        assertTrue(e.getMessage().contains("update ADAM") && e.getMessage().contains("got 0"), e.getMessage());
    }
}
