package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.DivergenceException;
import dev.neurite.nn.Fit;
import dev.neurite.nn.FlagRecipe;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code neurite train}: the classic recipe by default (784-15-10, sigmoid, quadratic loss,
 * SGD η = 3.0, mini-batch 10, 30 epochs, seed 1); each flag overrides one part. Every flag is
 * checked, and every output file tried, before data is read or a backend opened; the epochs run
 * in {@link Fit}.
 */
final class TrainCommand {
    static final String USAGE = """
            usage: neurite train [flags]
            Data
              --data PATH           a table (FILE.csv, FILE.csv.gz) or a folder of IDX files
                                    (default: $NEURITE_DATA, then ~/.cache/neurite/mnist)
              --dataset NAME        IDX data: mnist or fashion-mnist                  (default mnist)
              --label COLUMN        a table's class column, by name or index from 0   (default: the last column)
              --target COL,...      a table's real-valued columns: a regression       (default: none, classify)
              --test FILE           a table to score on, labels mapped as in --data   (default: none)
              --holdout F           the test set is a fraction F of the training data (default 0: the test files)
              --validation F        a validation set: fraction F of the training part (default 0: none)
              --scale NAME          standard, minmax or none, fitted on the training part and stored
                                    with the model      (default: standard for tables; none for images, x/255)
              --seed N              weights, shuffling and the splits                 (default 1)
            Network
              --model NAME          a preset with its recipe: classic (the default), perceptron, logistic,
                                    linear, mlp-large (784-512-512-10 ReLU, softmax CE, Adam 0.001, batch 128),
                                    lenet (conv 5x5x20, pool, conv 5x5x50, pool, 500 ReLU; Adam 0.001, batch 64)
              --net SPEC            any network, one line: e.g. conv5x20,relu,maxpool2,flatten,dense100,relu,dense10
                                    (denseN, convKxF[sS][pP], maxpoolK[sS], avgpoolK[sS], flatten, dropoutR,
                                    batchnorm, maxoutK, activations; dense/conv may end in :INIT) (default: none)
              --layers W,W,...      dense widths, input first                         (default: input,15,output)
              --activation NAME     after each dense layer: identity, binary-step, sigmoid, tanh, relu,
                                    leaky-relu[:slope], elu[:alpha], selu, gelu, softplus  (default sigmoid)
              --init NAME           normal, xavier, he, lecun      (default: He for the ReLU family, LeCun for
                                    SELU, Glorot for the rest; N(0, 1) in the classic sigmoid + quadratic net)
              --dropout RATE        after each hidden layer of --layers or a preset   (default 0: none)
            Training
              --loss NAME           quadratic, softmax-ce, binary-ce, perceptron      (default quadratic)
                                    (all but quadratic take the last layer's raw outputs)
              --optimizer NAME      sgd, momentum, nesterov, adagrad, adadelta, rmsprop,
                                    adam, adamax, nadam, amsgrad                      (default sgd)
              --lr RATE             learning rate (default per optimizer: sgd 3.0 with the quadratic loss,
                                    0.1 with the others; momentum, nesterov that x (1 - momentum); adagrad
                                    0.01; adadelta 1.0; rmsprop and the adam family 0.001; a preset its own)
              --momentum M          momentum, nesterov                                (default 0.9)
              --beta1 B             adam, adamax, nadam, amsgrad                      (default 0.9)
              --beta2 B             adam, adamax, nadam, amsgrad                      (default 0.999)
              --rho R               rmsprop, adadelta                                 (default 0.9, adadelta 0.95)
              --eps E               every adaptive optimizer                          (default 1e-7, adadelta 1e-6)
              --decay D             time-based decay: lr / (1 + D·step)               (default 0: none)
              --l2 L                L2 penalty on the weights                         (default 0: none)
              --l1 L                L1 penalty on the weights                         (default 0: none)
              --batch N             mini-batch size                                   (default 10; a preset its own)
              --epochs N            epochs of the run in all                          (default 30; a preset its own)
              --patience N          stop when the validation loss has not improved for N epochs, and keep
                                    the best epoch's weights (needs --validation)     (default 0: never)
              --min-delta D         stop when the training loss improves by less than D  (default 0: never)
            Files and running
              --save FILE           write the trained model (checksummed, written atomically)  (default: none)
              --checkpoint FILE     keep the best epoch so far (by validation loss when there is a validation
                                    set, else training loss) as a checkpoint that --resume continues
                                                                                      (default: none)
              --resume FILE         continue a checkpoint with its recipe; give the same data flags
                                                                                      (default: none, a new run)
              --plot FILE.png       loss and accuracy per epoch as a chart            (default: none)
              --metrics FILE.csv    loss and accuracy per epoch as a table            (default: none)
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]     (default: -Dneurite.backend, NEURITE_BACKEND, auto)
              --threads N           CPU backend threads                               (default: all cores)
              --quiet               print only the final line                         (default: off)
              --verbose             also the library's debug log (backend selection)  (default: off)
            """;
    private static final Set<String> OWN = Set.of("seed", "backend", "threads", "save", "checkpoint", "patience",
            "min-delta", "plot", "metrics", "resume");
    private static final Set<String> FLAGS = union(FlagRecipe.FLAGS, TrainingData.FLAGS, OWN);

    private final Flags f;
    private final PrintStream info;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;

    private TrainCommand(Flags f, Verbosity v, PrintStream out, PrintStream err) {
        this.f = f;
        this.info = v.info(out);
        this.out = out;
        this.err = err;
        this.quiet = v.quiet();
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, FLAGS, Verbosity.SWITCHES);
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        try (Verbosity v = Verbosity.of(f)) {
            return new TrainCommand(f, v, out, err).train();
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b, Set<String> c) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        all.addAll(c);
        return Set.copyOf(all);
    }

    private int train() throws UsageException, IOException {
        Path resume = f.has("resume") ? Path.of(f.get("resume", "")) : null;
        FlagRecipe recipe = resume == null ? recipe() : null;
        if (resume != null) {
            Set<String> fixed = new HashSet<>(FlagRecipe.FLAGS);
            fixed.remove("epochs");
            fixed.add("scale");
            if (!f.given(fixed).isEmpty()) {
                throw new UsageException(f.given(fixed) + ": --resume continues the checkpoint's network, recipe and "
                        + "scaling as they were; give only the data flags, --epochs and the stopping rules");
            }
        }
        long seed = f.longValue("seed", 1);
        TrainingData.Spec data = TrainingData.spec(f, seed);
        int epochs = recipe != null ? recipe.epochs() : f.integer("epochs", 30, 1);
        int patience = f.integer("patience", 0, 0);
        double minDelta = f.fraction("min-delta", 0, Double.POSITIVE_INFINITY);
        if (patience > 0 && data.validation() == 0) {
            throw new UsageException("--patience stops on the validation loss: add --validation FRACTION");
        }
        BackendOptions options = f.has("threads")
                ? BackendOptions.builder().cpuThreads(f.integer("threads", 1, 1)).build() : BackendOptions.defaults();
        // resolves the request (an unknown or unavailable backend, a device it lacks) without opening anything
        String backendSpec = f.get("backend", Backends.requested());
        Backends.select(backendSpec);
        for (String file : List.of("save", "checkpoint", "plot", "metrics")) {
            if (f.has(file)) {
                OutputFiles.check(file, Path.of(f.get(file, "")));
            }
        }
        if (resume != null) {
            OutputFiles.checkReadable("resume", resume);
        }
        TrainingData.Parts parts = TrainingData.load(data, info);
        Dataset train = parts.train();
        if (recipe != null) {
            try {
                recipe.check(train.shape(), train.classes());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage() + " (" + TrainingData.describe(parts.name(), train) + ")");
            }
        }
        try (Backend backend = Backends.open(backendSpec, options)) {
            info.println("neurite: backend " + backend.name() + " — " + backend.device());
            parts.notes().forEach(n -> info.println("neurite: " + n));
            if (resume != null) {
                try (Trainer trainer = resumed(resume, backend, parts, seed)) {
                    Network net = trainer.network();
                    parts = parts.withScaler(net.scaler(), net.scaler() == null ? "none, as the checkpoint's"
                            : "the checkpoint's own");
                    return fit(trainer, parts, epochs, patience, minDelta);
                }
            }
            try (Network net = recipe.network(backend, train.shape(), train.classes(), seed);
                 Trainer trainer = fresh(recipe, net, parts, seed)) {
                return fit(trainer, parts, epochs, patience, minDelta);
            }
        }
    }

    private FlagRecipe recipe() throws UsageException {
        try {
            return FlagRecipe.parse(f.values());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The trainer for a new network of the recipe, which gets the data's class names and scaler to keep in the model. */
    private Trainer fresh(FlagRecipe recipe, Network net, TrainingData.Parts parts, long seed) {
        Dataset train = parts.train();
        net.scaler(parts.scaler());
        if (!train.isRegression()) {
            net.classNames(train.classNames());
        }
        info.print(net.summary());
        if (recipe.initHint() != null) {
            info.println("neurite: note: " + recipe.initHint());
        }
        info.printf(Locale.ROOT, "neurite: %s, %d epoch%s, seed %d%n", recipe.description(train.shape(), train.classes()),
                recipe.epochs(), recipe.epochs() == 1 ? "" : "s", seed);
        return new Trainer(net, recipe.loss(), recipe.optimizer(), recipe.batch(), seed).regularize(recipe.l1(),
                recipe.l2());
    }

    /** The checkpoint's trainer, checked against the data it is to continue on. */
    private Trainer resumed(Path file, Backend backend, TrainingData.Parts parts, long seed) throws IOException,
            UsageException {
        Trainer t = Trainer.resume(file, backend);
        try {
            Network net = t.network();
            Dataset train = parts.train();
            if (!f.has("seed") && t.seed() != seed) {
                throw new UsageException("--resume " + file + " was trained with --seed " + t.seed()
                        + ", which also chose its splits: give --seed " + t.seed() + " with the run's data flags");
            }
            if (net.inputWidth() != train.cols() || (!train.isRegression() && !net.classNames().isEmpty()
                    && !net.classNames().equals(train.classNames()))) {
                throw new UsageException("--resume " + file + " takes " + net.inputWidth() + " inputs"
                        + (net.classNames().isEmpty() ? "" : " to classes " + net.classNames()) + "; "
                        + TrainingData.describe(parts.name(), train));
            }
            info.print(net.summary());
            info.printf(Locale.ROOT, "neurite: resuming %s after epoch %d: %s loss, %s, batch %d, seed %d%n", file,
                    t.epochs(), t.loss(), t.optimizer(), t.batch(), t.seed());
            return t;
        } catch (RuntimeException | UsageException e) {
            t.close();
            throw e;
        }
    }

    private int fit(Trainer trainer, TrainingData.Parts parts, int epochs, int patience, double minDelta)
            throws IOException {
        info.println("neurite: scaling: " + parts.scaling());
        Dataset train = parts.scaled(parts.train());
        Dataset validation = parts.scaled(parts.validation());
        Dataset test = parts.scaled(parts.test());
        ProgressBar bar = new ProgressBar(err, !quiet && ProgressBar.stderrIsTerminal(), trainer::runningLoss);
        trainer.trackLoss(bar.enabled());
        EpochLog log = new EpochLog(trainer, test, epochs, train.rows(), info, bar);
        Fit fit = new Fit().epochs(epochs).earlyStopping(patience).minDelta(minDelta).onEpoch(log).onProgress(log);
        if (f.has("checkpoint")) {
            fit.checkpoint(Path.of(f.get("checkpoint", "")));
        }
        Fit.Result r;
        try {
            r = fit.run(trainer, train, validation);
        } catch (DivergenceException e) {
            bar.clear();
            err.println("neurite: " + e.getMessage() + "; nothing was saved from the diverged state");
            return 1;
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage() + ": " + e.getCause().getMessage(), e.getCause());
        }
        finish(trainer, r, train, validation, test, log.curves(), parts.name());
        return 0;
    }

    /** Saves what was asked for, then prints the final line. */
    private void finish(Trainer trainer, Fit.Result r, Dataset train, Dataset validation, Dataset test, Curves curves,
                        String name) throws IOException {
        if (f.has("save")) {
            ModelFile.save(trainer.network(), Path.of(f.get("save", "")));
            info.println("neurite: model saved to " + f.get("save", ""));
        }
        if (f.has("checkpoint")) {
            info.println("neurite: checkpoint " + f.get("checkpoint", "") + " holds epoch " + r.bestEpoch()
                    + ", the best by " + (validation != null ? "validation" : "training") + " loss");
        }
        if (f.has("metrics")) {
            curves.writeCsv(Path.of(f.get("metrics", "")));
            info.println("neurite: metrics written to " + f.get("metrics", ""));
        }
        if (f.has("plot")) {
            curves.plot(Path.of(f.get("plot", "")), name);
            info.println("neurite: plot written to " + f.get("plot", ""));
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trained %d epoch%s (%s): ", r.epochs(),
                r.epochs() == 1 ? "" : "s", why(r)));
        line.append(EpochLog.result("train", trainer.evaluate(train)));
        if (validation != null) {
            line.append(", ").append(EpochLog.result("validation", trainer.evaluate(validation)));
        }
        if (test != null) {
            Trainer.Evaluation t = trainer.evaluate(test);
            line.append(", ").append(EpochLog.result("test", t));
            if (t.labelled()) {
                line.append(String.format(Locale.ROOT, " (%d of %d)", t.correct(), t.rows()));
            }
        }
        out.println(line);
    }

    private static String why(Fit.Result r) {
        return switch (r.reason()) {
            case "early stopping" -> "early stopping; the weights of epoch " + r.bestEpoch() + ", the best by validation "
                    + "loss, kept";
            case "converged" -> "converged: the training loss improved by less than --min-delta";
            default -> "all run";
        };
    }
}
