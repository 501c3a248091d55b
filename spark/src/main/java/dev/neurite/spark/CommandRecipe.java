package dev.neurite.spark;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Update;
import dev.neurite.nn.Init;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import java.util.Locale;
import java.util.Map;

/**
 * The recipe {@code neurite train}'s flags describe (--model, --layers, --activation, --loss,
 * --optimizer, --lr, --decay, --batch, --init, --dropout, --l1, --l2), as a {@link Recipe} whose
 * factories capture only names and numbers, so they travel to the executors.
 */
final class CommandRecipe {
    private CommandRecipe() {
    }

    /** What the flags chose, with words for the banner line. */
    record Chosen(Recipe recipe, int epochs, String description) {
    }

    static Chosen from(Map<String, String> f, Shape input, int classes) {
        Preset preset = f.containsKey("model") ? preset(f.get("model")) : null;
        if (preset != null && preset != Preset.CLASSIC) {
            for (String own : new String[] {"layers", "activation", "loss", "init"}) {
                if (f.containsKey(own)) {
                    throw new IllegalArgumentException("--" + own + " describes the network built from flags; --model "
                            + preset + " fixes it (" + preset.description() + ")");
                }
            }
        } else {
            preset = null;
        }
        Preset recipe = preset == null ? Preset.CLASSIC : preset;
        float lr = number(f, "lr", recipe.learningRate());
        float decay = f.containsKey("decay") ? number(f, "decay", 0f) : 0f;
        String optimizerName = f.getOrDefault("optimizer", null);
        Optimizer probe = optimizer(optimizerName, recipe, lr, decay);
        float dropout = f.containsKey("dropout") ? number(f, "dropout", 0f) : 0f;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        Loss loss = preset != null ? preset.loss() : loss(f.getOrDefault("loss", "quadratic"));
        Recipe.NetworkFactory network;
        String description;
        if (preset != null) {
            Preset p = preset;
            int c = input.channels();
            int h = input.height();
            int w = input.width();
            network = (backend, seed) -> p.network(backend, new Shape(c, h, w), classes, seed, dropout);
            description = "model " + p;
        } else {
            int[] layers = layers(f.getOrDefault("layers", "784,15,10"));
            if (layers[0] != input.size() || layers[layers.length - 1] != classes) {
                throw new IllegalArgumentException("--layers " + f.getOrDefault("layers", "784,15,10") + " does not fit the "
                        + "data: input must be " + input.size() + " and output " + classes);
            }
            String activation = f.getOrDefault("activation", "sigmoid");
            if (Activation.parse(activation).rowWise()) {
                throw new IllegalArgumentException("--activation softmax is row-wise: use --loss softmax-ce instead");
            }
            Init init = Init.valueOf(f.getOrDefault("init", "normal").toUpperCase(Locale.ROOT));
            boolean logits = loss != Loss.QUADRATIC;
            network = (backend, seed) -> mlp(layers, Activation.parse(activation), init, logits, dropout).build(backend, seed);
            description = "layers " + f.getOrDefault("layers", "784,15,10") + " " + activation;
        }
        int batch = whole(f, "batch", recipe.batch());
        Recipe r = new Recipe(network, loss, probe, batch)
                .regularize(f.containsKey("l1") ? number(f, "l1", 0f) : 0f, f.containsKey("l2") ? number(f, "l2", 0f) : 0f);
        return new Chosen(r, whole(f, "epochs", recipe.epochs()), description + ", " + loss + " loss, " + probe
                + ", batch " + batch + " a task");
    }

    private static Network.Builder mlp(int[] layers, Activation activation, Init init, boolean logits, float dropout) {
        Network.Builder b = Network.builder(layers[0]);
        for (int i = 1; i < layers.length; i++) {
            boolean last = i == layers.length - 1;
            b = last && logits ? b.dense(layers[i], init) : b.dense(layers[i], init, activation);
            if (!last && dropout > 0) {
                b = b.dropout(dropout);
            }
        }
        return b;
    }

    private static Preset preset(String name) {
        try {
            return Preset.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage());
        }
    }

    private static Optimizer optimizer(String name, Preset recipe, float lr, float decay) {
        Optimizer o = name == null ? recipe.optimizer(lr) : switch (name) {
            case "sgd" -> Optimizer.sgd(lr);
            case "momentum" -> Optimizer.momentum(lr, 0.9f);
            case "nesterov" -> Optimizer.nesterov(lr, 0.9f);
            case "adagrad", "adadelta", "rmsprop", "adam", "adamax", "nadam", "amsgrad" ->
                    Optimizer.of(Update.Kind.valueOf(name.toUpperCase(Locale.ROOT)), lr);
            default -> throw new IllegalArgumentException("--optimizer must be one of sgd, momentum, nesterov, adagrad, "
                    + "adadelta, rmsprop, adam, adamax, nadam, amsgrad; got '" + name + "'");
        };
        return decay > 0 ? o.withDecay(decay) : o;
    }

    private static Loss loss(String name) {
        return switch (name) {
            case "quadratic" -> Loss.QUADRATIC;
            case "softmax-ce" -> Loss.SOFTMAX_CROSS_ENTROPY;
            case "binary-ce" -> Loss.BINARY_CROSS_ENTROPY;
            case "perceptron" -> Loss.PERCEPTRON;
            default -> throw new IllegalArgumentException("--loss must be quadratic, softmax-ce, binary-ce or perceptron, got '"
                    + name + "'");
        };
    }

    private static int[] layers(String spec) {
        String[] parts = spec.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                w[i] = 0;
            }
            if (w[i] < 1 || parts.length < 2) {
                throw new IllegalArgumentException("--layers must be two or more widths separated by commas, got '"
                        + spec + "'");
            }
        }
        return w;
    }

    static float number(Map<String, String> f, String name, float otherwise) {
        String v = f.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            float x = Float.parseFloat(v.trim());
            if (!(x >= 0) || Float.isInfinite(x)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a non-negative number, got '" + v + "'");
        }
    }

    static int whole(Map<String, String> f, String name, int otherwise) {
        String v = f.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number of at least 1, got '" + v + "'");
        }
    }
}
