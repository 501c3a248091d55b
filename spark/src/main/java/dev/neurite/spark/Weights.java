package dev.neurite.spark;

import dev.neurite.backend.DeviceMatrix;
import dev.neurite.nn.Layer;
import dev.neurite.nn.Network;
import dev.neurite.nn.Parameter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's learned values on the host, as the driver keeps them between rounds and
 * broadcasts them: every parameter (in {@link Network#parameters()} order) and every layer's
 * non-trained state such as batch norm's running statistics (layer order), plus the number of
 * optimizer steps taken so far.
 *
 * @param parameters one array a parameter, row-major
 * @param states     one array a state matrix
 * @param steps      optimizer steps behind these values
 */
public record Weights(float[][] parameters, float[][] states, long steps) implements Serializable {

    /** Downloads {@code net}'s values. */
    public static Weights of(Network net, long steps) {
        float[][] p = new float[net.parameters().size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = net.backend().download(net.parameters().get(i).value());
        }
        List<DeviceMatrix> states = states(net);
        float[][] s = new float[states.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = net.backend().download(states.get(i));
        }
        return new Weights(p, s, steps);
    }

    /** Uploads these values into {@code net}, which must have the same parameter and state shapes. */
    public void into(Network net) {
        List<Parameter> ps = net.parameters();
        List<DeviceMatrix> ss = states(net);
        check(net, ps.size(), ss.size());
        for (int i = 0; i < parameters.length; i++) {
            net.backend().upload(parameters[i], ps.get(i).value());
        }
        for (int i = 0; i < states.length; i++) {
            net.backend().upload(states[i], ss.get(i));
        }
    }

    private void check(Network net, int paramCount, int stateCount) {
        boolean same = paramCount == parameters.length && stateCount == states.length;
        for (int i = 0; same && i < paramCount; i++) {
            same = net.parameters().get(i).value().size() == parameters[i].length;
        }
        if (!same) {
            throw new IllegalArgumentException("weights of " + parameters.length + " parameters (" + count() + " values) "
                    + "do not fit network " + net + " (" + paramCount + " parameters)");
        }
    }

    /** Values in all parameters. */
    public long count() {
        long n = 0;
        for (float[] p : parameters) {
            n += p.length;
        }
        return n;
    }

    private static List<DeviceMatrix> states(Network net) {
        List<DeviceMatrix> all = new ArrayList<>();
        for (Layer l : net.layers()) {
            all.addAll(l.state());
        }
        return all;
    }
}
