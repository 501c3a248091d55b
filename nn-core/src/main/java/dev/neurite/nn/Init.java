package dev.neurite.nn;

import dev.neurite.backend.Activation;
import java.util.random.RandomGenerator;

/**
 * How initial weights are drawn: zero-mean normal with a variance from the layer's fan-in and
 * fan-out (for a dense layer in and out; for a convolution C·KH·KW and F·KH·KW). Biases start at
 * zero. {@link #forActivation} gives the usual choice for the activation that follows.
 */
public enum Init {
    /** N(0, 1), as in the classic MNIST lab. */
    NORMAL("normal"),
    /** N(0, 2/(fan_in + fan_out)): Glorot and Bengio (2010), for sigmoid, tanh, softmax and linear outputs. */
    XAVIER("xavier"),
    /** N(0, 2/fan_in): He et al. (2015), for ReLU and its family. */
    HE("he"),
    /** N(0, 1/fan_in): LeCun et al. (1998), for SELU (self-normalizing networks). */
    LECUN("lecun");

    private final String code;

    Init(String code) {
        this.code = code;
    }

    /**
     * The default for weights followed by {@code f}: He for the ReLU family (ReLU, leaky ReLU,
     * ELU, GELU, softplus), LeCun for SELU, Glorot for the rest (sigmoid, tanh, softmax, step,
     * identity: a linear output layer). The classic recipe asks for {@link #NORMAL} explicitly.
     */
    public static Init forActivation(Activation f) {
        return switch (f.kind()) {
            case RELU, LEAKY_RELU, ELU, GELU, SOFTPLUS -> HE;
            case SELU -> LECUN;
            case IDENTITY, BINARY_STEP, SIGMOID, TANH, SOFTMAX -> XAVIER;
        };
    }

    /** The standard deviation of the draws for these fans. */
    public double standardDeviation(int fanIn, int fanOut) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("init " + code + ": fan-in " + fanIn + " and fan-out " + fanOut
                    + " must be at least 1");
        }
        return switch (this) {
            case NORMAL -> 1.0;
            case XAVIER -> Math.sqrt(2.0 / ((double) fanIn + fanOut));
            case HE -> Math.sqrt(2.0 / fanIn);
            case LECUN -> Math.sqrt(1.0 / fanIn);
        };
    }

    /** {@code count} independent draws for a layer of these fans. */
    public float[] draw(int count, int fanIn, int fanOut, RandomGenerator rnd) {
        double sd = standardDeviation(fanIn, fanOut);
        float[] w = new float[count];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * sd);
        }
        return w;
    }

    /** The stable name model files store: "normal", "xavier", "he", "lecun". */
    public String code() {
        return code;
    }

    /** The initialization stored as {@code code}, or IllegalArgumentException listing the known ones. */
    public static Init ofCode(String code) {
        for (Init i : values()) {
            if (i.code.equals(code)) {
                return i;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not an initialization (normal, xavier, he, lecun)");
    }
}
