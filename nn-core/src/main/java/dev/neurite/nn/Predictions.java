package dev.neurite.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What a network predicts for many samples ({@link Network#predict(Dataset)}).
 *
 * @param head       how the outputs became these values
 * @param rows       samples
 * @param width      values a sample: classes ({@link OutputHead#classes}) or regression targets
 * @param labels     the predicted class of each sample; empty for a regression
 * @param values     rows x width, row-major: class probabilities, or the predicted values of a regression
 * @param classNames the model's class names, empty when it has none
 */
public record Predictions(OutputHead head, int rows, int width, int[] labels, float[] values, List<String> classNames) {

    /** The predicted class of sample {@code row}. */
    public int label(int row) {
        if (!head.classifies()) {
            throw new IllegalStateException("a regression predicts values, not classes");
        }
        return labels[row];
    }

    /** The name of the predicted class of sample {@code row} (its index as text when the model has no names). */
    public String className(int row) {
        int label = label(row);
        return classNames.isEmpty() ? Integer.toString(label) : classNames.get(label);
    }

    /** Sample {@code row}'s values: class probabilities or regression values. */
    public float[] values(int row) {
        return Arrays.copyOfRange(values, row * width, (row + 1) * width);
    }

    /** Sample {@code row} alone. */
    public Prediction get(int row) {
        return head.classifies() ? new Prediction(labels[row], className(row), values(row))
                : new Prediction(-1, null, values(row));
    }
}
