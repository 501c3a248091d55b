package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A sequence of layers on one backend: x (B, in) -> ... -> (B, out), and back. */
public final class Network implements AutoCloseable {
    private final Backend backend;
    private final List<Layer> layers;
    private final Shape inputShape;
    private final int outputWidth;
    private final List<Parameter> parameters;
    private final List<DeviceMatrix> state;

    private Network(Backend backend, List<Layer> layers, Shape inputShape, int outputWidth) {
        this.backend = backend;
        this.layers = List.copyOf(layers);
        this.inputShape = inputShape;
        this.outputWidth = outputWidth;
        List<Parameter> all = new ArrayList<>();
        List<DeviceMatrix> kept = new ArrayList<>();
        for (Layer l : this.layers) {
            all.addAll(l.parameters());
            kept.addAll(l.state());
        }
        this.parameters = List.copyOf(all);
        this.state = List.copyOf(kept);
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

        private Builder(Shape input) {
            this.input = java.util.Objects.requireNonNull(input, "input shape");
        }

        /** A fully connected layer of {@code width} outputs. */
        public Builder dense(int width, Init init) {
            layers.add(new Dense(width, init));
            return this;
        }

        /** A fully connected layer followed by an activation. */
        public Builder dense(int width, Init init, Activation f) {
            return dense(width, init).activation(f);
        }

        public Builder activation(Activation f) {
            layers.add(new ActivationLayer(f));
            return this;
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

        public Builder layer(Layer layer) {
            layers.add(layer);
            return this;
        }

        /** Allocates every layer on {@code backend}; weights drawn from a generator seeded with {@code seed}. */
        public Network build(Backend backend, long seed) {
            Random rnd = new Random(seed);
            Shape shape = input;
            for (Layer l : layers) {
                shape = l.bind(backend, shape, rnd);
            }
            return new Network(backend, layers, input, shape.size());
        }
    }

    /** output = network(x): x (B, in) -> (B, out); valid until the next forward. */
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        if (x.cols() != inputShape.size()) {
            throw new IllegalArgumentException("network: input is " + x.shape() + ", expected (B, " + inputShape.size()
                    + ") for samples " + inputShape);
        }
        DeviceMatrix a = x;
        for (Layer l : layers) {
            a = l.forward(a, training);
        }
        return a;
    }

    /**
     * Back-propagates ∂loss/∂output (B, out) through every layer, writing parameter gradients;
     * the gradient with respect to the network's input is not needed, so not computed.
     */
    public void backward(DeviceMatrix dOutput) {
        DeviceMatrix d = dOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, i > 0);
        }
    }

    /** Every trainable parameter, in layer order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Every layer's non-trained state ({@link Layer#state()}, e.g. batch norm's running statistics), in layer order. */
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
        for (int i = 0; i < values.length; i++) {
            backend.upload(values[i], matrices.get(i));
        }
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
    }

    @Override
    public String toString() {
        return inputShape + " -> " + String.join(" -> ", layers.stream().map(Object::toString).toList());
    }
}
