package dev.neurite.spark;

import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import java.io.Serializable;

/**
 * What the driver keeps between rounds and broadcasts: every parameter's values (in
 * {@link Network#parameters()} order), every layer's non-trained state such as batch norm's
 * running statistics, and the optimizer's state: its step count and the rule's matrices per
 * parameter (moment estimates, velocities), so replicas continue the rule where the last round
 * left it.
 *
 * @param parameters one array a parameter, row-major
 * @param states     one array a state matrix
 * @param optimizer  the optimizer's step count and state matrices
 */
public record Weights(float[][] parameters, float[][] states, Optimizer.State optimizer) implements Serializable {

    /** Downloads {@code net}'s values and {@code optimizer}'s state for its parameters. */
    public static Weights of(Network net, Optimizer optimizer) {
        return new Weights(net.parameterValues(), net.stateValues(), optimizer.state(net.backend(), net.parameters()));
    }

    /** Uploads the values into {@code net} and, unless null, the state into {@code optimizer}. */
    public void into(Network net, Optimizer optimizer) {
        net.setParameterValues(parameters);
        net.setStateValues(states);
        if (optimizer != null) {
            optimizer.restore(net.backend(), net.parameters(), this.optimizer);
        }
    }

    /** Optimizer steps behind these values. */
    public int steps() {
        return optimizer.step();
    }

    /** Values in all parameters. */
    public long count() {
        long n = 0;
        for (float[] p : parameters) {
            n += p.length;
        }
        return n;
    }
}
