package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Pooling;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The registry of {@link LayerCodec}s: the built-in layers', those listed for
 * {@link ServiceLoader} (looked up once, on first use, through the context class loader) and
 * those registered in code. Shared by every thread.
 */
public final class LayerCodecs {
    private static final Map<String, LayerCodec<?>> BY_CODE = new HashMap<>();
    private static final Map<Class<?>, LayerCodec<?>> BY_TYPE = new HashMap<>();
    private static boolean discovered;

    static {
        for (LayerCodec<?> c : builtIn()) {
            add(c);
        }
    }

    private LayerCodecs() {
    }

    /**
     * Adds {@code codec}; IllegalArgumentException when its code or its layer class already has
     * a codec (a registered codec stays registered: codes must stay unique for files to mean one thing).
     */
    public static synchronized void register(LayerCodec<?> codec) {
        discover();
        add(codec);
    }

    /** The codec stored as {@code code}, or null. */
    public static synchronized LayerCodec<?> forCode(String code) {
        discover();
        return BY_CODE.get(code);
    }

    /** The codec of {@code layer}'s class, or null. */
    @SuppressWarnings("unchecked")
    public static synchronized <L extends Layer> LayerCodec<L> forLayer(L layer) {
        discover();
        return (LayerCodec<L>) BY_TYPE.get(layer.getClass());
    }

    private static void add(LayerCodec<?> c) {
        String code = c.code();
        if (code == null || code.isEmpty() || c.type() == null) {
            throw new IllegalArgumentException("layer codec " + c.getClass().getName() + " has no code or no type");
        }
        if (BY_CODE.containsKey(code)) {
            throw new IllegalArgumentException("layer codec code '" + code + "' is taken by "
                    + BY_CODE.get(code).getClass().getName());
        }
        if (BY_TYPE.containsKey(c.type())) {
            throw new IllegalArgumentException("layer " + c.type().getName() + " has a codec already: '"
                    + BY_TYPE.get(c.type()).code() + "'");
        }
        BY_CODE.put(code, c);
        BY_TYPE.put(c.type(), c);
    }

    @SuppressWarnings("rawtypes")
    private static void discover() {
        if (discovered) {
            return;
        }
        discovered = true;
        for (LayerCodec c : ServiceLoader.load(LayerCodec.class)) {
            add(c);
        }
    }

    /** A codec from two functions. */
    private static <L extends Layer> LayerCodec<L> codec(String code, Class<L> type,
                                                          java.util.function.BiConsumer<L, LayerSettings> write,
                                                          Function<LayerSettings, L> read) {
        return new LayerCodec<>() {
            public String code() {
                return code;
            }

            public Class<L> type() {
                return type;
            }

            public void write(L layer, LayerSettings out) {
                write.accept(layer, out);
            }

            public L read(LayerSettings in) {
                return read.apply(in);
            }
        };
    }

    /** The built-in layers. Their codes and setting names are part of the model-file format. */
    private static List<LayerCodec<?>> builtIn() {
        return List.of(
                codec("dense", Dense.class, (l, s) -> s.put("width", l.width()).put("init", l.init().code()),
                        s -> new Dense(s.integer("width"), Init.ofCode(s.text("init")))),
                codec("activation", ActivationLayer.class, (l, s) -> s.put("function", l.activation().toString()),
                        s -> new ActivationLayer(Activation.parse(s.text("function")))),
                codec("conv2d", Conv2d.class, (l, s) -> s.put("filters", l.filters()).put("kernel", l.kernel())
                                .put("stride", l.stride()).put("padding", l.padding()).put("init", l.init().code()),
                        s -> new Conv2d(s.integer("filters"), s.integer("kernel"), s.integer("stride"),
                                s.integer("padding"), Init.ofCode(s.text("init")))),
                codec("pool2d", Pool2d.class, (l, s) -> s.put("kind", poolingCode(l.kind())).put("size", l.size())
                                .put("stride", l.stride()),
                        s -> new Pool2d(pooling(s.text("kind")), s.integer("size"), s.integer("stride"))),
                codec("flatten", Flatten.class, (l, s) -> { }, s -> new Flatten()),
                codec("dropout", Dropout.class, (l, s) -> s.put("rate", l.rate()), s -> new Dropout(s.decimal("rate"))),
                codec("batch-norm", BatchNorm.class, (l, s) -> { }, s -> new BatchNorm()),
                codec("maxout", Maxout.class, (l, s) -> s.put("pieces", l.pieces()), s -> new Maxout(s.integer("pieces"))));
    }

    /** Pooling's stable codes, independent of the enum's order. */
    static String poolingCode(Pooling p) {
        return switch (p) {
            case MAX -> "max";
            case AVERAGE -> "average";
        };
    }

    static Pooling pooling(String code) {
        return switch (code) {
            case "max" -> Pooling.MAX;
            case "average" -> Pooling.AVERAGE;
            default -> throw new IllegalArgumentException("'" + code + "' is not a pooling (max, average)");
        };
    }
}
