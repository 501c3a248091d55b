package dev.neurite.spark;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Training data into DataFrames of {@code features} (array of floats) and {@code label} (int),
 * read on the executors: the driver reads only the headers, each partition reads its own range
 * of rows. Paths are Hadoop paths: a local file (which every executor must see, as on one
 * machine or a shared file system), {@code hdfs://...}, or any file system Spark is set up for.
 */
public final class Frames {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;

    private Frames() {
    }

    /** The schema of what these helpers return. */
    public static StructType schema() {
        return new StructType().add("features", Columns.floatArray(), false).add("label", DataTypes.IntegerType, false);
    }

    /**
     * MNIST-format IDX files (raw or gzip): images (n, rows·cols) scaled to [0, 1] and their
     * labels, in {@code partitions} contiguous ranges of rows.
     */
    public static Dataset<Row> idx(SparkSession spark, String images, String labels, int partitions) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        int[] image = header(images, IMAGES, 12);
        int[] label = header(labels, LABELS, 4);
        if (image[0] != label[0]) {
            throw new IOException(labels + ": " + label[0] + " labels for the " + image[0] + " images of " + images);
        }
        int n = image[0];
        int size = image[1] * image[2];
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .mapPartitions(ps -> {
                    List<Row> out = new ArrayList<>();
                    while (ps.hasNext()) {
                        int p = ps.next();
                        long from = (long) n * p / partitions;
                        long to = (long) n * (p + 1) / partitions;
                        out.addAll(slice(images, labels, from, to, size));
                    }
                    return out.iterator();
                });
        return spark.createDataFrame(rows, schema());
    }

    /** Rows [from, to) of an image file and its label file. */
    private static List<Row> slice(String images, String labels, long from, long to, int size) throws IOException {
        int count = (int) (to - from);
        byte[] pixels = new byte[count * size];
        byte[] classes = new byte[count];
        readRange(images, 16 + from * size, pixels);
        readRange(labels, 8 + from, classes);
        List<Row> out = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (pixels[r * size + i] & 0xff) / 255f;
            }
            out.add(RowFactory.create(x, classes[r] & 0xff));
        }
        return out;
    }

    /** {@code into.length} bytes of the (gunzipped) file from {@code offset}. */
    private static void readRange(String file, long offset, byte[] into) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            in.skipNBytes(offset);
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: ends before byte " + (offset + into.length)
                    + " that its header promises", e);
        }
    }

    /** The header's counts ({n, rows, cols} for images, {n} for labels), after checking the magic. */
    private static int[] header(String file, int magic, int bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int m = in.readInt();
            if (m != magic) {
                throw new IOException(String.format("%s: magic number 0x%08x is not IDX %s (0x%08x)", file, m,
                        magic == IMAGES ? "images" : "labels", magic));
            }
            int[] counts = new int[bytes / 4];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readInt();
                if (counts[i] < (i == 0 ? 0 : 1)) {
                    throw new IOException(file + ": impossible dimension " + counts[i] + " in the header");
                }
            }
            return counts;
        } catch (EOFException e) {
            throw new IOException(file + ": too short for an IDX header", e);
        }
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic. */
    private static InputStream open(String file) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(new Configuration());
        BufferedInputStream in = new BufferedInputStream(fs.open(path), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /**
     * Comma-separated numbers with the class label in column {@code labelColumn} (from 0;
     * negative counts from the end, -1 the last), parsed by Spark's CSV reader on the executors.
     * A cell that is not a number fails the job with the value and Spark's message; a label that
     * is not a class is refused when training reads it.
     */
    public static Dataset<Row> csv(SparkSession spark, String path, int labelColumn, boolean header, int partitions) {
        Dataset<Row> raw = spark.read().option("header", header).option("mode", "FAILFAST").csv(path);
        String[] names = raw.columns();
        int label = labelColumn < 0 ? names.length + labelColumn : labelColumn;
        if (names.length < 2 || label < 0 || label >= names.length) {
            throw new IllegalArgumentException(path + ": label column " + labelColumn + " is outside the " + names.length
                    + " columns (need at least one feature and a label)");
        }
        List<Column> features = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            if (c != label) {
                features.add(functions.col(names[c]).cast(DataTypes.FloatType));
            }
        }
        Dataset<Row> out = raw.select(functions.array(features.toArray(Column[]::new)).as("features"),
                functions.col(names[label]).cast(DataTypes.IntegerType).as("label"));
        return partitions > 0 ? out.repartition(partitions) : out;
    }
}
