package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Idx;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Samples/s and test accuracy of the 784-512-512-10 Adam recipe (mlp-large, batch 128 a task)
 * trained the same number of epochs single-process (CPU backend, two threads), on Spark
 * local[2] (one thread a task) and on a standalone cluster of two one-core workers, averaging
 * every K in {1, 10, 100, one epoch} steps. Prints one Markdown table; spark/bench-scaling.sh runs it.
 */
public final class ScalingBenchmark {
    private ScalingBenchmark() {
    }

    /** One row of the table. */
    private record Row(String setup, String k, double samplesPerSecond, double syncShare, double accuracy) {
    }

    /** {@code --jars SPARK_CLASSPATH_FILE [--data DIR] [--dataset NAME] [--epochs 3] [--ks 1,10,100,epoch] [--no-cluster]} */
    public static void main(String[] args) throws Exception {
        Map<String, String> f = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            f.put(args[i].replaceFirst("^--", ""), i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "");
        }
        int epochs = Integer.parseInt(f.getOrDefault("epochs", "3"));
        MnistFiles data = MnistFiles.locate(f.getOrDefault("dataset", "mnist"), f.get("data"));
        List<String> ks = List.of(f.getOrDefault("ks", "1,10,100,epoch").split(","));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "neurite: scaling of mlp-large (784-512-512-10, Adam 0.001, batch 128 a task), %d epochs of %s%n",
                epochs, data.name());
        List<Row> rows = new ArrayList<>();
        rows.add(single(data, epochs, out));
        rows.addAll(spark("local[2]", data, epochs, ks, out));
        if (!f.containsKey("no-cluster")) {
            try (LocalCluster cluster = LocalCluster.start(2, LocalCluster.jars(Path.of(f.get("jars"))))) {
                rows.addAll(spark(cluster.master(), data, epochs, ks, out));
            }
        }
        print(rows, epochs, out);
    }

    private static Row single(MnistFiles data, int epochs, PrintStream out) throws Exception {
        Dataset train = Idx.read(Path.of(data.trainImages()), Path.of(data.trainLabels()));
        Dataset test = Idx.read(Path.of(data.testImages()), Path.of(data.testLabels()));
        try (Backend backend = Backends.open("cpu", BackendOptions.builder().cpuThreads(2).build());
             Network net = Preset.MLP_LARGE.network(backend, train.shape(), 10, 1);
             Trainer trainer = new Trainer(net, Preset.MLP_LARGE.loss(), Preset.MLP_LARGE.optimizer(0.001f), 128, 1)) {
            out.println("neurite: single process on " + backend.device());
            long nanos = 0;
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime();
                trainer.epoch(train);
                backend.finish();
                nanos += System.nanoTime() - t0;
            }
            return new Row("single process, 2 threads", "-", (double) train.rows() * epochs / (nanos / 1e9), 0,
                    trainer.evaluate(test).accuracy());
        }
    }

    private static List<Row> spark(String master, MnistFiles data, int epochs, List<String> ks, PrintStream out)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        SparkSession spark = SparkTrainCommand.session(master);
        try {
            String setup = master.startsWith("local") ? "Spark " + master + ", 1 thread a task" : "standalone, 2 workers x 1 core";
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> train =
                    Frames.idx(spark, data.trainImages(), data.trainLabels(), 2).cache();
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> test =
                    Frames.idx(spark, data.testImages(), data.testLabels(), 2).cache();
            for (String k : ks) {
                double[] time = new double[2];
                long[] samples = new long[1];
                Recipe recipe = new Recipe((b, s) -> Preset.MLP_LARGE.network(b, Shape.image(1, 28, 28), 10, s),
                        Preset.MLP_LARGE.loss(), Preset.MLP_LARGE.optimizer(0.001f), 128);
                SparkTrainer trainer = new SparkTrainer(recipe).seed(1).epochs(epochs).partitions(2).threadsPerTask(1)
                        .onRound(r -> {
                            time[0] += r.seconds();
                            time[1] += r.syncSeconds();
                            samples[0] += r.samples();
                        });
                if (k.equals("epoch")) {
                    trainer.syncEveryEpoch();
                } else {
                    trainer.syncSteps(Integer.parseInt(k));
                }
                SparkModel model = trainer.fit(train);
                double accuracy = model.evaluate(test, Columns.defaults()).accuracy();
                Row row = new Row(setup, k, samples[0] / time[0], time[1] / time[0], accuracy);
                out.printf(Locale.ROOT, "neurite: %s, K = %s: %.0f samples/s, sync %.0f%%, test %.2f%%%n", setup, k,
                        row.samplesPerSecond(), 100 * row.syncShare(), 100 * accuracy);
                rows.add(row);
            }
        } finally {
            spark.stop();
        }
        return rows;
    }

    private static void print(List<Row> rows, int epochs, PrintStream out) throws Exception {
        String cpu = Files.lines(Path.of("/proc/cpuinfo")).filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        out.printf(Locale.ROOT, "%n%s, %d cores, %s; JVM %s; %d epochs each%n%n", cpu,
                Runtime.getRuntime().availableProcessors(), Backends.describe().stream().filter(b -> b.name().equals("cpu"))
                        .findFirst().map(b -> "cpu backend: " + b.availability()).orElse("no cpu backend"),
                Runtime.version(), epochs);
        out.println("| setup | K (steps a round) | samples/s | vs single process | time in sync | test accuracy |");
        out.println("|---|---|---:|---:|---:|---:|");
        double base = rows.get(0).samplesPerSecond();
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f | %s | %.2f%% |%n", r.setup(), r.k(), r.samplesPerSecond(),
                    r.samplesPerSecond() / base, r.k().equals("-") ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.syncShare()),
                    100 * r.accuracy());
        }
    }
}
