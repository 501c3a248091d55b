package dev.neurite.spark;

import dev.neurite.nn.FlagRecipe;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code neurite train --spark MASTER ...}: the recipes of {@code neurite train}, trained
 * data-parallel on Spark. Also the main class for
 * {@code spark-submit --class dev.neurite.spark.SparkTrainCommand neurite-spark-VERSION-app.jar [flags]}.
 */
public final class SparkTrainCommand {
    static final String USAGE = """
            usage: neurite train --spark MASTER [flags]     (or spark-submit --class dev.neurite.spark.SparkTrainCommand APP.jar [flags])
              --spark MASTER        local[N], local[N,F] (F tries a task), spark://HOST:PORT, yarn, ...
                                    (default: the master spark-submit gives)
              --sync-steps K        average the replicas every K local steps     (default 1)
              --sync-every epoch    average once an epoch instead
              --partitions N        split the rows into N partitions, one task each (default: one a core)
              --threads N           CPU backend threads a task                   (default: spark.task.cpus)
              --backend SPEC        the backend executors open                   (default: their own property,
                                    environment or auto: GPU executors CUDA, the others the CPU)
              --model --net --layers --activation --loss --optimizer --lr --momentum --beta1 --beta2 --eps
              --rho --decay --l1 --l2 --dropout --batch --epochs --init --seed
                                    as in neurite train (same defaults); --batch is a task's mini-batch
              --dataset NAME        mnist or fashion-mnist                       (default mnist)
              --data DIR            folder (or Hadoop URI, whose files are taken as .gz) of the four IDX
                                    files the executors read
                                    (default: $NEURITE_DATA, ~/.cache/neurite/mnist)
              --save FILE           write the trained model here
              --checkpoint FILE     save the model and the run's position here (and FILE.state) at the end
                                    of every epoch and every --checkpoint-every N rounds
              --checkpoint-every N  rounds between checkpoints                    (default: at epochs' ends)
              --resume FILE         continue the run whose checkpoint FILE is (same data, flags and seed)
            """;
    /** The network and recipe flags of {@link FlagRecipe#FLAGS}, and the ones of this command. */
    private static final Set<String> FLAGS = java.util.stream.Stream.concat(FlagRecipe.FLAGS.stream(),
            java.util.stream.Stream.of("spark", "sync-steps", "sync-every", "partitions", "threads", "backend", "seed", "dataset", "data",
                    "save", "checkpoint", "checkpoint-every", "resume")).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** As the launcher's (cli {@code Launcher.FLAGS}), which this module cannot see. */
    private static final String NEURITE_JVM_FLAGS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    private SparkTrainCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with {@code args} (the flags, without "train"); 0 done, 1 failed, 2 wrong flags. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> f;
        try {
            f = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("neurite: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (f.containsKey("help")) {
            out.print(USAGE);
            return 0;
        }
        try {
            return train(f, out, err);
        } catch (IllegalArgumentException e) {
            err.println("neurite: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("neurite: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                f.put("help", "");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            String bare = eq >= 0 ? name.substring(0, eq) : name;
            if (!FLAGS.contains(bare)) {
                // before looking for its value: an unknown flag last on the line is unknown, not valueless
                throw new IllegalArgumentException("unknown flag --" + bare + (bare.equals("help") ? "" : " for train --spark"));
            }
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            f.put(name, value);
        }
        if (f.containsKey("sync-every") && !f.get("sync-every").equals("epoch")) {
            throw new IllegalArgumentException("--sync-every takes 'epoch', got '" + f.get("sync-every") + "'");
        }
        if (f.containsKey("sync-every") && f.containsKey("sync-steps")) {
            throw new IllegalArgumentException("give --sync-steps K or --sync-every epoch, not both");
        }
        return f;
    }

    private static int train(Map<String, String> f, PrintStream out, PrintStream err) throws IOException {
        MnistFiles data = MnistFiles.locate(f.getOrDefault("dataset", "mnist"), f.get("data"));
        // the flags are checked before Spark takes seconds to start
        CommandRecipe.Chosen chosen = CommandRecipe.from(f, Shape.image(1, 28, 28), 10);
        int epochs = chosen.epochs();
        long seed = seed(f.getOrDefault("seed", "1"));
        checkFiles(f);
        SparkSession spark = session(f.get("spark"));
        try {
            int partitions = f.containsKey("partitions") ? FlagRecipe.whole(f, "partitions", 1)
                    : spark.sparkContext().defaultParallelism();
            Dataset<Row> train = Frames.idx(spark, data.trainImages(), data.trainLabels(), partitions);
            Dataset<Row> test = Frames.idx(spark, data.testImages(), data.testLabels(), partitions).cache();
            SparkTrainer trainer = new SparkTrainer(chosen.recipe()).seed(seed).epochs(epochs).partitions(partitions);
            if (f.containsKey("sync-every")) {
                trainer.syncEveryEpoch();
            } else {
                trainer.syncSteps(FlagRecipe.whole(f, "sync-steps", 1));
            }
            if (f.containsKey("threads")) {
                trainer.threadsPerTask(FlagRecipe.whole(f, "threads", 1));
            }
            if (f.containsKey("backend")) {
                trainer.backend(f.get("backend"));
            }
            if (f.containsKey("checkpoint")) {
                trainer.checkpoint(Path.of(f.get("checkpoint")), FlagRecipe.whole(f, "checkpoint-every", Integer.MAX_VALUE));
            }
            int steps = FlagRecipe.whole(f, "sync-steps", 1);
            out.printf(Locale.ROOT, "neurite: Spark %s, master %s, %d partitions; %s, %s; sync %s; %d epoch%s, seed %d%n",
                    spark.version(), spark.sparkContext().master(), partitions, data.name(), chosen.description(),
                    f.containsKey("sync-every") ? "every epoch" : steps == 1 ? "every step" : "every " + steps + " steps",
                    epochs, epochs == 1 ? "" : "s", seed);
            Progress progress = new Progress(out);
            trainer.onRound(progress::round).onEpoch((e, model) -> {
                Trainer.Evaluation tr = model.evaluateTraining();
                Trainer.Evaluation te = model.evaluate(test, Columns.defaults());
                progress.epoch(e, epochs, tr, te);
            });
            SparkModel model = f.containsKey("resume") ? trainer.resume(train, Path.of(f.get("resume"))) : trainer.fit(train);
            if (f.containsKey("save")) {
                model.save(Path.of(f.get("save")));
                out.println("neurite: model saved to " + f.get("save"));
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, got '" + value + "'");
        }
    }

    /**
     * The files the run reads and writes, checked before Spark starts and long before a finished
     * run would fail to save: {@code --resume} there, {@code --save} and {@code --checkpoint} not
     * folders and in a folder that exists and can be written.
     */
    private static void checkFiles(Map<String, String> f) throws IOException {
        if (f.containsKey("resume") && !Files.isRegularFile(Path.of(f.get("resume")))) {
            throw new IOException("--resume " + f.get("resume") + ": no such file");
        }
        for (String flag : new String[] {"save", "checkpoint"}) {
            if (!f.containsKey(flag)) {
                continue;
            }
            Path file = Path.of(f.get(flag));
            Path folder = file.toAbsolutePath().getParent();
            if (Files.isDirectory(file)) {
                throw new IOException("--" + flag + " " + file + ": is a folder; give a file name in it");
            }
            if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new IOException("--" + flag + " " + file + ": cannot be written: the folder " + folder
                        + (folder != null && Files.isDirectory(folder) ? " is not writable" : " does not exist"));
            }
        }
    }

    /** The session: the master given (or spark-submit's), executors with Neurite's JVM flags and jars. */
    static SparkSession session(String master) throws IOException {
        SparkConf conf = new SparkConf().setAppName("neurite train");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: pass --spark MASTER (e.g. local[2]) or run under spark-submit");
        }
        String m = conf.get("spark.master");
        if (m.startsWith("local") || m.contains("://127.0.0.1:") || m.contains("://localhost:")) {
            // on one machine nothing needs to listen beyond it
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector")) {
            conf.set("spark.executor.extraJavaOptions", (opts + " " + NEURITE_JVM_FLAGS).trim());
        }
        if (!m.startsWith("local") && !conf.contains("spark.jars")) {
            conf.set("spark.jars", String.join(",", AppJars.locate()));
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Per-round and per-epoch lines: samples/s, and the time spent synchronizing apart from training. */
    private static final class Progress {
        private final PrintStream out;
        private long samples;
        private double seconds;
        private double sync;

        Progress(PrintStream out) {
            this.out = out;
        }

        void round(SparkTrainer.RoundReport r) {
            samples += r.samples();
            seconds += r.seconds();
            sync += r.syncSeconds();
            int every = Math.max(1, (r.rounds() + 9) / 10);
            if (r.round() % every == 0 || r.round() == r.rounds()) {
                out.printf(Locale.ROOT, "  epoch %d round %d/%d  %d samples  %.3f s (train %.3f s, sync %.3f s)  %.0f samples/s%n",
                        r.epoch(), r.round(), r.rounds(), r.samples(), r.seconds(), r.computeSeconds(), r.syncSeconds(),
                        r.samples() / r.seconds());
            }
        }

        void epoch(int e, int epochs, Trainer.Evaluation train, Trainer.Evaluation test) {
            out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.2f s  %.0f samples/s  (sync %.2f s)%n",
                    e, epochs, train.loss(), 100 * train.accuracy(), 100 * test.accuracy(), seconds, samples / seconds, sync);
            samples = 0;
            seconds = 0;
            sync = 0;
        }
    }
}
