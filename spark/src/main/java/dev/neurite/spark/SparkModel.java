package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Network;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A model trained on Spark: its weights on the driver and the recipe that builds its network. */
public final class SparkModel {
    private final Replica replica;
    private final Weights weights;
    private final JavaRDD<Shard> training;
    private final int inputs;
    private final int outputs;

    SparkModel(Replica replica, Weights weights, JavaRDD<Shard> training, int inputs, int outputs) {
        this.replica = replica;
        this.weights = weights;
        this.training = training;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public Weights weights() {
        return weights;
    }

    /** The network on {@code backend} with the trained weights; the caller closes it. */
    public Network network(Backend backend) {
        Network net = replica.recipe().network().build(backend, replica.seed());
        try {
            weights.into(net, null);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** Writes the network to {@code file} in the model file format (checksummed, written atomically). */
    public void save(Path file) throws IOException {
        ExecutorBackends.Slot slot = ExecutorBackends.borrow(null, 1);
            Backend b = slot.backend;
        try (Network net = network(b)) {
            ModelFile.save(net, file);
        } finally {
            ExecutorBackends.release(slot);
        }
    }

    /** Loss and accuracy over the rows the model was trained on, evaluated where they are cached. */
    public Trainer.Evaluation evaluateTraining() {
        if (training == null) {
            throw new IllegalStateException("the training rows are released once fit returns; evaluate a DataFrame instead");
        }
        return evaluate(training);
    }

    /** Loss and accuracy over {@code data} (columns as in training), evaluated on the executors. */
    public Trainer.Evaluation evaluate(Dataset<Row> data, Columns columns) {
        JavaRDD<Shard> shards = Shards.cache(data, columns, 0, inputs, outputs);
        try {
            return evaluate(shards);
        } finally {
            shards.unpersist(false);
        }
    }

    private Trainer.Evaluation evaluate(JavaRDD<Shard> shards) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(shards.context());
        Broadcast<Weights> w = jsc.broadcast(weights);
        Replica r = replica;
        Replica.Evaluation sum = shards.treeAggregate(Replica.Evaluation.ZERO,
                (acc, shard) -> acc.add(r.evaluate(w.value(), shard)), Replica.Evaluation::add, 2);
        w.destroy(false);
        return sum.result();
    }
}
