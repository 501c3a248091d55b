package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neurite.backend.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The initializations draw the variances their papers give, and each activation gets its usual one. */
class InitTest {

    private static double variance(Init init, int fanIn, int fanOut) {
        float[] w = init.draw(200_000, fanIn, fanOut, new Random(1));
        double s = 0;
        for (float v : w) {
            s += (double) v * v;
        }
        return s / w.length;
    }

    @Test
    void variancesAreGlorotHeLeCunAndOne() {
        // 200,000 draws: the sample variance is within 1% (3 standard errors) of the true one
        assertEquals(2.0 / (300 + 100), variance(Init.XAVIER, 300, 100), 0.01 * 2.0 / 400);
        assertEquals(2.0 / 300, variance(Init.HE, 300, 100), 0.01 * 2.0 / 300);
        assertEquals(1.0 / 300, variance(Init.LECUN, 300, 100), 0.01 / 300);
        assertEquals(1.0, variance(Init.NORMAL, 300, 100), 0.01);
    }

    @Test
    void eachActivationHasItsDefault() {
        for (Activation f : new Activation[] {Activation.RELU, Activation.leakyRelu(0.1f), Activation.elu(1f),
                Activation.GELU, Activation.SOFTPLUS}) {
            assertEquals(Init.HE, Init.forActivation(f), f.toString());
        }
        for (Activation f : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX,
                Activation.IDENTITY, Activation.BINARY_STEP}) {
            assertEquals(Init.XAVIER, Init.forActivation(f), f.toString());
        }
        assertEquals(Init.LECUN, Init.forActivation(Activation.SELU));
    }

    @Test
    void codesAreStable() {
        for (Init i : Init.values()) {
            assertEquals(i, Init.ofCode(i.code()));
        }
        assertEquals("xavier", Init.XAVIER.code());
        assertEquals("lecun", Init.LECUN.code());
    }
}
