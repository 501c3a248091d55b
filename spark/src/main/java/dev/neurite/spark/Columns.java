package dev.neurite.spark;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a DataFrame keeps what training needs: a features column (an array of floats or doubles,
 * or an ML {@code Vector}) and either a label column (a whole number in [0, classes)) or a target
 * column (a number, an array or a vector: regression). Turns a partition's rows into a
 * {@link Shard} on the executor; a row that does not fit is refused with its column and value.
 *
 * @param features the features column
 * @param label    the label column, or null for regression
 * @param target   the target column for regression, or null
 */
public record Columns(String features, String label, String target) implements Serializable {

    public Columns {
        Objects.requireNonNull(features, "features column");
        if ((label == null) == (target == null)) {
            throw new IllegalArgumentException("give either a label column (classification) or a target column "
                    + "(regression), not " + (label == null ? "neither" : "both"));
        }
    }

    /** Classification: {@code features} and {@code label}. */
    public static Columns labelled(String features, String label) {
        return new Columns(features, label, null);
    }

    /** Regression: {@code features} and real-valued {@code target}. */
    public static Columns regression(String features, String target) {
        return new Columns(features, null, target);
    }

    /** The default: columns "features" and "label". */
    public static Columns defaults() {
        return labelled("features", "label");
    }

    String second() {
        return label != null ? label : target;
    }

    /** Refuses a schema without the columns or with columns of the wrong kind, naming them. */
    void check(StructType schema) {
        kind(schema, features, "features");
        DataType t = kind(schema, second(), label != null ? "label" : "target");
        if (label != null && !(t instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + label + "' is " + t.simpleString()
                    + "; it must hold whole numbers (int, long, or a double such as 3.0)");
        }
    }

    private static DataType kind(StructType schema, String name, String role) {
        StructField f = Arrays.stream(schema.fields()).filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + role + " column '" + name + "'; the columns are "
                        + Arrays.toString(schema.fieldNames())));
        DataType t = f.dataType();
        boolean vector = t.typeName().equals("vector");
        boolean array = t instanceof ArrayType a && (a.elementType() instanceof NumericType);
        if (!vector && !array && !(t instanceof NumericType)) {
            throw new IllegalArgumentException(role + " column '" + name + "' is " + t.simpleString()
                    + "; expected an array of numbers, an ML Vector" + (role.equals("features") ? "" : " or a number"));
        }
        if (role.equals("features") && t instanceof NumericType) {
            throw new IllegalArgumentException("features column '" + name + "' is one number (" + t.simpleString()
                    + "); it must be an array of numbers or an ML Vector (e.g. from VectorAssembler)");
        }
        return t;
    }

    /** The rows of partition {@code partition} as one shard; {@code cols} and {@code classes} from the network. */
    Shard shard(int partition, Iterator<Row> rows, int cols, int classes) {
        FloatBuffer x = new FloatBuffer();
        FloatBuffer y = new FloatBuffer();
        int[] labels = new int[16];
        int n = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            float[] f = values(row, 0, features, n, partition);
            if (f.length != cols) {
                throw new IllegalArgumentException("row " + n + " of partition " + partition + ": features column '"
                        + features + "' has " + f.length + " values, the network takes " + cols);
            }
            x.add(f);
            if (n == labels.length) {
                labels = Arrays.copyOf(labels, n * 2);
            }
            if (label != null) {
                labels[n] = label(row, n, partition, classes);
            } else {
                float[] t = values(row, 1, target, n, partition);
                if (t.length != classes) {
                    throw new IllegalArgumentException("row " + n + " of partition " + partition + ": target column '"
                            + target + "' has " + t.length + " values, the network gives " + classes);
                }
                y.add(t);
            }
            n++;
        }
        return new Shard(partition, x.toArray(), Arrays.copyOf(labels, n), label != null ? null : y.toArray(), cols,
                classes);
    }

    private int label(Row row, int n, int partition, int classes) {
        if (row.isNullAt(1)) {
            throw new IllegalArgumentException("row " + n + " of partition " + partition + ": label column '" + label
                    + "' is null");
        }
        double v = ((Number) row.get(1)).doubleValue();
        if (v != Math.rint(v) || v < 0 || v >= classes) {
            throw new IllegalArgumentException("row " + n + " of partition " + partition + ": label " + v + " in column '"
                    + label + "' is not a class in [0, " + classes + ")");
        }
        return (int) v;
    }

    /** Column {@code i} of {@code row} as floats: a number, an array of numbers or an ML vector. */
    private static float[] values(Row row, int i, String name, int n, int partition) {
        if (row.isNullAt(i)) {
            throw new IllegalArgumentException("row " + n + " of partition " + partition + ": column '" + name + "' is null");
        }
        Object v = row.get(i);
        if (v instanceof Number number) {
            return new float[] {number.floatValue()};
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            List<?> list = scala.jdk.javaapi.CollectionConverters.asJava(seq);
            float[] out = new float[list.size()];
            for (int k = 0; k < out.length; k++) {
                Object e = list.get(k);
                if (e == null) {
                    throw new IllegalArgumentException("row " + n + " of partition " + partition + ": column '" + name
                            + "' has a null at index " + k);
                }
                out[k] = ((Number) e).floatValue();
            }
            return out;
        }
        return vector(v);
    }

    /** An ML (or MLlib) Vector's values through its toArray(), so Spark's ML jars are needed only by such data. */
    private static float[] vector(Object v) {
        try {
            Method toArray = v.getClass().getMethod("toArray");
            double[] d = (double[]) toArray.invoke(v);
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (float) d[k];
            }
            return out;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("cannot read " + v.getClass().getName() + " as numbers", e);
        }
    }

    /** A growing float array. */
    private static final class FloatBuffer {
        private float[] values = new float[1024];
        private int size;

        void add(float[] v) {
            if (size + v.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + v.length));
            }
            System.arraycopy(v, 0, values, size, v.length);
            size += v.length;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    static DataType floatArray() {
        return DataTypes.createArrayType(DataTypes.FloatType, false);
    }
}
