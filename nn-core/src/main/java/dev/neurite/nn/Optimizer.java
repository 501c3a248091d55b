package dev.neurite.nn;

import dev.neurite.backend.Backend;
import java.util.List;

/** Updates parameters from their gradients, on the device. */
public interface Optimizer {

    /** One update of every parameter from its current gradient. */
    void step(Backend backend, List<Parameter> parameters);

    /** Gradient descent: θ ← θ - η·∇θ (full batch, stochastic or mini-batch, by the trainer's batch size). */
    static Optimizer sgd(float learningRate) {
        return new Optimizer() {
            @Override
            public void step(Backend backend, List<Parameter> parameters) {
                for (Parameter p : parameters) {
                    backend.axpy(-learningRate, p.grad(), p.value());
                }
            }

            @Override
            public String toString() {
                return "sgd(lr=" + learningRate + ")";
            }
        };
    }
}
