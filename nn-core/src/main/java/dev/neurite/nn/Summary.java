package dev.neurite.nn;

import java.util.List;
import java.util.Locale;

/**
 * A network layer by layer: what each layer is, the shape of one sample after it, and how many
 * trainable values it holds ({@link Network#summary()}).
 *
 * @param input      the shape of one input sample
 * @param layers     one row per layer, in order
 * @param parameters trainable values in all
 */
public record Summary(Shape input, List<Row> layers, long parameters) {

    /**
     * @param layer      the layer as it describes itself, e.g. "dense 784->15"
     * @param output     the shape of one sample after it
     * @param parameters its trainable values
     */
    public record Row(String layer, Shape output, long parameters) {
    }

    /** A table: layer, output shape, parameters, and the total. */
    @Override
    public String toString() {
        int name = "input".length();
        int shape = "output".length();
        for (Row r : layers) {
            name = Math.max(name, r.layer().length());
            shape = Math.max(shape, r.output().toString().length());
        }
        shape = Math.max(shape, input.toString().length());
        String row = "%-" + name + "s  %-" + shape + "s  %,12d%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + name + "s  %-" + shape + "s  %12s%n",
                "layer", "output", "parameters"));
        sb.append(String.format(Locale.ROOT, "%-" + name + "s  %-" + shape + "s  %12s%n", "input", input, ""));
        for (Row r : layers) {
            sb.append(String.format(Locale.ROOT, row, r.layer(), r.output(), r.parameters()));
        }
        sb.append(String.format(Locale.ROOT, row, "total", "", parameters));
        return sb.toString();
    }
}
