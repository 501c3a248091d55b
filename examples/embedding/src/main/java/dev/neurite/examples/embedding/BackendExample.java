package dev.neurite.examples.embedding;

import dev.neurite.backend.*;
import java.util.Arrays;

/** README's first example: y = sigmoid(x · w) on whichever backend opens. */
public final class BackendExample {

    private BackendExample() {
    }

    public static void main(String[] args) {
        System.out.println("sigmoid(x · w) = " + Arrays.toString(run()));
    }

    /** x (2,3) · w (3,2) -> y (2,2), then the sigmoid: the four values of y, row-major. */
    static float[] run() {
        try (Backend backend = Backends.open();                       // -Dneurite.backend or auto
             DeviceMatrix x = backend.upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             DeviceMatrix w = backend.upload(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
             DeviceMatrix y = backend.allocate(2, 2)) {
            backend.gemm(Transpose.NONE, Transpose.NONE, 1f, x, w, 0f, y);   // x (2,3) · w (3,2) -> y (2,2)
            backend.activationForward(Activation.SIGMOID, y, y);
            float[] out = backend.download(y);
            System.out.println("backend " + backend.name() + ": " + backend.device());
            return out;
        }
    }
}
