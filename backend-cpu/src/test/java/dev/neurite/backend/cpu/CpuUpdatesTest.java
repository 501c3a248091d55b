package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Update;
import org.junit.jupiter.api.Test;

/**
 * Optimizer state never becomes subnormal: a moment whose gradients stop (a dead unit) decays to
 * exactly zero, and tiny gradients square to zero, on the vector lanes and the scalar tail alike.
 */
class CpuUpdatesTest {
    /** 37 elements: two 16-lane vectors (or four of 8) and a scalar tail. */
    private static final int N = 37;

    @Test
    void decayingStateGoesToZeroWithoutBecomingSubnormal() {
        for (Update.Kind kind : Update.Kind.values()) {
            float[] theta = new float[N];
            float[] g = new float[N];
            float[][] s = {new float[N], new float[N], new float[N]};
            java.util.Arrays.fill(g, 0.5f);
            step(kind, 1, theta, g, s);
            java.util.Arrays.fill(g, 0f);
            for (int t = 2; t <= 3000; t++) {
                step(kind, t, theta, g, s);
                for (int k = 0; k < kind.states(); k++) {
                    for (int i = 0; i < N; i++) {
                        assertNotSubnormal(kind + " state " + (k + 1) + " element " + i + " at step " + t, s[k][i]);
                    }
                }
            }
            if (kind != Update.Kind.ADAGRAD && kind != Update.Kind.AMSGRAD && kind != Update.Kind.ADADELTA) {
                assertEquals(0f, s[0][N - 1], kind + ": the first state has decayed to zero");
            }
        }
    }

    @Test
    void tinyGradientsAddNoSubnormalSquares() {
        for (Update.Kind kind : new Update.Kind[] {Update.Kind.ADAM, Update.Kind.RMSPROP, Update.Kind.ADAGRAD}) {
            float[] theta = new float[N];
            float[] g = new float[N];
            float[][] s = {new float[N], new float[N], new float[N]};
            java.util.Arrays.fill(g, 1e-20f);
            step(kind, 1, theta, g, s);
            int squares = kind == Update.Kind.ADAM ? 1 : 0;
            for (int i = 0; i < N; i++) {
                assertEquals(0f, s[squares][i], kind + ": a squared gradient of 1e-40 counts as zero");
            }
        }
    }

    @Test
    void ordinaryValuesAreNotFlushed() {
        float[] theta = new float[N];
        float[] g = new float[N];
        float[][] s = {new float[N], new float[N], new float[N]};
        java.util.Arrays.fill(g, 1e-6f);
        step(Update.Kind.ADAM, 1, theta, g, s);
        for (int i = 0; i < N; i++) {
            assertEquals(1e-7f, s[0][i], 1e-12f, "m = (1 - β1)·g");
            assertEquals(1e-15f, s[1][i], 1e-19f, "v = (1 - β2)·g²");
        }
    }

    private static void step(Update.Kind kind, int t, float[] theta, float[] g, float[][] s) {
        Update u = new Update(kind, 0.9f, 0.999f, 1e-7f);
        CpuUpdates.step(u, 1e-3f, u.c1(t), u.c2(t), theta, g, s[0], s[1], s[2], 0, N);
    }

    private static void assertNotSubnormal(String what, float x) {
        assertTrue(x == 0f || Math.abs(x) >= Float.MIN_NORMAL, what + " is subnormal: " + x);
    }
}
