package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Pooling;
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
 * Networks on disk. Format, version 2, big-endian:
 * <pre>
 * "NRTM"            4 bytes, magic
 * version           int32 = 2 (version 1 files, dense and activation layers only, still load)
 * input shape       int32 C, H, W (version 1: one int32, the width)
 * layer count       int32
 * per layer         int8 kind, then its settings:
 *                     1 dense:      int32 width, int8 init ordinal
 *                     2 activation: UTF string as Activation.parse reads it (e.g. "leaky-relu:0.1")
 *                     3 conv2d:     int32 filters, kernel, stride, padding, int8 init ordinal
 *                     4 pool:       int8 pooling ordinal, int32 size, stride
 *                     5 flatten
 *                     6 dropout:    float32 rate
 *                     7 batch norm
 *                     8 maxout:     int32 pieces
 * per layer         float32 values of each parameter (Layer.parameters order), then of each
 *                   state matrix (Layer.state, e.g. running statistics), row-major
 * CRC-32            int64 of every byte before it
 * </pre>
 * Written to a temporary file in the target folder, then renamed over the target, so a crash
 * never leaves a half-written model; a file with a wrong magic, version, length or checksum is
 * refused with a message naming the file and the fault.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "NRTM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    private static final byte DENSE = 1;
    private static final byte ACTIVATION = 2;
    private static final byte CONV = 3;
    private static final byte POOL = 4;
    private static final byte FLATTEN = 5;
    private static final byte DROPOUT = 6;
    private static final byte BATCH_NORM = 7;
    private static final byte MAXOUT = 8;

    private ModelFile() {
    }

    /** Writes {@code net} to {@code file} atomically. */
    public static void save(Network net, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            Shape in = net.inputShape();
            out.writeInt(in.channels());
            out.writeInt(in.height());
            out.writeInt(in.width());
            out.writeInt(net.layers().size());
            for (Layer l : net.layers()) {
                describe(l, out, file);
            }
            for (Layer l : net.layers()) {
                for (Parameter p : l.parameters()) {
                    writeFloats(net.backend().download(p.value()), out);
                }
                for (dev.neurite.backend.DeviceMatrix m : l.state()) {
                    writeFloats(net.backend().download(m), out);
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

    private static void describe(Layer l, DataOutputStream out, Path file) throws IOException {
        switch (l) {
            case Dense d -> {
                out.writeByte(DENSE);
                out.writeInt(d.width());
                out.writeByte(d.init().ordinal());
            }
            case ActivationLayer a -> {
                out.writeByte(ACTIVATION);
                out.writeUTF(a.activation().toString());
            }
            case Conv2d c -> {
                out.writeByte(CONV);
                out.writeInt(c.filters());
                out.writeInt(c.kernel());
                out.writeInt(c.stride());
                out.writeInt(c.padding());
                out.writeByte(c.init().ordinal());
            }
            case Pool2d p -> {
                out.writeByte(POOL);
                out.writeByte(p.kind().ordinal());
                out.writeInt(p.size());
                out.writeInt(p.stride());
            }
            case Flatten f -> out.writeByte(FLATTEN);
            case Dropout d -> {
                out.writeByte(DROPOUT);
                out.writeFloat(d.rate());
            }
            case BatchNorm b -> out.writeByte(BATCH_NORM);
            case Maxout m -> {
                out.writeByte(MAXOUT);
                out.writeInt(m.pieces());
            }
            default -> throw new IOException(file + ": cannot save layer " + l + " (" + l.getClass().getName()
                    + " has no model-file form)");
        }
    }

    private static void writeFloats(float[] values, DataOutputStream out) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
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
        if (version != VERSION && version != 1) {
            throw new MalformedDataException(file, "model file version " + version + "; this Neurite reads versions 1 to " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new MalformedDataException(file, "checksum mismatch: the file is truncated or corrupt");
        }
        try {
            return read(b, backend, version);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedDataException(file, "inconsistent model description (" + e.getMessage() + ")");
        }
    }

    private static Network read(ByteBuffer b, Backend backend, int version) {
        Shape input = version == 1 ? Shape.flat(b.getInt()) : new Shape(b.getInt(), b.getInt(), b.getInt());
        int count = b.getInt();
        if (count < 0 || count > 10_000) {
            throw new IllegalArgumentException(count + " layers");
        }
        Network.Builder builder = Network.builder(input);
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            builder.layer(switch (kind) {
                case DENSE -> new Dense(b.getInt(), init(b.get()));
                case ACTIVATION -> new ActivationLayer(Activation.parse(readUtf(b)));
                case CONV -> new Conv2d(b.getInt(), b.getInt(), b.getInt(), b.getInt(), init(b.get()));
                case POOL -> new Pool2d(enumAt(Pooling.values(), b.get()), b.getInt(), b.getInt());
                case FLATTEN -> new Flatten();
                case DROPOUT -> new Dropout(b.getFloat());
                case BATCH_NORM -> new BatchNorm();
                case MAXOUT -> new Maxout(b.getInt());
                default -> throw new IllegalArgumentException("layer kind " + kind);
            });
        }
        Network net = builder.build(backend, 0);
        try {
            for (Layer l : net.layers()) {
                for (Parameter p : l.parameters()) {
                    readInto(b, backend, p.value());
                }
                for (dev.neurite.backend.DeviceMatrix m : l.state()) {
                    readInto(b, backend, m);
                }
            }
            if (b.remaining() != 8) {
                throw new IllegalArgumentException((b.remaining() - 8) + " bytes left over after the parameters");
            }
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private static Init init(byte ordinal) {
        return enumAt(Init.values(), ordinal);
    }

    private static <E> E enumAt(E[] values, byte ordinal) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalArgumentException("setting " + ordinal + " is not one of " + values.length);
        }
        return values[ordinal];
    }

    private static void readInto(ByteBuffer b, Backend backend, dev.neurite.backend.DeviceMatrix m) {
        float[] values = new float[m.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = b.getFloat();
        }
        backend.upload(values, m);
    }

    private static String readUtf(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
