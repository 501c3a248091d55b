package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Axis;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sum, mean, max, min, argmax, sum of squares along rows, columns and over all. */
class ReductionConformanceTest extends ConformanceBase {
    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {3, 17}, {33, 31}, {10, 10},
        {1000, 784}, {784, 1000}, {1, 100_003}};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Reduction op : Reduction.values()) {
            for (Axis axis : Axis.values()) {
                for (int[] s : SHAPES) {
                    cases.add(Arguments.of(op, axis, s[0], s[1]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} along {1} of {2}x{3}")
    @MethodSource("cases")
    void matchesReference(Reduction op, Axis axis, int rows, int cols) {
        Random rnd = new Random(op.ordinal() * 1000L + axis.ordinal() * 100L + rows + cols);
        float[] x = random(rnd, rows * cols, -1, 1);
        DeviceMatrix out = zeros(axis.resultRows(rows), axis.resultCols(cols));
        backend.reduce(op, axis, up(x, rows, cols), out);
        float[] actual = backend.download(out);
        float[] expected = Reference.reduce(op, axis, x, rows, cols);
        String what = op + " along " + axis + " of " + rows + "x" + cols + " on " + backendName;
        switch (op) {
            case MAX, MIN, ARGMAX -> assertArrayEquals(expected, actual, what);
            default -> {
                float[] abs = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    abs[i] = op == Reduction.SUM_OF_SQUARES ? x[i] * x[i] : Math.abs(x[i]);
                }
                float[] magnitude = Reference.reduce(op == Reduction.MEAN ? Reduction.MEAN : Reduction.SUM,
                        axis, abs, rows, cols);
                double[] scale = new double[magnitude.length];
                for (int i = 0; i < scale.length; i++) {
                    scale[i] = magnitude[i];
                }
                int count = axis == Axis.ROW ? cols : axis == Axis.COLUMN ? rows : rows * cols;
                assertNear(what, expected, actual, scale, (8 * Math.sqrt(count) + 8) * U, 1e-30);
            }
        }
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        float[] x = {3, 5, 5, 1, 7, 7, 7, 0};
        DeviceMatrix m = up(x, 2, 4);
        DeviceMatrix rows = zeros(2, 1);
        backend.reduce(Reduction.ARGMAX, Axis.ROW, m, rows);
        assertArrayEquals(new float[] {1, 0}, backend.download(rows));
        DeviceMatrix all = zeros(1, 1);
        backend.reduce(Reduction.ARGMAX, Axis.ALL, m, all);
        assertArrayEquals(new float[] {4}, backend.download(all));
        DeviceMatrix cols = zeros(1, 3);
        backend.reduce(Reduction.ARGMAX, Axis.COLUMN, up(new float[] {1, 2, 2, 2, 1, 2}, 2, 3), cols);
        assertArrayEquals(new float[] {1, 0, 0}, backend.download(cols));
    }

    @Test
    void wrongResultShapeNamesTheReduction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.reduce(Reduction.SUM, Axis.ROW, zeros(4, 3), zeros(1, 3)));
        assertTrue(e.getMessage().contains("SUM") && e.getMessage().contains("4x3")
                && e.getMessage().contains("4x1"), e.getMessage());
    }
}
