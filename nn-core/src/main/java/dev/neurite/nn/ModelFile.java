package dev.neurite.nn;

import dev.neurite.backend.Backend;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Networks on disk. Format, version 3, big-endian; every name is a stable code (never an enum
 * ordinal), so reordering a Java enum cannot change what a file means:
 * <pre>
 * "NRTM"              4 bytes, magic
 * version             int32 = 3 (versions 1 and 2 still load)
 * sections            each int32 tag (4 ASCII letters), int32 length, payload:
 *   "NETW" (required) int32 C, H, W of an input sample; int32 layer count;
 *                     per layer: UTF codec code ({@link LayerCodec#code()}), int32 setting count,
 *                       per setting UTF name, UTF value;
 *                     per layer: int32 matrix count, per matrix (in the order the layer obtained them
 *                       from its {@link Binding}): int8 kind (1 parameter, 2 state), UTF name,
 *                       int32 rows, int32 cols, float32 values row-major
 *   "META" (optional) UTF output head code ("" for none); int32 class-name count, UTF each;
 *                     int8 scaler present, then int32 n, float32 shift[n], float32 scale[n]
 *   "TRAI" (optional) the training state of a {@link Trainer#save checkpoint}
 * CRC-32              int64 of every byte before it
 * </pre>
 * Saves are atomic (a temporary file forced to disk, then renamed over the target; see
 * {@link #save}). Loading checks the magic, version and checksum, then every declared count and
 * size against the bytes that remain and against sane limits before allocating anything, and
 * binds the layers to the stored values without drawing any: a damaged or crafted file is refused
 * with a {@link MalformedDataException} naming the file and the field.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "NRTM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 3;
    static final int NETWORK = tag("NETW");
    static final int METADATA = tag("META");
    static final int TRAINING = tag("TRAI");
    /** The largest file read: a byte array's limit. */
    private static final long MAX_FILE = Integer.MAX_VALUE - 64;

    /** Writes one section's payload. */
    @FunctionalInterface
    interface Section {
        void write(DataOutputStream out) throws IOException;
    }

    /** A network read from a file, and its training section (null when the file has none). */
    record Loaded(Network network, ModelReader training) {
    }

    private ModelFile() {
    }

    /**
     * Writes {@code net} (its layers, values, head, class names and scaler) to {@code file}
     * atomically: through a temporary file beside it, forced to the disk and renamed over it,
     * keeping an existing file's permissions; on failure the target is untouched and the
     * temporary file removed. A network with non-finite parameters (diverged) is refused with
     * {@link IllegalStateException}.
     */
    public static void save(Network net, Path file) throws IOException {
        save(net, file, null);
    }

    static void save(Network net, Path file, Section training) throws IOException {
        byte[] network = bytes(out -> NetworkSection.write(net, out, file));
        byte[] meta = bytes(out -> writeMetadata(net, out));
        byte[] trainingBytes = training == null ? null : bytes(training);
        AtomicFile.write(file, stream -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(stream, crc));
            out.write(MAGIC);
            out.writeInt(VERSION);
            section(out, NETWORK, network);
            section(out, METADATA, meta);
            if (trainingBytes != null) {
                section(out, TRAINING, trainingBytes);
            }
            out.flush();
            new DataOutputStream(stream).writeLong(crc.getValue());
        });
    }

    private static byte[] bytes(Section s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            s.write(out);
        }
        return bytes.toByteArray();
    }

    private static void section(DataOutputStream out, int tag, byte[] payload) throws IOException {
        out.writeInt(tag);
        out.writeInt(payload.length);
        out.write(payload);
    }

    private static void writeMetadata(Network net, DataOutputStream out) throws IOException {
        out.writeUTF(net.head() == null ? "" : net.head().code());
        out.writeInt(net.classNames().size());
        for (String name : net.classNames()) {
            out.writeUTF(name);
        }
        Scaler s = net.scaler();
        out.writeByte(s == null ? 0 : 1);
        if (s != null) {
            out.writeInt(s.shift().length);
            for (float v : s.shift()) {
                out.writeFloat(v);
            }
            for (float v : s.scale()) {
                out.writeFloat(v);
            }
        }
    }

    /**
     * Reads a network from {@code file} onto {@code backend}, with its head, class names and
     * scaler. A checkpoint ({@link Trainer#save}) loads too: its training state is ignored.
     */
    public static Network load(Path file, Backend backend) throws IOException {
        return read(file, backend).network();
    }

    static Loaded read(Path file, Backend backend) throws IOException {
        ModelReader r = open(file);
        int version = r.int32("version");
        if (version < 1 || version > VERSION) {
            throw new MalformedDataException(file, "model file version " + version + "; this Neurite reads versions 1 to "
                    + VERSION);
        }
        if (version < 3) {
            Network net = NetworkSection.readLegacy(r, version, backend);
            return new Loaded(net, null);
        }
        ModelReader network = null;
        ModelReader meta = null;
        ModelReader training = null;
        List<Integer> seen = new ArrayList<>();
        while (r.remaining() > 0) {
            int tag = r.int32("section tag");
            int length = r.int32("section " + name(tag) + " length", 0, r.remaining());
            if (seen.contains(tag)) {
                throw r.fault("section " + name(tag), "appears twice");
            }
            seen.add(tag);
            ModelReader s = r.section("section " + name(tag), length);
            if (tag == NETWORK) {
                network = s;
            } else if (tag == METADATA) {
                meta = s;
            } else if (tag == TRAINING) {
                training = s;
            } else {
                throw r.fault("section " + name(tag), "unknown section in a version-" + version + " file");
            }
        }
        if (network == null) {
            throw r.fault("section NETW", "missing: the file holds no network");
        }
        Network net = NetworkSection.read(network, backend);
        try {
            if (meta != null) {
                readMetadata(meta, net);
            }
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return new Loaded(net, training);
    }

    /** Checks magic, size and checksum; returns a reader positioned after the magic, ending before the checksum. */
    private static ModelReader open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such model file (it does not exist)");
        }
        long size = Files.size(file);
        if (size > MAX_FILE) {
            throw new MalformedDataException(file, "file of " + size + " bytes, more than the " + MAX_FILE
                    + " a model file may hold");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 12 || !java.util.Arrays.equals(all, 0, 4, MAGIC, 0, 4)) {
            throw new MalformedDataException(file, "not a Neurite model file (no NRTM magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            int version = ByteBuffer.wrap(all, 4, 4).getInt();
            if (version > VERSION) {
                throw new MalformedDataException(file, "model file version " + version
                        + "; this Neurite reads versions 1 to " + VERSION);
            }
            throw new MalformedDataException(file, "checksum mismatch: the file is truncated or corrupt");
        }
        return new ModelReader(file, ByteBuffer.wrap(all, 4, all.length - 12).slice());
    }

    private static void readMetadata(ModelReader r, Network net) throws IOException {
        String head = r.utf("output head");
        try {
            net.head(head.isEmpty() ? null : OutputHead.ofCode(head));
        } catch (IllegalArgumentException e) {
            throw r.fault("output head", e.getMessage());
        }
        int count = r.count("class names", 1 << 20, 2);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(r.utf("class name " + i));
        }
        int classes = (net.head() == null ? OutputHead.AS_IS : net.head()).classes(net.outputWidth());
        if (count != 0 && count != classes) {
            throw r.fault("class names", count + " names for a model of " + classes + " classes");
        }
        net.classNames(names);
        byte scaler = r.int8("scaler present");
        if (scaler == 1) {
            int n = r.int32("scaler columns", 1, Integer.MAX_VALUE);
            if (n != net.inputWidth()) {
                throw r.fault("scaler columns", n + " for inputs of " + net.inputWidth());
            }
            float[] shift = finite(r, r.floats("scaler shift", n), "scaler shift");
            float[] scale = finite(r, r.floats("scaler scale", n), "scaler scale");
            net.scaler(new Scaler(shift, scale));
        } else if (scaler != 0) {
            throw r.fault("scaler present", scaler + " is neither 0 nor 1");
        }
        r.requireEnd("section META");
    }

    private static float[] finite(ModelReader r, float[] v, String field) throws MalformedDataException {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw r.fault(field + "[" + i + "]", v[i] + " is not finite");
            }
        }
        return v;
    }

    private static int tag(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    /** A tag as its letters, or its number when it is not four printable letters. */
    private static String name(int tag) {
        byte[] b = ByteBuffer.allocate(4).putInt(tag).array();
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                return "0x" + Integer.toHexString(tag);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
