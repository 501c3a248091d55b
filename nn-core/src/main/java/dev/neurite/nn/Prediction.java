package dev.neurite.nn;

/**
 * What a network predicts for one sample.
 *
 * @param label     the predicted class, or -1 for a regression
 * @param className its name: the model's class name, or the index as text when it has none; null for a regression
 * @param values    the probability of each class (two for a single-unit binary classifier: p(0), p(1)), or the
 *                  predicted values of a regression
 */
public record Prediction(int label, String className, float[] values) {

    /** True for a regression's values, which have no class. */
    public boolean isRegression() {
        return label < 0;
    }

    /** The probability of the predicted class. */
    public float probability() {
        if (isRegression()) {
            throw new IllegalStateException("a regression predicts values, not class probabilities");
        }
        return values[label];
    }
}
