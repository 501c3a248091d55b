package dev.neurite.nn;

import dev.neurite.backend.Activation;

/**
 * How a network's outputs become predictions: the function that turns them into class
 * probabilities, or none for a regression. It follows the loss the network was trained with
 * ({@link #forLoss}), and is stored in model files so a loaded model predicts as it was meant to.
 * One output unit with a classifying head is a binary classifier: its probability is
 * p(y = 1 | x), and it predicts class 1 when p ≥ 0.5.
 */
public enum OutputHead {
    /** Softmax of logits, for softmax cross-entropy: p = softmax(z) row by row. */
    SOFTMAX("softmax", Activation.SOFTMAX),
    /** Sigmoid of each logit, for binary cross-entropy: p_k = σ(z_k), one-vs-rest. */
    SIGMOID("sigmoid", Activation.SIGMOID),
    /** The outputs are the probabilities already, e.g. a sigmoid output layer trained with the quadratic loss. */
    AS_IS("as-is", null),
    /** A step of each output, for the perceptron: p_k = z_k ≥ 0 ? 1 : 0. */
    STEP("step", Activation.BINARY_STEP),
    /** A regression: the outputs are the predicted values, no classes. */
    VALUES("values", null);

    private final String code;
    private final Activation f;

    OutputHead(String code, Activation f) {
        this.code = code;
        this.f = f;
    }

    /**
     * The head for a network trained with {@code loss}: softmax for softmax cross-entropy, sigmoid
     * for binary cross-entropy, step for the perceptron criterion, and for the quadratic loss (or
     * a loss of your own) the outputs as they are, or values when the data is a regression.
     */
    public static OutputHead forLoss(Loss loss, boolean regression) {
        if (regression) {
            return VALUES;
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            return SOFTMAX;
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY) {
            return SIGMOID;
        }
        return loss == Loss.PERCEPTRON ? STEP : AS_IS;
    }

    /** False for {@link #VALUES}. */
    public boolean classifies() {
        return this != VALUES;
    }

    /** The number of classes a network of {@code outputs} units predicts with this head: 2 for one unit; 0 for values. */
    public int classes(int outputs) {
        return !classifies() ? 0 : outputs == 1 ? 2 : outputs;
    }

    /** The function applied to the outputs on the device, or null when they are used as they are. */
    Activation activation() {
        return f;
    }

    /**
     * The predicted class of the row of {@code width} raw outputs at {@code at}: the first largest
     * output, or for one unit 1 when its probability is at least ½.
     */
    int label(float[] outputs, int at, int width) {
        if (width == 1) {
            float z = outputs[at];
            return switch (this) {
                case SIGMOID, STEP -> z >= 0 ? 1 : 0;
                case AS_IS -> z >= 0.5f ? 1 : 0;
                case SOFTMAX, VALUES -> 0;
            };
        }
        int best = 0;
        for (int c = 1; c < width; c++) {
            if (outputs[at + c] > outputs[at + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The stable name model files store: "softmax", "sigmoid", "as-is", "step", "values". */
    public String code() {
        return code;
    }

    /** The head stored as {@code code}, or IllegalArgumentException listing the known ones. */
    public static OutputHead ofCode(String code) {
        for (OutputHead h : values()) {
            if (h.code.equals(code)) {
                return h;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not an output head (softmax, sigmoid, as-is, step, values)");
    }
}
