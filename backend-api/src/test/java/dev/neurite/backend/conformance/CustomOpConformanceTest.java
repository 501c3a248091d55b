package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A user-registered element-wise op runs on every backend, as its expression says. */
class CustomOpConformanceTest extends ConformanceBase {
    /** softsign(x) = x / (1 + |x|), and its derivative 1 / (1 + |x|)². */
    static final CustomOp SOFTSIGN = new CustomOp("softsign", "x / (1.0f + fabs(x))", x -> x / (1f + Math.abs(x)));
    static final CustomOp SOFTSIGN_DERIVATIVE = new CustomOp("softsign_derivative",
            "1.0f / ((1.0f + fabs(x)) * (1.0f + fabs(x)))", x -> 1f / ((1f + Math.abs(x)) * (1f + Math.abs(x))));

    @Test
    void aCustomActivationAndItsDerivativeMatchTheirDefinition() {
        int rows = 33;
        int cols = 31;
        float[] x = random(new Random(11), rows * cols, -10, 10);
        float[] y = new float[x.length];
        float[] dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = 1 + Math.abs((double) x[i]);
            y[i] = (float) (x[i] / d);
            dy[i] = (float) (1 / (d * d));
        }
        DeviceMatrix dx = up(x, rows, cols);
        DeviceMatrix out = zeros(rows, cols);
        backend.apply(SOFTSIGN, dx, out);
        assertNear("softsign on " + backendName, y, backend.download(out), 4 * U, 1e-7);
        backend.apply(SOFTSIGN_DERIVATIVE, dx, dx);
        assertNear("softsign' in place on " + backendName, dy, backend.download(dx), 8 * U, 1e-7);
    }

    @Test
    void shapesAndNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> backend.apply(SOFTSIGN, zeros(2, 3), zeros(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> new CustomOp("soft sign", "x", x -> x));
        assertThrows(IllegalArgumentException.class, () -> new CustomOp("evil", "x; }", x -> x));
    }
}
