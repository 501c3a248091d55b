package dev.neurite.nn;

/**
 * Training diverged: the loss, the outputs or the weights stopped being finite numbers (or grew
 * so large that their squares overflow float32, |x| beyond about 1.8·10^19), so every later step
 * would only spread NaN. Thrown by {@link Trainer} and {@link Fit}; nothing is saved or
 * checkpointed from the diverged state. A smaller learning rate is the usual cure.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int step;
    private final double loss;

    DivergenceException(int epoch, int step, double loss, String what) {
        super("training diverged in epoch " + epoch + " at step " + step + ": loss " + loss + " (" + what
                + "); try a smaller learning rate");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** The epoch (from 1) in which divergence was seen. */
    public int epoch() {
        return epoch;
    }

    /** The step within that epoch (from 1) after which it was seen. */
    public int step() {
        return step;
    }

    /** The loss seen then: NaN, infinite, or finite with non-finite outputs or weights. */
    public double loss() {
        return loss;
    }
}
