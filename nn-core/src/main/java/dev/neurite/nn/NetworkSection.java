package dev.neurite.nn;

import dev.neurite.backend.Backend;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network section of a model file ({@link ModelFile} describes the layout): layers by codec
 * code and settings, then each layer's matrices with their names and shapes. Reading parses and
 * checks the whole description before binding; the layers then bind to the stored values
 * ({@link Binding}), each request checked against what is stored before it allocates.
 */
final class NetworkSection {
    /** At most this many layers, settings or matrices a layer. */
    static final int MAX_LAYERS = 10_000;
    private static final int MAX_ITEMS = 1_000;
    /** The most values one sample may have at any layer: 2^26 (256 MB of float32). */
    static final int MAX_SAMPLE = 1 << 26;
    private static final byte PARAMETER = 1;
    private static final byte STATE = 2;

    /** A layer as the file describes it. */
    record Spec(String code, LayerSettings settings) {
    }

    /** A stored matrix: what it is and where its values are. */
    private record Stored(boolean parameter, String name, int rows, int cols, int at) {
    }

    private NetworkSection() {
    }

    static void write(Network net, DataOutputStream out, Path file) throws IOException {
        List<LayerSettings> settings = new ArrayList<>();
        for (Layer l : net.layers()) {
            LayerCodec<Layer> codec = LayerCodecs.forLayer(l);
            if (codec == null) {
                throw new IOException(file + ": cannot save layer " + l + ": " + l.getClass().getName()
                        + " has no LayerCodec (register one with LayerCodecs.register or ServiceLoader)");
            }
            LayerSettings s = new LayerSettings();
            codec.write(l, s);
            settings.add(s);
        }
        Shape in = net.inputShape();
        out.writeInt(in.channels());
        out.writeInt(in.height());
        out.writeInt(in.width());
        out.writeInt(net.layers().size());
        for (int i = 0; i < settings.size(); i++) {
            out.writeUTF(LayerCodecs.forLayer(net.layers().get(i)).code());
            out.writeInt(settings.get(i).asMap().size());
            for (Map.Entry<String, String> e : settings.get(i).asMap().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        }
        Backend b = net.backend();
        int index = 0;
        for (Binding.Bound l : net.bound()) {
            out.writeInt(l.parameters().size() + l.state().size());
            for (Parameter p : l.parameters()) {
                float[] v = b.download(p.value());
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        throw new IllegalStateException("network: parameter '" + p.name() + "' of layer " + index + " ("
                                + l.layer() + ") holds " + x + "; a diverged network is not saved");
                    }
                }
                matrix(out, PARAMETER, p.name(), p.value().rows(), p.value().cols(), v);
            }
            for (Binding.State s : l.state()) {
                matrix(out, STATE, s.name(), s.value().rows(), s.value().cols(), b.download(s.value()));
            }
            index++;
        }
    }

    private static void matrix(DataOutputStream out, byte kind, String name, int rows, int cols, float[] v)
            throws IOException {
        out.writeByte(kind);
        out.writeUTF(name);
        out.writeInt(rows);
        out.writeInt(cols);
        for (float x : v) {
            out.writeFloat(x);
        }
    }

    /** A version-3 network section. */
    static Network read(ModelReader r, Backend backend) throws IOException {
        Shape input = shape(r, r.int32("input channels", 1, MAX_SAMPLE), r.int32("input height", 1, MAX_SAMPLE),
                r.int32("input width", 1, MAX_SAMPLE));
        int count = r.count("layer count", MAX_LAYERS, 6);
        List<Spec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String field = "layer " + i;
            String code = r.utf(field + " codec");
            int n = r.count(field + " setting count", MAX_ITEMS, 4);
            LayerSettings s = new LayerSettings();
            for (int k = 0; k < n; k++) {
                String key = r.utf(field + " setting " + k + " name");
                String value = r.utf(field + " setting '" + key + "'");
                try {
                    s.put(key, value);
                } catch (IllegalArgumentException e) {
                    throw r.fault(field + " (" + code + ")", e.getMessage());
                }
            }
            specs.add(new Spec(code, s));
        }
        List<List<Stored>> stored = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String field = "layer " + i + " (" + specs.get(i).code() + ")";
            int n = r.count(field + " matrix count", MAX_ITEMS, 11);
            List<Stored> ms = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                byte kind = r.int8(field + " matrix " + k + " kind");
                if (kind != PARAMETER && kind != STATE) {
                    throw r.fault(field + " matrix " + k + " kind", kind + " is neither 1 (parameter) nor 2 (state)");
                }
                String name = r.utf(field + " matrix " + k + " name");
                String what = field + " " + (kind == PARAMETER ? "parameter '" : "state '") + name + "'";
                int rows = r.int32(what + " rows", 1, Integer.MAX_VALUE);
                int cols = r.int32(what + " cols", 1, Integer.MAX_VALUE);
                int at = r.skipFloats(what + " values (" + rows + "x" + cols + ")", (long) rows * cols);
                ms.add(new Stored(kind == PARAMETER, name, rows, cols, at));
            }
            stored.add(ms);
        }
        r.requireEnd("section NETW");
        int[] next = new int[count];
        Network net = build(r, input, specs, backend, (layer, parameter, name, rows, cols) -> {
            List<Stored> ms = stored.get(layer);
            String asked = (parameter ? "parameter '" : "state '") + name + "' " + rows + "x" + cols;
            if (next[layer] >= ms.size()) {
                throw new IllegalArgumentException("the layer asks for " + asked + ", the file stores only " + ms.size()
                        + " matrices for it");
            }
            Stored m = ms.get(next[layer]++);
            if (m.parameter() != parameter || !m.name().equals(name) || m.rows() != rows || m.cols() != cols) {
                throw new IllegalArgumentException("the layer asks for " + asked + ", the file stores "
                        + (m.parameter() ? "parameter '" : "state '") + m.name() + "' " + m.rows() + "x" + m.cols());
            }
            return r.floatsAt(m.at(), rows * cols);
        });
        for (int i = 0; i < count; i++) {
            if (next[i] != stored.get(i).size()) {
                net.close();
                throw r.fault("layer " + i + " (" + specs.get(i).code() + ")", "the file stores " + stored.get(i).size()
                        + " matrices, the layer takes " + next[i]);
            }
        }
        return net;
    }

    /** A version-1 or version-2 network: byte kinds and enum ordinals, then every value in layer order. */
    static Network readLegacy(ModelReader r, int version, Backend backend) throws IOException {
        Shape input = version == 1 ? shape(r, r.int32("input width", 1, MAX_SAMPLE), 1, 1)
                : shape(r, r.int32("input channels", 1, MAX_SAMPLE), r.int32("input height", 1, MAX_SAMPLE),
                        r.int32("input width", 1, MAX_SAMPLE));
        int count = r.count("layer count", MAX_LAYERS, 1);
        List<Spec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            specs.add(LegacyLayers.read(r, "layer " + i, version));
        }
        Network net = build(r, input, specs, backend,
                (layer, parameter, name, rows, cols) -> floats(r, "layer " + layer + " (" + specs.get(layer).code()
                        + ") " + name + " " + rows + "x" + cols, rows, cols));
        if (r.remaining() != 0) {
            net.close();
            throw r.fault("parameters", r.remaining() + " bytes left over after the parameters");
        }
        return net;
    }

    private static float[] floats(ModelReader r, String field, int rows, int cols) {
        try {
            return r.floats(field, Math.multiplyExact(rows, cols));
        } catch (MalformedDataException e) {
            throw new Refused(e);
        }
    }

    /** Carries a reader's fault out of a {@link Binding.Source}, which cannot throw checked exceptions. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(MalformedDataException cause) {
            super(cause);
        }
    }

    /** Makes each layer from its codec and binds them all to the stored values. */
    private static Network build(ModelReader r, Shape input, List<Spec> specs, Backend backend, Binding.Source source)
            throws IOException {
        Network.Builder builder = Network.builder(input);
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            LayerCodec<?> codec = LayerCodecs.forCode(s.code());
            if (codec == null) {
                throw r.fault("layer " + i + " codec", "no LayerCodec for '" + s.code()
                        + "' (a layer of your own? register its codec before loading)");
            }
            try {
                builder.layer(codec.read(s.settings()));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw r.fault("layer " + i + " (" + s.code() + ")", String.valueOf(e.getMessage()));
            }
        }
        Binding binding = Binding.loading(backend, source);
        Network net;
        try {
            net = builder.bind(binding);
        } catch (Refused e) {
            throw (MalformedDataException) e.getCause();
        } catch (IllegalArgumentException | ArithmeticException e) {
            int i = binding.layer();
            throw r.fault("layer " + i + " (" + specs.get(i).code() + ")", String.valueOf(e.getMessage()));
        }
        for (Binding.Bound b : net.bound()) {
            if (b.output().size() > MAX_SAMPLE) {
                net.close();
                throw r.fault("layer " + net.bound().indexOf(b) + " (" + b.layer() + ")", "output samples of "
                        + b.output() + " exceed the " + MAX_SAMPLE + " values a model file may declare");
            }
        }
        return net;
    }

    private static Shape shape(ModelReader r, int c, int h, int w) throws MalformedDataException {
        if ((long) c * h * w > MAX_SAMPLE) {
            throw r.fault("input shape", "(" + c + ", " + h + ", " + w + ") exceeds the " + MAX_SAMPLE
                    + " values a sample a model file may declare");
        }
        return new Shape(c, h, w);
    }
}
