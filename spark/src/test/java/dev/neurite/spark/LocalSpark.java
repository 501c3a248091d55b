package dev.neurite.spark;

import dev.neurite.backend.Activation;
import dev.neurite.nn.Init;
import dev.neurite.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local[2] session for every test class (starting Spark costs seconds); a task may fail once and be retried. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,2]").appName("neurite-spark-tests")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    /** Stops the shared session (a test that needs a session of its own); the next {@link #session} starts a new one. */
    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    /** {@code rows} random rows of {@code cols} features in [0, 1) and labels in [0, classes), as features/label. */
    static List<Row> rows(int rows, int cols, int classes, long seed) {
        Random rnd = new Random(seed);
        List<Row> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float[] x = new float[cols];
            for (int c = 0; c < cols; c++) {
                x[c] = rnd.nextFloat();
            }
            out.add(RowFactory.create(x, rnd.nextInt(classes)));
        }
        return out;
    }

    static StructType schema() {
        return new StructType().add("features", Columns.floatArray(), false).add("label", DataTypes.IntegerType, false);
    }

    /** The rows in {@code partitions} contiguous equal slices, in order. */
    static Dataset<Row> frame(List<Row> rows, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
        return session().createDataFrame(jsc.parallelize(rows, partitions), schema());
    }

    /** A small sigmoid MLP cols-hidden-classes. */
    static Recipe.NetworkFactory mlp(int cols, int hidden, int classes) {
        return (backend, seed) -> Network.builder(cols).dense(hidden, Init.XAVIER, Activation.SIGMOID)
                .dense(classes, Init.XAVIER).build(backend, seed);
    }
}
