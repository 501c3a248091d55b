package dev.neurite.cli;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.Update;
import dev.neurite.nn.Checkpoint;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Idx;
import dev.neurite.nn.Init;
import dev.neurite.nn.Loss;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code neurite train}: the classic recipe by default (784-15-10, sigmoid, quadratic loss,
 * SGD η = 3.0, mini-batch 10, 30 epochs, seed 1); each flag overrides one part.
 */
final class TrainCommand {
    static final String USAGE = """
            usage: neurite train [flags]
              --model NAME          a preset and its recipe (loss, optimizer, lr, batch, epochs):
                                    classic (784-15-10, the default), perceptron, logistic, linear,
                                    mlp-large (784-512-512-10 ReLU, softmax CE, Adam, batch 128),
                                    lenet (conv 5x5x20, pool, conv 5x5x50, pool, 500 ReLU, softmax CE, Adam)
                                    --lr, --batch, --epochs, --optimizer, --l1, --l2, --dropout override it
              --layers W,W,...      layer widths, input first          (default 784,15,10)
              --activation NAME     hidden and output activation        (default sigmoid)
                                    identity, binary-step, sigmoid, tanh, relu, leaky-relu[:slope],
                                    elu[:alpha], selu, gelu, softplus
              --loss NAME           quadratic, softmax-ce, binary-ce,   (default quadratic)
                                    perceptron (all but quadratic take the output layer's logits)
              --optimizer NAME      sgd, momentum, nesterov, adagrad, adadelta, rmsprop,
                                    adam, adamax, nadam, amsgrad        (default sgd)
              --decay D             time-based decay: lr / (1 + D·step) (default 0)
              --l2 L                L2 penalty on the weights           (default 0)
              --l1 L                L1 penalty on the weights           (default 0)
              --dropout RATE        dropout after each hidden layer     (default 0)
              --lr RATE             learning rate                       (default 3.0)
              --batch N             mini-batch size                     (default 10)
              --epochs N            passes over the training set        (default 30)
              --init NAME           normal, xavier, he                  (default normal)
              --seed N              weights and shuffling               (default 1)
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]     (default: -Dneurite.backend, NEURITE_BACKEND, auto)
              --threads N           CPU backend threads                 (default: all cores)
              --dataset NAME        mnist or fashion-mnist              (default mnist)
              --data DIR            folder with the four IDX files      (default: $NEURITE_DATA, ~/.cache/neurite/mnist)
              --save FILE           write the trained model here (checksummed, written atomically)
              --checkpoint FILE     keep the best model so far here, after every epoch that improves
            """;
    private static final Set<String> FLAGS = Set.of("layers", "activation", "loss", "optimizer", "lr", "batch", "epochs",
            "init", "seed", "backend", "threads", "dataset", "data", "save", "decay", "l1", "l2", "model", "dropout", "checkpoint");

    private TrainCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, FLAGS);
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        Preset preset = null;
        if (f.has("model")) {
            try {
                preset = Preset.named(f.get("model", ""));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--model: " + e.getMessage());
            }
            for (String own : new String[] {"layers", "activation", "loss", "init"}) {
                if (f.has(own) && preset != Preset.CLASSIC) {
                    throw new UsageException("--" + own + " describes the network built from flags; --model "
                            + preset + " fixes it (" + preset.description() + ")");
                }
            }
        }
        if (preset == Preset.CLASSIC) {
            preset = null; // the flag-built MLP with the classic defaults
        }
        Preset recipe = preset == null ? Preset.CLASSIC : preset;
        int[] layers = layers(f.get("layers", "784,15,10"));
        Activation activation = activation(f.get("activation", "sigmoid"));
        Loss loss = preset != null ? preset.loss() : switch (f.get("loss", "quadratic")) {
            case "quadratic" -> Loss.QUADRATIC;
            case "softmax-ce" -> Loss.SOFTMAX_CROSS_ENTROPY;
            case "binary-ce" -> Loss.BINARY_CROSS_ENTROPY;
            case "perceptron" -> Loss.PERCEPTRON;
            default -> throw new UsageException("--loss must be quadratic, softmax-ce, binary-ce or perceptron, got '"
                    + f.get("loss", "") + "'");
        };
        float lr = f.decimal("lr", recipe.learningRate());
        Optimizer optimizer = f.has("optimizer") ? optimizer(f.get("optimizer", "sgd"), lr) : recipe.optimizer(lr);
        if (f.has("decay")) {
            optimizer = optimizer.withDecay(f.decimal("decay", 0f));
        }
        int batch = f.integer("batch", recipe.batch(), 1);
        int epochs = f.integer("epochs", recipe.epochs(), 1);
        float dropout = f.has("dropout") ? f.decimal("dropout", 0f) : 0f;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new UsageException("--dropout must be in [0, 1), got " + dropout);
        }
        long seed = f.longValue("seed", 1);
        Init init = switch (f.get("init", "normal")) {
            case "normal" -> Init.NORMAL;
            case "xavier" -> Init.XAVIER;
            case "he" -> Init.HE;
            default -> throw new UsageException("--init must be normal, xavier or he, got '" + f.get("init", "") + "'");
        };
        BackendOptions options = f.has("threads")
                ? BackendOptions.builder().cpuThreads(f.integer("threads", 1, 1)).build() : BackendOptions.defaults();
        DataLocator.Located data = DataLocator.locate(f.get("dataset", "mnist"), f.get("data", null),
                System.getenv("NEURITE_DATA"), Path.of(System.getProperty("user.home")), out);
        Dataset train = Idx.read(data.trainImages(), data.trainLabels());
        Dataset test = Idx.read(data.testImages(), data.testLabels());
        if (preset == null && (train.cols() != layers[0] || layers[layers.length - 1] != train.classes())) {
            throw new UsageException("--layers " + f.get("layers", "784,15,10") + " does not fit " + data.name()
                    + ": input must be " + train.cols() + " and output " + train.classes());
        }
        try (Backend backend = Backends.open(f.get("backend", Backends.requested()), options)) {
            out.println("neurite: backend " + backend.name() + " — " + backend.device());
            Network built = preset != null ? preset.network(backend, train.shape(), train.classes(), seed, dropout)
                    : mlp(layers, activation, init, loss, dropout).build(backend, seed);
            out.printf(Locale.ROOT, "neurite: %s, %d training and %d test images; %s; %s loss, %s, batch %d, %d epochs, seed %d%n",
                    data.name(), train.rows(), test.rows(), built, loss, optimizer, batch, epochs, seed);
            Checkpoint checkpoint = f.has("checkpoint") ? new Checkpoint(Path.of(f.get("checkpoint", ""))) : null;
            try (Network net = built;
                 Trainer trainer = new Trainer(net, loss, optimizer, batch, seed)
                         .regularize(f.has("l1") ? f.decimal("l1", 0f) : 0f, f.has("l2") ? f.decimal("l2", 0f) : 0f)) {
                for (int e = 1; e <= epochs; e++) {
                    long t0 = System.nanoTime();
                    ProgressBar bar = new ProgressBar(err, "epoch " + e + "/" + epochs);
                    trainer.epoch(train, bar::update);
                    backend.finish();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    bar.clear();
                    Trainer.Evaluation tr = trainer.evaluate(train);
                    Trainer.Evaluation te = trainer.evaluate(test);
                    out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.2f s  %.0f samples/s%n", e,
                            epochs, tr.loss(), 100 * tr.accuracy(), 100 * te.accuracy(), seconds, train.rows() / seconds);
                    if (checkpoint != null && checkpoint.offer(net, tr.loss())) {
                        out.println("neurite: checkpoint (best training loss so far) saved to " + checkpoint.file());
                    }
                }
                if (f.has("save")) {
                    ModelFile.save(net, Path.of(f.get("save", "")));
                    out.println("neurite: model saved to " + f.get("save", ""));
                }
            }
        }
        return 0;
    }

    /** The MLP the flags describe: dense layers of the given widths, hidden activation, optional dropout. */
    private static Network.Builder mlp(int[] layers, Activation activation, Init init, Loss loss, float dropout) {
        Network.Builder b = Network.builder(layers[0]);
        boolean logits = loss != Loss.QUADRATIC;
        for (int i = 1; i < layers.length; i++) {
            boolean last = i == layers.length - 1;
            b = last && logits ? b.dense(layers[i], init) : b.dense(layers[i], init, activation);
            if (!last && dropout > 0) {
                b = b.dropout(dropout);
            }
        }
        return b;
    }

    private static Optimizer optimizer(String name, float lr) throws UsageException {
        return switch (name) {
            case "sgd" -> Optimizer.sgd(lr);
            case "momentum" -> Optimizer.momentum(lr, 0.9f);
            case "nesterov" -> Optimizer.nesterov(lr, 0.9f);
            case "adagrad", "adadelta", "rmsprop", "adam", "adamax", "nadam", "amsgrad" ->
                    Optimizer.of(Update.Kind.valueOf(name.toUpperCase(Locale.ROOT)), lr);
            default -> throw new UsageException("--optimizer must be one of sgd, momentum, nesterov, adagrad, adadelta, "
                    + "rmsprop, adam, adamax, nadam, amsgrad; got '" + name + "'");
        };
    }

    private static int[] layers(String spec) throws UsageException {
        String[] parts = spec.split(",");
        if (parts.length < 2) {
            throw new UsageException("--layers needs at least an input and an output width, got '" + spec + "'");
        }
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--layers must be widths separated by commas, got '" + spec + "'");
            }
            if (w[i] < 1) {
                throw new UsageException("--layers widths must be at least 1, got '" + spec + "'");
            }
        }
        return w;
    }

    private static Activation activation(String name) throws UsageException {
        try {
            Activation a = Activation.parse(name);
            if (a.rowWise()) {
                throw new UsageException("--activation softmax is row-wise: use --loss softmax-ce instead");
            }
            return a;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--activation: " + e.getMessage());
        }
    }
}
