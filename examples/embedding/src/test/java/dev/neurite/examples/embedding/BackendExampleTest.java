package dev.neurite.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import org.junit.jupiter.api.Test;

/** Runs under Surefire with the two JVM flags in its argLine (see pom.xml). */
class BackendExampleTest {

    @Test
    void computesTheSigmoidOfTheProduct() {
        // x (2,3) · w (3,2) = [[4, 5], [10, 11]]
        float[] z = {4, 5, 10, 11};
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        assertArrayEquals(expected, BackendExample.run(), 1e-6f);
    }

    @Test
    void theCpuBackendIsOnTheClassPathAndOpens() {
        try (Backend cpu = Backends.open("cpu")) {
            assertEquals("cpu", cpu.name());
        }
    }
}
