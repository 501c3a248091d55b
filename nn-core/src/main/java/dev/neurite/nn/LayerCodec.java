package dev.neurite.nn;

/**
 * Saves and loads one kind of layer: its settings (widths, sizes, rates), not its values, which
 * {@link ModelFile} stores from what the layer obtained from its {@link Binding}. Every built-in
 * layer has one; for a layer of your own, register a codec with {@link LayerCodecs#register} or
 * name it in {@code META-INF/services/dev.neurite.nn.LayerCodec} (found by
 * {@link java.util.ServiceLoader}; it then needs a public no-argument constructor).
 *
 * <pre>{@code
 * public final class SwishCodec implements LayerCodec<Swish> {
 *     public String code() { return "com.example.swish"; }
 *     public Class<Swish> type() { return Swish.class; }
 *     public void write(Swish layer, LayerSettings out) { out.put("beta", layer.beta()); }
 *     public Swish read(LayerSettings in) { return new Swish(in.decimal("beta")); }
 * }
 * }</pre>
 *
 * @param <L> the layer class, matched exactly (not its subclasses)
 */
public interface LayerCodec<L extends Layer> {

    /**
     * The name model files store for this kind of layer, unique among codecs and never changed
     * once files exist (e.g. "dense"; a package-like name for your own, "com.example.swish").
     */
    String code();

    /** The layer class this codec saves. */
    Class<L> type();

    /** Puts the settings {@link #read} needs to rebuild an equal, unbound layer. */
    void write(L layer, LayerSettings out);

    /**
     * An unbound layer with the settings {@code in} holds. Settings that are missing or out of
     * range throw {@link IllegalArgumentException}; the loader reports it as a malformed file.
     */
    L read(LayerSettings in);
}
