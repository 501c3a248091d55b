package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data-parallel training on Spark by synchronous periodic model averaging. The driver holds the
 * weights; each round it broadcasts them, every partition (one task each) trains its replica K
 * mini-batch steps on its own rows on its executor's backend, and treeAggregate brings back
 * Σ n_p·w_p and Σ n_p, whose quotient starts the next round. With K = 1, plain SGD and equal
 * partitions this is synchronous SGD at the global batch partitions x batch.
 *
 * <p>The rows stay on the executors: each partition becomes one cached shard; only the weights
 * cross the network. Spark retries a failed task and recomputes a lost partition from its
 * lineage, and since a task depends only on the broadcast weights, its rows and seeds, the
 * round's result does not change.
 */
public final class SparkTrainer {
    private final Recipe recipe;
    private long seed = 1;
    private int epochs = 1;
    private int syncSteps = 1;
    private int partitions;
    private int threads;
    private String backend;
    private Columns columns = Columns.defaults();
    private Path checkpoint;
    private int checkpointEvery;
    private RoundListener onRound = r -> { };
    private EpochListener onEpoch = (e, m) -> { };

    /** Told after every round. */
    @FunctionalInterface
    public interface RoundListener {
        void round(RoundReport report);
    }

    /** Told after every epoch, with the model as it stands. */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(int epoch, SparkModel model);
    }

    /**
     * One round, measured on the driver.
     *
     * @param epoch          1-based
     * @param round          1-based within the epoch
     * @param rounds         rounds in an epoch
     * @param samples        rows trained on by all replicas
     * @param seconds        the round's wall time
     * @param computeSeconds the slowest replica's training time
     */
    public record RoundReport(int epoch, int round, int rounds, long samples, double seconds, double computeSeconds) {
        /** Everything that was not training: broadcast, scheduling, replica set-up, results, averaging. */
        public double syncSeconds() {
            return Math.max(0, seconds - computeSeconds);
        }
    }

    public SparkTrainer(Recipe recipe) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
    }

    /** Seeds the initial weights, the shuffles and the replicas' dropout (default 1). */
    public SparkTrainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    public SparkTrainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Averages every K local steps (default 1). */
    public SparkTrainer syncSteps(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("sync steps must be at least 1, got " + k);
        }
        this.syncSteps = k;
        return this;
    }

    /** Averages once an epoch: every replica passes over all its rows first. */
    public SparkTrainer syncEveryEpoch() {
        this.syncSteps = 0;
        return this;
    }

    /** Splits the rows into this many partitions, one task each (default: as the DataFrame comes). */
    public SparkTrainer partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + n);
        }
        this.partitions = n;
        return this;
    }

    /** CPU backend threads a task (default: spark.task.cpus, 1 unless configured). */
    public SparkTrainer threadsPerTask(int n) {
        this.threads = n;
        return this;
    }

    /** The backend the executors open, e.g. "cpu" (default: each executor's property, environment or auto). */
    public SparkTrainer backend(String spec) {
        this.backend = spec;
        return this;
    }

    public SparkTrainer columns(Columns c) {
        this.columns = Objects.requireNonNull(c, "columns");
        return this;
    }

    /**
     * Every {@code everyRounds} rounds and at the end of each epoch, saves the model to
     * {@code file} (the model file format) and where training stands to {@code file.state};
     * {@link #resume} continues from them.
     */
    public SparkTrainer checkpoint(Path file, int everyRounds) {
        if (everyRounds < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 round, got " + everyRounds);
        }
        this.checkpoint = file;
        this.checkpointEvery = everyRounds;
        return this;
    }

    public SparkTrainer onRound(RoundListener l) {
        this.onRound = Objects.requireNonNull(l);
        return this;
    }

    public SparkTrainer onEpoch(EpochListener l) {
        this.onEpoch = Objects.requireNonNull(l);
        return this;
    }

    /** Trains from the recipe's seeded initial weights. */
    public SparkModel fit(Dataset<Row> data) {
        return run(data, null);
    }

    /** Continues the run whose checkpoint is {@code file} (its model and {@code file.state}). */
    public SparkModel resume(Dataset<Row> data, Path file) throws IOException {
        return run(data, TrainingState.load(file, replica()));
    }

    private Replica replica() {
        return new Replica(recipe, java.util.UUID.randomUUID().toString(), seed, backend, threads);
    }

    private SparkModel run(Dataset<Row> data, TrainingState from) {
        Replica replica = replica();
        Built shape = Built.of(replica);
        JavaRDD<Shard> shards = Shards.cache(data, columns, partitions, shape.inputs(), shape.outputs());
        try {
            List<Integer> counts = shards.map(Shard::rows).collect();
            Schedule schedule = new Schedule(counts.stream().mapToInt(Integer::intValue).toArray(), recipe.batch(), syncSteps);
            if (from != null) {
                from.check(schedule, seed);
            }
            Weights w = from != null ? from.weights() : shape.initial();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            long roundsDone = from != null ? from.roundsDone() : 0;
            for (int e = from != null ? from.epoch() : 1; e <= epochs; e++) {
                for (Schedule.Round r : schedule.rounds(e)) {
                    if (from != null && e == from.epoch() && r.index() < from.nextRound()) {
                        continue;
                    }
                    w = round(jsc, shards, replica, schedule, r, w, roundsDone++);
                    boolean endOfEpoch = r.index() == schedule.roundsPerEpoch() - 1;
                    if (checkpoint != null && (roundsDone % checkpointEvery == 0 || endOfEpoch)) {
                        save(new TrainingState(w, endOfEpoch ? e + 1 : e, endOfEpoch ? 0 : r.index() + 1, roundsDone,
                                schedule, seed), replica);
                    }
                }
                onEpoch.epoch(e, new SparkModel(replica, w, shards, shape.inputs(), shape.outputs()));
            }
            return new SparkModel(replica, w, null, shape.inputs(), shape.outputs());
        } finally {
            shards.unpersist(false);
        }
    }

    private Weights round(JavaSparkContext jsc, JavaRDD<Shard> shards, Replica replica, Schedule schedule,
                          Schedule.Round r, Weights w, long roundNumber) {
        long t0 = System.nanoTime();
        Broadcast<Weights> start = jsc.broadcast(w);
        Average sum = shards.treeAggregate(Average.empty(),
                (acc, shard) -> acc.add(replica.train(start.value(), shard, schedule, r, roundNumber)),
                Average::add, 2);
        start.destroy(false);
        Weights next = sum.mean(w.steps() + (r.to() - r.from()));
        onRound.round(new RoundReport(r.epoch(), r.index() + 1, schedule.roundsPerEpoch(), sum.samples(),
                (System.nanoTime() - t0) / 1e9, sum.computeNanos() / 1e9));
        return next;
    }

    private void save(TrainingState state, Replica replica) {
        try {
            state.save(checkpoint, replica);
        } catch (IOException ex) {
            throw new UncheckedIOException("checkpoint to " + checkpoint + ": " + ex.getMessage(), ex);
        }
    }

    /** The network's input and output widths and its seeded initial weights, from one build on the driver. */
    private record Built(int inputs, int outputs, Weights initial) {
        static Built of(Replica replica) {
            ExecutorBackends.Slot slot = ExecutorBackends.borrow(null, 1);
            Backend b = slot.backend;
            try (Network net = replica.recipe().network().build(b, replica.seed());
                 dev.neurite.nn.Optimizer fresh = replica.recipe().optimizer()) {
                return new Built(net.inputWidth(), net.outputWidth(), Weights.of(net, fresh));
            } finally {
                ExecutorBackends.release(slot);
            }
        }
    }
}
