package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Update;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The training recipe that {@code neurite train}'s flags describe: the network ({@code --model},
 * {@code --layers}/{@code --activation}/{@code --dropout}, or {@code --net}), the loss, the
 * optimizer with its hyper-parameters and default learning rate, initialization, mini-batch,
 * epochs and penalties. The command and {@code train --spark} both read their flags through it,
 * so both take the same flags with the same defaults. It holds only names and numbers, so it is
 * serializable and builds the same network wherever it travels.
 *
 * <p>Defaults: the classic recipe (784-15-10 sigmoid, quadratic loss, SGD η = 3.0, batch 10, 30
 * epochs, N(0, 1) weights), with the data's input and output widths; a regression ({@code --target})
 * without network flags trains the {@link Preset#LINEAR} model. The learning rate defaults per
 * optimizer ({@link #defaultLearningRate}). Without {@code --init}, weights follow the activation
 * after them ({@link Init#forActivation}), except in the classic sigmoid + quadratic network.
 * Every value is checked here: {@link #parse} throws IllegalArgumentException naming the flag.
 */
public final class FlagRecipe implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The flags this recipe reads (the command has more: data, files, backend). */
    public static final Set<String> FLAGS = Set.of("model", "layers", "activation", "net", "loss", "init", "optimizer",
            "lr", "momentum", "beta1", "beta2", "eps", "rho", "decay", "batch", "epochs", "l1", "l2", "dropout");
    /** The optimizers by their flag names. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop",
            "adam", "adamax", "nadam", "amsgrad");
    private static final List<String> ADAM_FAMILY = List.of("adam", "adamax", "nadam", "amsgrad");
    private static final int CLASSIC_HIDDEN = 15;

    private final Preset preset;
    private final NetSpec net;
    private final int[] layers;
    private final String activation;
    private final String lossName;
    private final Init init;
    private final String optimizerName;
    private final Optimizer.Settings optimizer;
    private final int batch;
    private final int epochs;
    private final float l1;
    private final float l2;
    private final float dropout;
    private final boolean regression;

    private FlagRecipe(Map<String, String> f) {
        Preset p = f.containsKey("model") ? preset(f.get("model")) : null;
        this.regression = f.containsKey("target");
        conflicts(f, p);
        boolean networkFlags = f.containsKey("layers") || f.containsKey("net") || f.containsKey("activation");
        if (p == null && regression && !networkFlags) {
            p = Preset.LINEAR;
        }
        this.preset = p == Preset.CLASSIC ? null : p;
        Preset recipe = p == null ? Preset.CLASSIC : p;
        this.net = f.containsKey("net") ? NetSpec.parse(f.get("net")) : null;
        this.layers = f.containsKey("layers") ? FlagValues.layers(f.get("layers")) : null;
        this.activation = activation(f.getOrDefault("activation", "sigmoid")).toString();
        Loss loss = preset != null ? preset.loss() : loss(f.getOrDefault("loss", "quadratic"));
        Loss asked = f.containsKey("loss") ? loss(f.get("loss")) : loss;
        if (regression && (loss != Loss.QUADRATIC || asked != Loss.QUADRATIC)) {
            throw new IllegalArgumentException("--target makes a regression, which trains with the quadratic loss; got "
                    + (asked != Loss.QUADRATIC ? "--loss " + asked : "--model " + preset + " (" + loss + " loss)"));
        }
        this.lossName = loss.toString();
        this.init = f.containsKey("init") ? init(f.get("init")) : null;
        this.optimizerName = f.containsKey("optimizer") ? optimizerName(f.get("optimizer")) : presetOptimizer(recipe);
        this.optimizer = optimizer(f, recipe, loss);
        this.batch = FlagValues.whole(f, "batch", recipe.batch());
        this.epochs = FlagValues.whole(f, "epochs", recipe.epochs());
        this.l1 = FlagValues.number(f, "l1", 0f, false);
        this.l2 = FlagValues.number(f, "l2", 0f, false);
        this.dropout = FlagValues.fraction(f, "dropout", 0f);
    }

    /** Reads and checks the recipe flags among {@code flags} (name without "--" to value); others are ignored. */
    public static FlagRecipe parse(Map<String, String> flags) {
        return new FlagRecipe(flags);
    }

    private static void conflicts(Map<String, String> f, Preset p) {
        if (p != null && p != Preset.CLASSIC) {
            for (String own : new String[] {"layers", "activation", "loss", "init", "net"}) {
                if (f.containsKey(own)) {
                    throw new IllegalArgumentException("--" + own + " describes the network built from flags; --model "
                            + p + " fixes it (" + p.description() + ")");
                }
            }
        }
        if (f.containsKey("net")) {
            for (String own : new String[] {"layers", "activation", "dropout"}) {
                if (f.containsKey(own)) {
                    throw new IllegalArgumentException("--" + own + " belongs to the network --layers describes; --net "
                            + "names every layer itself (e.g. dense100,relu,dropout0.2,dense10)");
                }
            }
        }
    }

    /**
     * A whole-number flag of at least 1 ({@code --epochs}, {@code --sync-steps}, ...), checked as
     * every Neurite command checks it: {@code otherwise} when absent.
     *
     * @throws IllegalArgumentException naming the flag and the value when it is not such a number
     */
    public static int whole(Map<String, String> flags, String name, int otherwise) {
        return FlagValues.whole(flags, name, otherwise);
    }

    /**
     * The usual learning rate of an optimizer for a loss: SGD 3.0 with the quadratic loss (the
     * classic recipe) and 0.1 with the others; momentum and Nesterov SGD's rate times (1 − μ), the
     * same effective step; Adagrad 0.01; Adadelta 1.0 (its rule needs no rate); RMSProp and the
     * Adam family (Adam, Adamax, Nadam, AMSGrad) 0.001.
     */
    public static float defaultLearningRate(String optimizer, Loss loss, float momentum) {
        float sgd = loss == Loss.QUADRATIC ? 3.0f : 0.1f;
        return switch (optimizerName(optimizer)) {
            case "sgd" -> sgd;
            case "momentum", "nesterov" -> sgd * (1 - momentum);
            case "adagrad" -> 0.01f;
            case "adadelta" -> 1.0f;
            default -> 0.001f;
        };
    }

    private Optimizer.Settings optimizer(Map<String, String> f, Preset recipe, Loss loss) {
        String o = optimizerName;
        applies(f, "momentum", o, List.of("momentum", "nesterov"));
        applies(f, "beta1", o, ADAM_FAMILY);
        applies(f, "beta2", o, ADAM_FAMILY);
        applies(f, "rho", o, List.of("rmsprop", "adadelta"));
        applies(f, "eps", o, List.of("adagrad", "adadelta", "rmsprop", "adam", "adamax", "nadam", "amsgrad"));
        float mu = FlagValues.fraction(f, "momentum", 0.9f);
        boolean ownRate = preset != null && o.equals(presetOptimizer(recipe));
        float lr = f.containsKey("lr") ? FlagValues.number(f, "lr", 0f, true)
                : ownRate ? recipe.learningRate() : defaultLearningRate(o, loss, mu);
        float decay = FlagValues.number(f, "decay", 0f, false);
        Optimizer made = switch (o) {
            case "sgd" -> Optimizer.sgd(lr);
            case "momentum" -> Optimizer.momentum(lr, mu);
            case "nesterov" -> Optimizer.nesterov(lr, mu);
            default -> {
                Update.Kind kind = Update.Kind.valueOf(o.toUpperCase(Locale.ROOT));
                Optimizer.Settings usual = Optimizer.of(kind, lr).settings();
                float first = o.equals("rmsprop") || o.equals("adadelta") ? FlagValues.fraction(f, "rho", usual.beta1())
                        : FlagValues.fraction(f, "beta1", usual.beta1());
                yield Optimizer.of(kind, lr, first, FlagValues.fraction(f, "beta2", usual.beta2()), FlagValues.number(f, "eps", usual.eps(), true));
            }
        };
        return (decay > 0 ? made.withDecay(decay) : made).settings();
    }

    private static void applies(Map<String, String> f, String flag, String optimizer, List<String> to) {
        if (f.containsKey(flag) && !to.contains(optimizer)) {
            throw new IllegalArgumentException("--" + flag + " applies to " + String.join(", ", to) + "; the optimizer is "
                    + optimizer + (f.containsKey("optimizer") ? "" : " (choose one with --optimizer)"));
        }
    }

    /**
     * Checks that the network fits samples of {@code input} and {@code classes} classes (or
     * target columns); IllegalArgumentException names the flag or the {@code --net} token that
     * does not fit.
     */
    public void check(Shape input, int classes) {
        if (preset != null) {
            if (preset == Preset.LENET && input.isFlat()) {
                throw new IllegalArgumentException("--model lenet needs images (C, H, W); the data has samples " + input);
            }
            return;
        }
        int units = units(classes);
        String outputs = units == classes ? Integer.toString(classes) : classes + " (or " + units + ")";
        if (net != null) {
            Shape out = net.output(input);
            if (out.size() != classes && out.size() != units(classes) && !(classes == 2 && out.size() == 1)) {
                throw new IllegalArgumentException("--net ends with " + out.size() + " outputs, the data needs " + outputs
                        + (regression ? " (its target columns)" : " (one per class)"));
            }
            Activation last = net.finalActivation();
            if (last != null && loss() != Loss.QUADRATIC) {
                throw new IllegalArgumentException("--net ends in " + last + ", but the " + lossName + " loss takes the "
                        + "last layer's raw outputs (it applies its own function): end the spec with the dense layer");
            }
            return;
        }
        int[] w = layers != null ? layers : new int[] {input.size(), CLASSIC_HIDDEN, units};
        int out = w[w.length - 1];
        if (w[0] != input.size() || (out != classes && !(classes == 2 && out == 1))) {
            throw new IllegalArgumentException("--layers " + text(w) + " does not fit the data: the input must be "
                    + input.size() + " and the output " + outputs);
        }
    }

    /**
     * A hint when {@code --init} was given and is not what the {@code --activation} of a dense
     * stack wants (e.g. N(0, 1) before ReLU units, which trains far worse than He), else null.
     */
    public String initHint() {
        if (init == null || preset != null || net != null) {
            return null;
        }
        Init usual = Init.forActivation(Activation.parse(activation));
        if (init == usual || (init == Init.NORMAL && Activation.parse(activation).equals(Activation.SIGMOID))) {
            return null;
        }
        return "--init " + init.code() + " with --activation " + activation + ": " + usual.code()
                + " (the default without --init) usually trains better";
    }

    /** Output units for {@code classes}: one for two classes under binary cross-entropy or the perceptron, else one a class. */
    public int units(int classes) {
        Loss loss = loss();
        boolean oneUnit = !regression && classes == 2 && (loss == Loss.BINARY_CROSS_ENTROPY || loss == Loss.PERCEPTRON);
        return oneUnit ? 1 : classes;
    }

    /** The network for samples of {@code input} and {@code classes} classes, weights drawn from {@code seed}. */
    public Network network(Backend backend, Shape input, int classes, long seed) {
        check(input, classes);
        if (preset != null) {
            return preset.network(backend, input, units(classes), seed, dropout);
        }
        return spec(input, classes).builder(input, init).build(backend, seed);
    }

    /** The network as a spec (null for a preset, whose layers the preset builds). */
    public NetSpec spec(Shape input, int classes) {
        if (preset != null) {
            return null;
        }
        if (net != null) {
            return net;
        }
        int[] w = layers != null ? layers : new int[] {input.size(), CLASSIC_HIDDEN, units(classes)};
        Activation f = Activation.parse(activation);
        boolean activatedOutput = !regression && loss() == Loss.QUADRATIC;
        boolean classic = init == null && activatedOutput && f.equals(Activation.SIGMOID);
        Init weights = init != null ? init : classic ? Init.NORMAL : null;
        return NetSpec.mlp(w, f, activatedOutput ? f : null, dropout, weights);
    }

    public Loss loss() {
        return Loss.named(lossName);
    }

    /** A new optimizer of the recipe's settings. */
    public Optimizer optimizer() {
        return Optimizer.of(optimizer);
    }

    public Optimizer.Settings optimizerSettings() {
        return optimizer;
    }

    public int batch() {
        return batch;
    }

    public int epochs() {
        return epochs;
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    /** The preset, or null for a network built from flags. */
    public Preset preset() {
        return preset;
    }

    /** Words for a banner line: the model or network, loss, optimizer and batch. */
    public String description(Shape input, int classes) {
        String network = preset != null ? "model " + preset : net != null ? "--net " + net : "layers "
                + text(layers != null ? layers : new int[] {input.size(), CLASSIC_HIDDEN, units(classes)}) + " " + activation;
        return network + ", " + lossName + " loss, " + optimizer() + ", batch " + batch;
    }

    private static String text(int[] w) {
        return String.join(",", java.util.Arrays.stream(w).mapToObj(Integer::toString).toList());
    }

    private static Preset preset(String name) {
        try {
            return Preset.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage());
        }
    }

    private static String presetOptimizer(Preset recipe) {
        Optimizer.Settings s = recipe.optimizer(recipe.learningRate()).settings();
        return s.kind() == null ? "sgd" : s.kind().name().toLowerCase(Locale.ROOT);
    }

    private static String optimizerName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(n)) {
            throw new IllegalArgumentException("--optimizer must be one of " + String.join(", ", OPTIMIZERS) + "; got '"
                    + name + "'");
        }
        return n;
    }

    private static Loss loss(String name) {
        Loss l = Loss.named(name.strip());
        if (l == null) {
            throw new IllegalArgumentException("--loss must be quadratic, softmax-ce, binary-ce or perceptron, got '" + name
                    + "'");
        }
        return l;
    }

    private static Init init(String name) {
        try {
            return Init.ofCode(name.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--init must be normal, xavier, he or lecun, got '" + name + "'");
        }
    }

    private static Activation activation(String name) {
        try {
            Activation a = Activation.parse(name);
            if (a.rowWise()) {
                throw new IllegalArgumentException("--activation softmax is row-wise: use --loss softmax-ce instead");
            }
            return a;
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("--") ? e : new IllegalArgumentException("--activation: " + e.getMessage());
        }
    }
}
