package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.nn.AtomicFile;
import dev.neurite.nn.MalformedDataException;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A checkpoint of a Spark run: the driver's model in the model file format at {@code FILE}, and
 * where training stands in {@code FILE.state}. State format, big-endian:
 * <pre>
 * "NRTS"                 magic
 * int32 version = 1
 * int32 epoch, next round in it; int64 rounds done
 * int32 partitions, batch, sync steps; int64 rows; int64 seed   (the run this belongs to)
 * optimizer state: int32 step, int32 parameters P, int32 matrices a parameter S,
 *                  then P·S times int32 n and n float32 (Network.parameters order)
 * int64 CRC-32 of the model file as written                     (the two files belong together)
 * int64 CRC-32 of every byte before it
 * </pre>
 * Both are written to a temporary file and renamed over the target.
 */
record TrainingState(Weights weights, int epoch, int nextRound, long roundsDone, int partitions, int batch,
                     int syncSteps, long rows, long seed) {
    private static final byte[] MAGIC = "NRTS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    TrainingState(Weights weights, int epoch, int nextRound, long roundsDone, Schedule s, long seed) {
        this(weights, epoch, nextRound, roundsDone, s.partitions(), s.batch(), s.syncSteps(), s.totalRows(), seed);
    }

    static Path stateFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".state");
    }

    void save(Path file, Replica replica) throws IOException {
        ExecutorBackends.Slot slot = ExecutorBackends.borrow(null, 1);
            Backend b = slot.backend;
        try (Network net = replica.recipe().network().build(b, replica.seed())) {
            weights.into(net, null);
            ModelFile.save(net, file);
        } finally {
            ExecutorBackends.release(slot);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(epoch);
            out.writeInt(nextRound);
            out.writeLong(roundsDone);
            out.writeInt(partitions);
            out.writeInt(batch);
            out.writeInt(syncSteps);
            out.writeLong(rows);
            out.writeLong(seed);
            writeOptimizer(weights.optimizer(), out);
            out.writeLong(modelCrc(file));
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        AtomicFile.write(stateFile(file), bytes::writeTo);
    }

    static TrainingState load(Path file, Replica replica) throws IOException {
        Path stateFile = stateFile(file);
        if (!Files.isRegularFile(stateFile)) {
            throw new MalformedDataException(stateFile, "no training state beside the checkpoint " + file
                    + " (a checkpoint written by a Spark run has both)");
        }
        byte[] all = Files.readAllBytes(stateFile);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 4 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 8 + 12 + 8 + 8 || !java.util.Arrays.equals(all, 0, 4, MAGIC, 0, 4)) {
            throw new MalformedDataException(stateFile, "not a Neurite training state (" + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != b.getLong(all.length - 8)) {
            throw new MalformedDataException(stateFile, "checksum mismatch: the file is truncated or corrupt");
        }
        b.position(4);
        int version = b.getInt();
        if (version != VERSION) {
            throw new MalformedDataException(stateFile, "training state version " + version + "; this Neurite reads " + VERSION);
        }
        int epoch = b.getInt();
        int next = b.getInt();
        long rounds = b.getLong();
        int partitions = b.getInt();
        int batch = b.getInt();
        int sync = b.getInt();
        long rows = b.getLong();
        long seed = b.getLong();
        Optimizer.State optimizer;
        try {
            optimizer = readOptimizer(b, all.length - 16);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedDataException(stateFile, "inconsistent optimizer state (" + e.getMessage() + ")");
        }
        if (b.position() != all.length - 16) {
            throw new MalformedDataException(stateFile, (all.length - 16 - b.position()) + " bytes left over after the optimizer state");
        }
        if (b.getLong() != modelCrc(file)) {
            throw new MalformedDataException(stateFile, "belongs to another version of " + file
                    + " (written by a run stopped between the two files?)");
        }
        ExecutorBackends.Slot slot = ExecutorBackends.borrow(null, 1);
        Backend backend = slot.backend;
        try (Network saved = ModelFile.load(file, backend)) {
            Weights w = new Weights(saved.parameterValues(), saved.stateValues(), optimizer);
            try (Network net = replica.recipe().network().build(backend, replica.seed());
                 Optimizer check = replica.recipe().optimizer()) {
                w.into(net, check);
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException(file, "holds " + saved + ", which the recipe does not build ("
                        + e.getMessage() + ")");
            }
            return new TrainingState(w, epoch, next, rounds, partitions, batch, sync, rows, seed);
        } finally {
            ExecutorBackends.release(slot);
        }
    }

    /** Refuses to continue a run of another shape: the rounds would not be the ones it started. */
    void check(Schedule s, long runSeed) {
        if (s.partitions() != partitions || s.batch() != batch || s.syncSteps() != syncSteps || s.totalRows() != rows
                || runSeed != seed) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the checkpoint is of a run with %d partitions, batch %d, %d sync steps, %d rows, seed %d; "
                            + "this one has %d, %d, %d, %d, %d: resume with the same data, flags and seed",
                    partitions, batch, syncSteps, rows, seed, s.partitions(), s.batch(), s.syncSteps(), s.totalRows(),
                    runSeed));
        }
    }

    private static void writeOptimizer(Optimizer.State s, DataOutputStream out) throws IOException {
        out.writeInt(s.step());
        out.writeInt(s.values().length);
        out.writeInt(s.values().length == 0 ? 0 : s.values()[0].length);
        for (float[][] parameter : s.values()) {
            for (float[] m : parameter) {
                out.writeInt(m.length);
                for (float v : m) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /** The optimizer state, every count checked against the {@code end} of its bytes. */
    private static Optimizer.State readOptimizer(ByteBuffer b, int end) {
        int step = b.getInt();
        int params = b.getInt();
        int slots = b.getInt();
        if (params < 0 || slots < 0 || slots > 3 || (long) params * slots * 4 > end - b.position()) {
            throw new IllegalArgumentException(params + " parameters of " + slots + " matrices");
        }
        float[][][] values = new float[params][slots][];
        for (int i = 0; i < params; i++) {
            for (int k = 0; k < slots; k++) {
                int n = b.getInt();
                if (n < 0 || (long) n * 4 > end - b.position()) {
                    throw new IllegalArgumentException("matrix of " + n + " values with " + (end - b.position()) + " bytes left");
                }
                values[i][k] = new float[n];
                b.asFloatBuffer().get(values[i][k]);
                b.position(b.position() + 4 * n);
            }
        }
        return new Optimizer.State(step, values);
    }

    private static long modelCrc(Path model) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(model));
        return crc.getValue();
    }
}
