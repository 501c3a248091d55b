package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Window;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network written on one line: layers in order, separated by commas, each a token of the
 * grammar below (case-insensitive; spaces around tokens are ignored). {@code neurite train --net}
 * takes it; Java code can parse, check and build it the same way:
 *
 * <pre>
 * NetSpec lenet = NetSpec.parse("conv5x20,relu,maxpool2,conv5x50,relu,maxpool2,flatten,dense500,relu,dropout0.5,dense10");
 * Network net = lenet.build(backend, Shape.image(1, 28, 28), seed);
 * </pre>
 *
 * <table>
 * <caption>Tokens</caption>
 * <tr><td>{@code denseN}</td><td>fully connected, N outputs (takes images too: they are flattened)</td></tr>
 * <tr><td>{@code convKxF}, {@code convKxFsSpP}</td><td>F filters of K x K, stride S (default 1), P zeros
 *     of padding on every side (default 0)</td></tr>
 * <tr><td>{@code maxpoolK}, {@code avgpoolK}, {@code ...poolKsS}</td><td>max or average pooling over K x K
 *     windows, stride S (default K)</td></tr>
 * <tr><td>{@code flatten}</td><td>images to feature vectors</td></tr>
 * <tr><td>{@code dropoutR}</td><td>inverted dropout at rate R in [0, 1)</td></tr>
 * <tr><td>{@code batchnorm} (or {@code bn})</td><td>batch normalization (per channel for images)</td></tr>
 * <tr><td>{@code maxoutK}</td><td>the largest of each K consecutive features</td></tr>
 * <tr><td>an activation</td><td>{@code relu}, {@code sigmoid}, {@code tanh}, {@code leaky-relu[:slope]},
 *     {@code elu[:alpha]}, {@code selu}, {@code gelu}, {@code softplus}, {@code identity},
 *     {@code binary-step}, {@code softmax}</td></tr>
 * </table>
 *
 * <p>A dense or convolution token may end in {@code :INIT} ({@code normal}, {@code xavier},
 * {@code he}, {@code lecun}), e.g. {@code dense500:he}. Without it the weights are drawn as the
 * activation that follows the layer wants ({@link Init#forActivation}), or Glorot when none follows
 * before the next weighted layer (a linear output). A wrong spec throws
 * {@link IllegalArgumentException} naming the token, its position and why.
 */
public final class NetSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern DENSE = Pattern.compile("dense(\\d+)");
    private static final Pattern CONV = Pattern.compile("conv(\\d+)x(\\d+)(?:s(\\d+))?(?:p(\\d+))?");
    private static final Pattern POOL = Pattern.compile("(max|avg)pool(\\d+)(?:s(\\d+))?");
    private static final Pattern DROPOUT = Pattern.compile("dropout(\\d*\\.?\\d+)");
    private static final Pattern MAXOUT = Pattern.compile("maxout(\\d+)");
    private static final String GRAMMAR = "denseN, convKxF[sS][pP], maxpoolK[sS], avgpoolK[sS], flatten, dropoutR, "
            + "batchnorm, maxoutK or an activation (" + String.join(", ", Activation.names()) + ")";

    /** One token as parsed: its kind and numbers; {@code init} null for the default. */
    private record Token(int position, String text, Kind kind, int a, int b, int c, int d, float rate, String activation,
                         Init init) implements Serializable {
    }

    private enum Kind { DENSE, CONV, MAX_POOL, AVG_POOL, FLATTEN, DROPOUT, BATCH_NORM, MAXOUT, ACTIVATION }

    private final String text;
    private final List<Token> tokens;

    private NetSpec(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = List.copyOf(tokens);
    }

    /** Parses {@code spec}; IllegalArgumentException names the first wrong token and why. */
    public static NetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("an empty network spec: give layers separated by commas, e.g. "
                    + "dense100,relu,dense10");
        }
        String[] parts = spec.split(",", -1);
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            tokens.add(token(i + 1, parts[i].strip()));
        }
        boolean weighted = tokens.stream().anyMatch(t -> t.kind == Kind.DENSE || t.kind == Kind.CONV);
        if (!weighted) {
            throw new IllegalArgumentException("network spec '" + spec.strip() + "' has no dense or conv layer: "
                    + "nothing to train");
        }
        List<String> canonical = tokens.stream().map(Token::text).toList();
        return new NetSpec(String.join(",", canonical), tokens);
    }

    /** The spec of a multi-layer perceptron: dense layers of widths[1..], {@code hidden} after each but the last. */
    public static NetSpec mlp(int[] widths, Activation hidden, Activation output, float dropout, Init init) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < widths.length; i++) {
            boolean last = i == widths.length - 1;
            Activation f = last ? output : hidden;
            sb.append(sb.isEmpty() ? "" : ",").append("dense").append(widths[i]);
            if (init != null) {
                sb.append(':').append(init.code());
            }
            if (f != null) {
                sb.append(',').append(f);
            }
            if (!last && dropout > 0) {
                sb.append(",dropout").append(new java.math.BigDecimal(Float.toString(dropout)).toPlainString());
            }
        }
        return parse(sb.toString());
    }

    private static Token token(int position, String raw) {
        String t = raw.toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw wrong(position, raw, "is empty (two commas in a row, or one at an end)");
        }
        Init init = null;
        String body = t;
        int colon = t.indexOf(':');
        if (colon >= 0 && (t.startsWith("dense") || t.startsWith("conv"))) {
            body = t.substring(0, colon);
            try {
                init = Init.ofCode(t.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw wrong(position, raw, "ends in an unknown initialization ':" + t.substring(colon + 1)
                        + "' (normal, xavier, he, lecun)");
            }
        }
        Matcher m;
        if ((m = DENSE.matcher(body)).matches()) {
            return new Token(position, t, Kind.DENSE, positive(position, raw, m.group(1), "width"), 0, 0, 0, 0, null, init);
        }
        if ((m = CONV.matcher(body)).matches()) {
            int kernel = positive(position, raw, m.group(1), "kernel size");
            int filters = positive(position, raw, m.group(2), "filter count");
            int stride = m.group(3) == null ? 1 : positive(position, raw, m.group(3), "stride");
            int padding = m.group(4) == null ? 0 : whole(position, raw, m.group(4), "padding");
            if (padding >= kernel) {
                throw wrong(position, raw, "pads by " + padding + ", which must be smaller than the kernel " + kernel);
            }
            return new Token(position, t, Kind.CONV, kernel, filters, stride, padding, 0, null, init);
        }
        if (init != null) {
            throw wrong(position, raw, "takes no initialization: only dense and conv layers have weights");
        }
        return unweighted(position, raw, t);
    }

    private static Token unweighted(int position, String raw, String t) {
        Matcher m;
        if ((m = POOL.matcher(t)).matches()) {
            int size = positive(position, raw, m.group(2), "window size");
            int stride = m.group(3) == null ? size : positive(position, raw, m.group(3), "stride");
            return new Token(position, t, m.group(1).equals("max") ? Kind.MAX_POOL : Kind.AVG_POOL, size, stride, 0, 0, 0,
                    null, null);
        }
        if ((m = DROPOUT.matcher(t)).matches()) {
            float rate = Float.parseFloat(m.group(1));
            if (!(rate < 1)) {
                throw wrong(position, raw, "has rate " + m.group(1) + ": a dropout rate is in [0, 1)");
            }
            return new Token(position, t, Kind.DROPOUT, 0, 0, 0, 0, rate, null, null);
        }
        if ((m = MAXOUT.matcher(t)).matches()) {
            int pieces = positive(position, raw, m.group(1), "piece count");
            if (pieces < 2) {
                throw wrong(position, raw, "takes the largest of " + pieces + ": maxout needs at least 2 pieces");
            }
            return new Token(position, t, Kind.MAXOUT, pieces, 0, 0, 0, 0, null, null);
        }
        switch (t) {
            case "flatten" -> {
                return new Token(position, t, Kind.FLATTEN, 0, 0, 0, 0, 0, null, null);
            }
            case "batchnorm", "bn", "batch-norm" -> {
                return new Token(position, "batchnorm", Kind.BATCH_NORM, 0, 0, 0, 0, 0, null, null);
            }
            default -> {
                return activation(position, raw, t);
            }
        }
    }

    private static Token activation(int position, String raw, String t) {
        String name = t.split(":", 2)[0];
        boolean known = List.of(Activation.names()).contains(name.replace('_', '-'));
        if (!known) {
            throw wrong(position, raw, "is not a layer; a token is one of " + GRAMMAR);
        }
        if (t.contains(":") && isInit(t.substring(t.indexOf(':') + 1))) {
            throw wrong(position, raw, "takes no initialization: only dense and conv layers have weights");
        }
        try {
            Activation f = Activation.parse(t);
            return new Token(position, f.toString(), Kind.ACTIVATION, 0, 0, 0, 0, 0, f.toString(), null);
        } catch (NumberFormatException e) {
            throw wrong(position, raw, "has a parameter that is not a number (e.g. leaky-relu:0.01, elu:1)");
        } catch (IllegalArgumentException e) {
            throw wrong(position, raw, "has a bad parameter: " + e.getMessage());
        }
    }

    private static boolean isInit(String code) {
        try {
            Init.ofCode(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int positive(int position, String raw, String digits, String what) {
        int n = whole(position, raw, digits, what);
        if (n < 1) {
            throw wrong(position, raw, "has " + what + " " + n + ", which must be at least 1");
        }
        return n;
    }

    private static int whole(int position, String raw, String digits, String what) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw wrong(position, raw, "has " + what + " " + digits + ", too large");
        }
    }

    private static IllegalArgumentException wrong(int position, String raw, String why) {
        return new IllegalArgumentException("network spec: layer " + position + " '" + raw + "' " + why);
    }

    /**
     * The shape of one output sample for inputs of {@code input}, checking that every layer fits
     * the shape before it; IllegalArgumentException names the token that does not fit and why.
     */
    public Shape output(Shape input) {
        Shape s = input;
        for (Token t : tokens) {
            s = after(t, s);
        }
        return s;
    }

    private static Shape after(Token t, Shape in) {
        return switch (t.kind) {
            case DENSE -> Shape.flat(t.a);
            case FLATTEN -> Shape.flat(in.size());
            case DROPOUT, BATCH_NORM, ACTIVATION -> in;
            case CONV -> {
                Window w = window(t, in, t.a, t.c, t.d, "convolution");
                yield Shape.image(t.b, w.outHeight(), w.outWidth());
            }
            case MAX_POOL, AVG_POOL -> {
                Window w = window(t, in, t.a, t.b, 0, "pooling window");
                yield Shape.image(in.channels(), w.outHeight(), w.outWidth());
            }
            case MAXOUT -> {
                if (in.size() % t.a != 0) {
                    throw misfit(t, in, "has " + in.size() + " features, not a multiple of " + t.a
                            + " (put a dense layer of " + t.a + "·n units before it)");
                }
                yield Shape.flat(in.size() / t.a);
            }
        };
    }

    private static Window window(Token t, Shape in, int size, int stride, int padding, String what) {
        if (in.isFlat()) {
            throw misfit(t, in, "needs images (C, H, W), and its input is a feature vector (a table's rows, or after "
                    + "a dense layer or flatten)");
        }
        if (in.height() + 2L * padding < size || in.width() + 2L * padding < size) {
            throw misfit(t, in, "has a " + what + " of " + size + "x" + size + (padding > 0 ? " over images padded by "
                    + padding : "") + ", larger than its input images");
        }
        return Window.square(in.channels(), in.height(), in.width(), size, stride, padding);
    }

    private static IllegalArgumentException misfit(Token t, Shape in, String why) {
        return new IllegalArgumentException("network spec: layer " + t.position + " '" + t.text + "' gets samples "
                + in + " and " + why);
    }

    /**
     * The layers, unbound, with their initializations: each weighted layer's own, else
     * {@code init} when not null (e.g. {@code neurite train --init}), else the default for the
     * activation that follows it. Checks the shapes first ({@link #output}).
     */
    public Network.Builder builder(Shape input, Init init) {
        output(input);
        Network.Builder b = Network.builder(input);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Init w = t.init != null ? t.init : init != null ? init : initBefore(i);
            switch (t.kind) {
                case DENSE -> b.dense(t.a, w);
                case CONV -> b.layer(new Conv2d(t.b, t.a, t.c, t.d, w));
                case MAX_POOL -> b.layer(new Pool2d(Pooling.MAX, t.a, t.b));
                case AVG_POOL -> b.layer(new Pool2d(Pooling.AVERAGE, t.a, t.b));
                case FLATTEN -> b.flatten();
                case DROPOUT -> b.dropout(t.rate);
                case BATCH_NORM -> b.batchNorm();
                case MAXOUT -> b.maxout(t.a);
                case ACTIVATION -> b.activation(Activation.parse(t.activation));
            }
        }
        return b;
    }

    /** The network on {@code backend} for samples of {@code input}, weights drawn from {@code seed}. */
    public Network build(Backend backend, Shape input, long seed) {
        return builder(input, null).build(backend, seed);
    }

    /** The default initialization of the weighted layer at {@code index}: for the next activation before the next weighted layer. */
    private Init initBefore(int index) {
        for (int i = index + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.DENSE || t.kind == Kind.CONV) {
                break;
            }
            if (t.kind == Kind.ACTIVATION) {
                return Init.forActivation(Activation.parse(t.activation));
            }
        }
        return Init.XAVIER;
    }

    /** The last token's activation when the network ends in one (e.g. "sigmoid"), else null. */
    public Activation finalActivation() {
        Token last = tokens.get(tokens.size() - 1);
        return last.kind == Kind.ACTIVATION ? Activation.parse(last.activation) : null;
    }

    /** True when some layer needs images (a convolution or pooling). */
    public boolean needsImages() {
        return tokens.stream().anyMatch(t -> t.kind == Kind.CONV || t.kind == Kind.MAX_POOL || t.kind == Kind.AVG_POOL);
    }

    /** The layers as tokens, canonical (lower case, activations as {@link Activation#toString}). */
    public List<String> tokens() {
        return tokens.stream().map(Token::text).toList();
    }

    /** The spec, canonical: {@link #parse} of it gives an equal spec. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetSpec other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
