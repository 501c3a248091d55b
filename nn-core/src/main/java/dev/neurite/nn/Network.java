package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sequence of layers on one backend: x (B, in) -> ... -> (B, out), and back; with what a saved
 * model carries beside its weights: the {@link OutputHead}, the class names and the input
 * {@link Scaler}, so that {@link #predict} takes raw inputs and answers in class names.
 *
 * <p>A network is single-threaded: one thread at a time may use it (and the {@link Trainer}
 * training it). Concurrent use is detected and fails with {@link IllegalStateException} naming
 * the network rather than corrupting its buffers; give each thread its own network.
 */
public final class Network implements AutoCloseable {
    private final Backend backend;
    private final List<Binding.Bound> bound;
    private final List<Layer> layers;
    private final Shape inputShape;
    private final int outputWidth;
    private final List<Parameter> parameters;
    private final List<DeviceMatrix> state;
    private final List<RandomStream> streams;
    private final Guard guard = new Guard(() -> "network " + this);
    private OutputHead head;
    private List<String> classNames = List.of();
    private Scaler scaler;

    private Network(Backend backend, List<Binding.Bound> bound, Shape inputShape) {
        this.backend = backend;
        this.bound = List.copyOf(bound);
        this.inputShape = inputShape;
        this.outputWidth = bound.isEmpty() ? inputShape.size() : bound.get(bound.size() - 1).output().size();
        List<Layer> ls = new ArrayList<>();
        List<Parameter> ps = new ArrayList<>();
        List<DeviceMatrix> ss = new ArrayList<>();
        List<RandomStream> rs = new ArrayList<>();
        for (Binding.Bound b : bound) {
            ls.add(b.layer());
            ps.addAll(b.parameters());
            b.state().forEach(s -> ss.add(s.value()));
            if (b.random() != null) {
                rs.add(b.random());
            }
        }
        this.layers = List.copyOf(ls);
        this.parameters = List.copyOf(ps);
        this.state = List.copyOf(ss);
        this.streams = List.copyOf(rs);
    }

    /** Starts a network taking rows of {@code inputWidth} features. */
    public static Builder builder(int inputWidth) {
        if (inputWidth < 1) {
            throw new IllegalArgumentException("network input width must be at least 1, got " + inputWidth);
        }
        return new Builder(Shape.flat(inputWidth));
    }

    /** Starts a network taking samples of {@code input}, e.g. images (1, 28, 28) for a convolution. */
    public static Builder builder(Shape input) {
        return new Builder(input);
    }

    /** Layers added in order, then bound to a backend with seeded initial weights. */
    public static final class Builder {
        private final Shape input;
        private final List<Layer> layers = new ArrayList<>();
        private boolean built;

        private Builder(Shape input) {
            this.input = Objects.requireNonNull(input, "input shape");
        }

        /** A fully connected layer of {@code width} outputs. */
        public Builder dense(int width, Init init) {
            return layer(new Dense(width, init));
        }

        /** A fully connected layer followed by an activation. */
        public Builder dense(int width, Init init, Activation f) {
            return dense(width, init).activation(f);
        }

        public Builder activation(Activation f) {
            return layer(new ActivationLayer(f));
        }

        /** A convolution of {@code filters} square kernels, stride 1, no padding. */
        public Builder conv(int filters, int kernel, Init init) {
            return layer(new Conv2d(filters, kernel, 1, 0, init));
        }

        /** Max pooling over size x size windows, stride size. */
        public Builder maxPool(int size) {
            return layer(Pool2d.max(size));
        }

        /** Average pooling over size x size windows, stride size. */
        public Builder averagePool(int size) {
            return layer(Pool2d.average(size));
        }

        public Builder flatten() {
            return layer(new Flatten());
        }

        public Builder dropout(float rate) {
            return layer(new Dropout(rate));
        }

        public Builder batchNorm() {
            return layer(new BatchNorm());
        }

        /** Maxout over groups of {@code pieces}: put after a dense layer of width·pieces. */
        public Builder maxout(int pieces) {
            return layer(new Maxout(pieces));
        }

        /** Any layer, your own included (an unbound layer object, used by this network only). */
        public Builder layer(Layer layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /**
         * Binds every layer to {@code backend}, drawing initial weights from a generator seeded
         * with {@code seed}. If a layer cannot be bound, everything bound so far is closed before
         * the exception propagates.
         */
        public Network build(Backend backend, long seed) {
            return bind(Binding.drawing(backend, seed));
        }

        /** Binds the layers through {@code binding} (drawn, or stored values when loading). */
        Network bind(Binding binding) {
            if (built) {
                throw new IllegalStateException("this builder has built its network already; its layers belong to it");
            }
            built = true;
            List<Binding.Bound> bound = new ArrayList<>();
            Shape shape = input;
            int i = 0;
            try {
                for (; i < layers.size(); i++) {
                    Layer l = layers.get(i);
                    binding.begin(i);
                    Shape out = Objects.requireNonNull(l.bind(binding, shape), "a layer's bind returned no shape");
                    bound.add(binding.end(l, shape, out));
                    shape = out;
                }
            } catch (RuntimeException | Error e) {
                for (int k = 0; k <= i && k < layers.size(); k++) {
                    try {
                        layers.get(k).close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                binding.closeAll();
                throw e;
            }
            return new Network(binding.backend(), bound, input);
        }
    }

    /** output = network(x): x (B, in) -> (B, out); valid until the next forward. */
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        guard.enter();
        try {
            if (x.cols() != inputShape.size()) {
                throw new IllegalArgumentException("network: input is " + x.shape() + ", expected (B, "
                        + inputShape.size() + ") for samples " + inputShape);
            }
            DeviceMatrix a = x;
            for (int i = 0; i < layers.size(); i++) {     // indexed: no iterator per step
                a = layers.get(i).forward(a, training);
            }
            return a;
        } finally {
            guard.exit();
        }
    }

    /**
     * Back-propagates ∂loss/∂output (B, out) through every layer, writing parameter gradients;
     * the gradient with respect to the network's input is not needed, so not computed.
     */
    public void backward(DeviceMatrix dOutput) {
        guard.enter();
        try {
            DeviceMatrix d = dOutput;
            for (int i = layers.size() - 1; i >= 0; i--) {
                d = layers.get(i).backward(d, i > 0);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * The prediction for one raw sample (the network's scaler applied first): its class and
     * the class probabilities, or the values of a regression, as the {@link #head()} says.
     */
    public Prediction predict(float[] sample) {
        if (sample.length != inputShape.size()) {
            throw new IllegalArgumentException("predict: a sample of " + sample.length + " values, the network takes "
                    + inputShape.size() + " (" + inputShape + ")");
        }
        return predict(sample, 1).get(0);
    }

    /** Predictions for every row of {@code data} (raw features; labels are ignored), in batches on the device. */
    public Predictions predict(Dataset data) {
        if (data.cols() != inputShape.size()) {
            throw new IllegalArgumentException("predict: data rows have " + data.cols() + " values, the network takes "
                    + inputShape.size() + " (" + inputShape + ")");
        }
        return predict(data.features(), data.rows());
    }

    private Predictions predict(float[] features, int rows) {
        guard.enter();
        try {
            return Predictor.predict(this, features, rows);
        } finally {
            guard.exit();
        }
    }

    /** Each layer with the shape of one sample after it and its trainable values, and the total. */
    public Summary summary() {
        List<Summary.Row> rows = new ArrayList<>();
        long total = 0;
        for (Binding.Bound b : bound) {
            long n = 0;
            for (Parameter p : b.parameters()) {
                n += p.value().size();
            }
            rows.add(new Summary.Row(b.layer().toString(), b.output(), n));
            total += n;
        }
        return new Summary(inputShape, rows, total);
    }

    /** How outputs become predictions; null until set here or by training ({@link Trainer} sets it from its loss). */
    public OutputHead head() {
        return head;
    }

    public Network head(OutputHead head) {
        this.head = head;
        return this;
    }

    /** The names of the classes, in label order; empty when the model has none. */
    public List<String> classNames() {
        return classNames;
    }

    /** Names for the classes, one per class ({@link OutputHead#classes}: two for a single-unit binary classifier). */
    public Network classNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    /** The scaler {@link #predict} applies to raw inputs; null for none. */
    public Scaler scaler() {
        return scaler;
    }

    /** The scaler fitted on the training data; {@link #predict} applies it to raw inputs. */
    public Network scaler(Scaler scaler) {
        if (scaler != null && scaler.shift().length != inputShape.size()) {
            throw new IllegalArgumentException("network: a scaler of " + scaler.shift().length
                    + " columns for inputs of " + inputShape.size());
        }
        this.scaler = scaler;
        return this;
    }

    /** Every trainable parameter, in layer order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Every layer's state (e.g. batch norm's running statistics), in layer order. */
    public List<DeviceMatrix> state() {
        return state;
    }

    /** The values of every parameter, downloaded, in {@link #parameters()} order, each row-major. */
    public float[][] parameterValues() {
        return download(parameters.stream().map(Parameter::value).toList());
    }

    /** Uploads {@code values} into the parameters, in {@link #parameters()} order (as {@link #parameterValues()} gives them). */
    public void setParameterValues(float[][] values) {
        upload(parameters.stream().map(Parameter::value).toList(), values, "parameter");
    }

    /** The values of every state matrix, downloaded, in {@link #state()} order. */
    public float[][] stateValues() {
        return download(state);
    }

    /** Uploads {@code values} into the state matrices, in {@link #state()} order (as {@link #stateValues()} gives them). */
    public void setStateValues(float[][] values) {
        upload(state, values, "state matrix");
    }

    private float[][] download(List<DeviceMatrix> matrices) {
        float[][] values = new float[matrices.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = backend.download(matrices.get(i));
        }
        return values;
    }

    /** Checks every length first, so a mismatch changes nothing. */
    private void upload(List<DeviceMatrix> matrices, float[][] values, String what) {
        if (values.length != matrices.size()) {
            throw new IllegalArgumentException("network: " + values.length + " arrays given, the network has "
                    + matrices.size() + " " + what + (matrices.size() == 1 ? "" : "s"));
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != matrices.get(i).size()) {
                throw new IllegalArgumentException("network: " + what + " " + i + " is " + matrices.get(i).shape()
                        + ", given " + values[i].length + " values");
            }
        }
        guard.enter();
        try {
            for (int i = 0; i < values.length; i++) {
                backend.upload(values[i], matrices.get(i));
            }
        } finally {
            guard.exit();
        }
    }

    /** Each layer as bound: shapes, parameters and state with their names. */
    List<Binding.Bound> bound() {
        return bound;
    }

    /** The layers' own random streams, in layer order. */
    List<RandomStream> streams() {
        return streams;
    }

    Guard guard() {
        return guard;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Backend backend() {
        return backend;
    }

    public int inputWidth() {
        return inputShape.size();
    }

    /** The shape of one input sample. */
    public Shape inputShape() {
        return inputShape;
    }

    public int outputWidth() {
        return outputWidth;
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
        bound.forEach(b -> {
            b.parameters().forEach(p -> Buffers.close(p.value(), p.grad()));
            b.state().forEach(s -> s.value().close());
        });
    }

    @Override
    public String toString() {
        return inputShape + " -> " + String.join(" -> ", layers.stream().map(Object::toString).toList());
    }
}
