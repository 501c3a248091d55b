package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.nn.Idx;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX and CSV read into DataFrames on the executors; what a DataFrame may hold, and what it may not. */
class FramesTest {
    @TempDir
    Path dir;

    /** n random 4x3 images and labels in [0, 10), gzipped or raw. */
    private Path[] idxFiles(int n, boolean gzip) throws IOException {
        Random rnd = new Random(n);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream im = new DataOutputStream(images); DataOutputStream lb = new DataOutputStream(labels)) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(4);
            im.writeInt(3);
            lb.writeInt(0x801);
            lb.writeInt(n);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 12; k++) {
                    im.writeByte(rnd.nextInt(256));
                }
                lb.writeByte(rnd.nextInt(10));
            }
        }
        String ext = gzip ? ".gz" : "";
        return new Path[] {write(dir.resolve("images" + n + ext), images.toByteArray(), gzip),
            write(dir.resolve("labels" + n + ext), labels.toByteArray(), gzip)};
    }

    private static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    @Test
    void idxFilesBecomeTheRowsIdxReads() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path[] f = idxFiles(50, gzip);
            Dataset<Row> frame = Frames.idx(LocalSpark.session(), f[0].toString(), f[1].toString(), 3);
            assertEquals(3, frame.rdd().getNumPartitions());
            List<Row> rows = frame.collectAsList();
            dev.neurite.nn.Dataset expected = Idx.read(f[0], f[1]);
            assertEquals(expected.rows(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                float[] x = new float[12];
                List<Float> got = rows.get(r).getList(0);
                for (int i = 0; i < 12; i++) {
                    x[i] = got.get(i);
                }
                assertArrayEquals(java.util.Arrays.copyOfRange(expected.features(), r * 12, r * 12 + 12), x, "row " + r);
                assertEquals(expected.labels()[r], rows.get(r).getInt(1), "label of row " + r);
            }
        }
    }

    @Test
    void aTruncatedOrMismatchedIdxFileIsNamed() throws IOException {
        Path[] f = idxFiles(40, false);
        byte[] all = Files.readAllBytes(f[0]);
        Path cut = Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(all, all.length - 30));
        SparkException e = assertThrows(SparkException.class,
                () -> Frames.idx(LocalSpark.session(), cut.toString(), f[1].toString(), 2).count());
        assertTrue(String.valueOf(e.getMessage()).contains(cut + ": truncated"), e.getMessage());
        Path[] other = idxFiles(30, false);
        IOException mismatch = assertThrows(IOException.class,
                () -> Frames.idx(LocalSpark.session(), f[0].toString(), other[1].toString(), 2));
        assertTrue(mismatch.getMessage().contains("30 labels for the 40 images"), mismatch.getMessage());
        IOException magic = assertThrows(IOException.class,
                () -> Frames.idx(LocalSpark.session(), f[1].toString(), f[1].toString(), 2));
        assertTrue(magic.getMessage().contains("is not IDX images"), magic.getMessage());
    }

    @Test
    void csvBecomesFeaturesAndLabel() throws IOException {
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b,class,c\n1,2,0,3\n4.5,5,2,6\n7,8,1,9\n");
        List<Row> rows = Frames.csv(LocalSpark.session(), csv.toString(), 2, true, 0).collectAsList();
        assertEquals(3, rows.size());
        assertEquals(List.of(4.5f, 5f, 6f), rows.get(1).getList(0));
        assertEquals(2, rows.get(1).getInt(1));
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,0\n1,x,1\n");
        Exception e = assertThrows(Exception.class, () -> Frames.csv(LocalSpark.session(), bad.toString(), -1, false, 0)
                .collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("'x'"), e.getMessage());
    }

    @Test
    void aTargetColumnTrainsARegression() {
        StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType)).add("t", DataTypes.DoubleType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            float v = i / 64f;
            rows.add(RowFactory.create(new float[] {v, 1 - v}, 3.0 * v - 1));
        }
        Recipe linear = new Recipe((b, s) -> dev.neurite.nn.Network.builder(2).dense(1, dev.neurite.nn.Init.XAVIER).build(b, s),
                Loss.QUADRATIC, Optimizer.sgd(0.5f), 8);
        SparkModel model = new SparkTrainer(linear).columns(Columns.regression("x", "t")).epochs(40).syncSteps(2)
                .fit(LocalSpark.session().createDataFrame(rows, schema).repartition(2));
        double loss = model.evaluate(LocalSpark.session().createDataFrame(rows, schema), Columns.regression("x", "t")).loss();
        assertTrue(loss < 0.01, "a linear target is learnt: loss " + loss);
    }

    @Test
    void doublesOfTheRightWidthTrainAndOthersAreRefusedByName() {
        StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.DoubleType);
        List<Row> good = List.of(RowFactory.create(new double[] {1, 2, 3}, 1.0), RowFactory.create(new double[] {0, 1, 0}, 0.0));
        Recipe recipe = new Recipe(LocalSpark.mlp(3, 4, 2), Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 1);
        SparkTrainer trainer = new SparkTrainer(recipe).columns(Columns.labelled("x", "y")).partitions(1);
        Weights w = trainer.fit(LocalSpark.session().createDataFrame(good, schema)).weights();
        assertEquals(2, w.steps());
        List<Row> wide = List.of(RowFactory.create(new double[] {1, 2}, 1.0));
        Exception e = assertThrows(Exception.class, () -> trainer.fit(LocalSpark.session().createDataFrame(wide, schema)));
        assertTrue(String.valueOf(e.getMessage()).contains("features column 'x' has 2 values, the network takes 3"),
                e.getMessage());
        List<Row> notAClass = List.of(RowFactory.create(new double[] {1, 2, 3}, 2.5));
        e = assertThrows(Exception.class, () -> trainer.fit(LocalSpark.session().createDataFrame(notAClass, schema)));
        assertTrue(String.valueOf(e.getMessage()).contains("label 2.5 in column 'y' is not a class in [0, 2)"),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(recipe)
                .fit(LocalSpark.session().createDataFrame(good, schema)));
        assertTrue(missing.getMessage().contains("no features column 'features'; the columns are [x, y]"),
                missing.getMessage());
    }
}
