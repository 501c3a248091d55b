package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Networks on disk. Format, version 1, big-endian:
 * <pre>
 * "NRTM"            4 bytes, magic
 * version           int32 = 1
 * input width       int32
 * layer count       int32
 * per layer         int8 kind (1 dense, 2 activation), then
 *                     dense:      int32 width, int8 init ordinal
 *                     activation: UTF string as Activation.parse reads it (e.g. "leaky-relu:0.1")
 * per dense layer   float32 weights (in·out, row-major), float32 bias (out)
 * CRC-32            int64 of every byte before it
 * </pre>
 * Written to a temporary file in the target folder, then renamed over the target, so a crash
 * never leaves a half-written model; a file with a wrong magic, version, length or checksum is
 * refused with a message naming the file and the fault.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "NRTM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final byte DENSE = 1;
    private static final byte ACTIVATION = 2;

    private ModelFile() {
    }

    /** Writes {@code net} to {@code file} atomically. */
    public static void save(Network net, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(net.inputWidth());
            out.writeInt(net.layers().size());
            for (Layer l : net.layers()) {
                if (l instanceof Dense d) {
                    out.writeByte(DENSE);
                    out.writeInt(d.width());
                    out.writeByte(d.init().ordinal());
                } else if (l instanceof ActivationLayer a) {
                    out.writeByte(ACTIVATION);
                    out.writeUTF(a.activation().toString());
                } else {
                    throw new IOException(file + ": cannot save layer " + l + " (no model-file form yet)");
                }
            }
            for (Layer l : net.layers()) {
                if (l instanceof Dense d) {
                    for (float w : d.weights()) {
                        out.writeFloat(w);
                    }
                    for (float b : d.bias()) {
                        out.writeFloat(b);
                    }
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a network from {@code file} onto {@code backend}. */
    public static Network load(Path file, Backend backend) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 8 || !java.util.Arrays.equals(all, 0, 4, MAGIC, 0, 4)) {
            throw new MalformedDataException(file, "not a Neurite model file (no NRTM magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        b.position(4);
        int version = b.getInt();
        if (version != VERSION) {
            throw new MalformedDataException(file, "model file version " + version + "; this Neurite reads version " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new MalformedDataException(file, "checksum mismatch: the file is truncated or corrupt");
        }
        try {
            return read(b, backend);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedDataException(file, "inconsistent model description (" + e.getMessage() + ")");
        }
    }

    private static Network read(ByteBuffer b, Backend backend) {
        int input = b.getInt();
        int count = b.getInt();
        if (count < 0 || count > 10_000) {
            throw new IllegalArgumentException(count + " layers");
        }
        Network.Builder builder = Network.builder(input);
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            if (kind == DENSE) {
                int width = b.getInt();
                builder.dense(width, Init.values()[b.get()]);
            } else if (kind == ACTIVATION) {
                builder.activation(Activation.parse(readUtf(b)));
            } else {
                throw new IllegalArgumentException("layer kind " + kind);
            }
        }
        Network net = builder.build(backend, 0);
        try {
            readParameters(b, net, input);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private static void readParameters(ByteBuffer b, Network net, int input) {
        int in = input;
        for (Layer l : net.layers()) {
            if (l instanceof Dense d) {
                float[] w = new float[in * d.width()];
                float[] bias = new float[d.width()];
                for (int k = 0; k < w.length; k++) {
                    w[k] = b.getFloat();
                }
                for (int k = 0; k < bias.length; k++) {
                    bias[k] = b.getFloat();
                }
                d.set(w, bias);
                in = d.width();
            }
        }
        if (b.remaining() != 8) {
            throw new IllegalArgumentException((b.remaining() - 8) + " bytes left over after the parameters");
        }
    }

    private static String readUtf(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
