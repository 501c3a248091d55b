package dev.neurite.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** A DataFrame's training rows as one cached {@link Shard} a partition, built on the executors. */
final class Shards {
    private Shards() {
    }

    /**
     * @param partitions 0 to keep the DataFrame's partitioning
     * @param cols       values a row the network takes
     * @param classes    the network's outputs
     */
    static JavaRDD<Shard> cache(Dataset<Row> data, Columns columns, int partitions, int cols, int classes) {
        columns.check(data.schema());
        Dataset<Row> two = data.select(columns.features(), columns.second());
        if (partitions > 0 && two.rdd().getNumPartitions() != partitions) {
            two = two.repartition(partitions);
        }
        JavaRDD<Shard> shards = two.toJavaRDD().mapPartitionsWithIndex(
                (i, rows) -> java.util.List.of(columns.shard(i, rows, cols, classes)).iterator(), true);
        // kept as objects; under memory pressure spilled to disk rather than read and parsed again
        return shards.persist(StorageLevel.MEMORY_AND_DISK());
    }
}
