package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * What a {@link Layer} is given when it binds to a backend: the backend, and the one way to
 * obtain its parameters (matrices trained by gradient) and its state (matrices learned
 * otherwise, such as running statistics). Both are saved with the model in the order the layer
 * obtained them, and that order is also the order of {@link Network#parameters()}.
 *
 * <p>On a new network the initial values are drawn or set as the layer asks. When a network is
 * loaded, the same requests are answered with the stored values instead, nothing is drawn, and
 * each stored shape is checked against the request before any memory is allocated; a layer
 * therefore obtains its parameters and state before anything else it allocates from its
 * settings. Everything obtained here is closed if building the network fails.
 */
public final class Binding {

    /** The initial values of a new matrix, rows·cols row-major, drawn from {@code rnd} or computed. */
    @FunctionalInterface
    public interface Initial {
        float[] values(int rows, int cols, RandomGenerator rnd);
    }

    /** Stored values answering the requests of a network being loaded. */
    interface Source {
        /**
         * The values of the next matrix layer {@code layer} asks for, after checking that the
         * stored matrix is that one: a parameter or a state matrix, of this name and shape.
         */
        float[] next(int layer, boolean parameter, String name, int rows, int cols);
    }

    /** A named state matrix. */
    record State(String name, DeviceMatrix value) {
    }

    /** A layer bound: its shapes and everything it obtained here. */
    record Bound(Layer layer, Shape input, Shape output, List<Parameter> parameters, List<State> state,
                 RandomStream random) {
    }

    private final Backend backend;
    private final RandomGenerator draws;
    private final Source stored;
    private final long seed;
    private final List<DeviceMatrix> obtained = new ArrayList<>();
    private int layer = -1;
    private List<Parameter> parameters;
    private List<State> state;
    private RandomStream random;

    private Binding(Backend backend, RandomGenerator draws, Source stored, long seed) {
        this.backend = backend;
        this.draws = draws;
        this.stored = stored;
        this.seed = seed;
    }

    /** Initial values drawn from a generator seeded with {@code seed}, as {@link Network.Builder#build} does. */
    static Binding drawing(Backend backend, long seed) {
        return new Binding(backend, new Random(seed), null, seed);
    }

    /**
     * Binds {@code layer} alone, as the first layer of a network seeded with {@code seed}; on
     * failure closes what it obtained. For checks and tests of single layers.
     */
    static Bound alone(Layer layer, Backend backend, Shape in, long seed) {
        Binding b = drawing(backend, seed);
        b.begin(0);
        try {
            return b.end(layer, in, layer.bind(b, in));
        } catch (RuntimeException | Error e) {
            layer.close();
            b.closeAll();
            throw e;
        }
    }

    /** Initial values from {@code stored} (a model file), nothing drawn. */
    static Binding loading(Backend backend, Source stored) {
        return new Binding(backend, null, stored, 0);
    }

    /** The backend the layer binds to: it allocates its own buffers there. */
    public Backend backend() {
        return backend;
    }

    /**
     * Weights: a rows x cols parameter drawn from {@code init} for these fans, penalized by L1/L2.
     * Their gradient starts at zero.
     */
    public Parameter weights(String name, int rows, int cols, Init init, int fanIn, int fanOut) {
        init.standardDeviation(fanIn, fanOut);
        return parameter(name, rows, cols, true, (r, c, rnd) -> init.draw(Math.multiplyExact(r, c), fanIn, fanOut, rnd));
    }

    /** A rows x cols parameter starting at {@code initial} everywhere (biases, γ, β), not penalized. */
    public Parameter parameter(String name, int rows, int cols, float initial) {
        return parameter(name, rows, cols, false, constant(initial));
    }

    /** A rows x cols parameter with the given initial values and penalty. */
    public Parameter parameter(String name, int rows, int cols, boolean penalized, Initial initial) {
        DeviceMatrix value = obtain(true, name, rows, cols, initial);
        DeviceMatrix grad = track(backend.allocate(rows, cols));
        Parameter p = new Parameter(name, value, grad, penalized);
        parameters.add(p);
        return p;
    }

    /**
     * A rows x cols state matrix starting at {@code initial}: learned otherwise than by gradient
     * (e.g. running statistics), used at inference and saved with the model.
     */
    public DeviceMatrix state(String name, int rows, int cols, float initial) {
        DeviceMatrix m = obtain(false, name, rows, cols, constant(initial));
        state.add(new State(name, m));
        return m;
    }

    /**
     * The layer's own random stream, for draws while it runs (e.g. dropout masks), seeded from
     * the network's seed and the layer's position; checkpoints capture where it stands.
     */
    public RandomStream random() {
        requireLayer();
        if (random == null) {
            random = new RandomStream(RandomStream.derive(seed, layer));
        }
        return random;
    }

    private DeviceMatrix obtain(boolean parameter, String name, int rows, int cols, Initial initial) {
        requireLayer();
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException((parameter ? "parameter '" : "state '") + name + "' of " + rows + "x"
                    + cols + ": both sizes must be at least 1");
        }
        for (Parameter p : parameters) {
            requireNew(name, p.name());
        }
        for (State s : state) {
            requireNew(name, s.name());
        }
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException((parameter ? "parameter '" : "state '") + name + "' of " + rows + "x" + cols
                    + " has more than " + Integer.MAX_VALUE + " values");
        }
        int size = rows * cols;
        float[] values = stored != null ? stored.next(layer, parameter, name, rows, cols) : initial.values(rows, cols, draws);
        if (values.length != size) {
            throw new IllegalArgumentException("'" + name + "': " + values.length + " initial values for " + rows + "x"
                    + cols);
        }
        return track(backend.upload(values, rows, cols));
    }

    private static void requireNew(String name, String taken) {
        if (taken.equals(name)) {
            throw new IllegalArgumentException("a layer has two matrices named '" + name + "'");
        }
    }

    private static Initial constant(float v) {
        return (r, c, rnd) -> {
            float[] values = new float[Math.multiplyExact(r, c)];
            if (v != 0) {
                java.util.Arrays.fill(values, v);
            }
            return values;
        };
    }

    private DeviceMatrix track(DeviceMatrix m) {
        obtained.add(m);
        return m;
    }

    private void requireLayer() {
        if (parameters == null) {
            throw new IllegalStateException("a Binding is used only inside Layer.bind");
        }
    }

    /** Starts layer {@code index}. */
    void begin(int index) {
        layer = index;
        parameters = new ArrayList<>();
        state = new ArrayList<>();
        random = null;
    }

    /** Ends the current layer: what it obtained, with its shapes. */
    Bound end(Layer l, Shape in, Shape out) {
        Bound b = new Bound(l, in, out, List.copyOf(parameters), List.copyOf(state), random);
        parameters = null;
        state = null;
        random = null;
        return b;
    }

    /** The index of the layer being bound (or last bound). */
    int layer() {
        return layer;
    }

    /** Closes everything obtained here: building failed. */
    void closeAll() {
        obtained.forEach(DeviceMatrix::close);
    }
}
