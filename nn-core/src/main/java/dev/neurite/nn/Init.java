package dev.neurite.nn;

import java.util.Random;

/** How a dense layer's weights are drawn; biases always start at zero. */
public enum Init {
    /** N(0, 1), as in the classic MNIST lab. */
    NORMAL,
    /** N(0, 1/fan_in) (Xavier/Glorot, for sigmoid and tanh). */
    XAVIER,
    /** N(0, 2/fan_in) (He, for ReLU). */
    HE;

    /** fanIn x fanOut weights, row-major. */
    float[] draw(int fanIn, int fanOut, Random rnd) {
        double sd = switch (this) {
            case NORMAL -> 1.0;
            case XAVIER -> Math.sqrt(1.0 / fanIn);
            case HE -> Math.sqrt(2.0 / fanIn);
        };
        float[] w = new float[fanIn * fanOut];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * sd);
        }
        return w;
    }
}
