package dev.neurite.nn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Hand-made model files for tests: a version and a body, with the magic and a correct checksum. */
final class ModelFiles {
    private ModelFiles() {
    }

    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] file(int version, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("NRTM");
        out.writeInt(version);
        body.write(out);
        return withChecksum(bytes.toByteArray());
    }

    /** A version-3 file of one NETW section. */
    static byte[] network(Body section) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        section.write(new DataOutputStream(payload));
        byte[] p = payload.toByteArray();
        return file(3, out -> {
            out.writeBytes("NETW");
            out.writeInt(p.length);
            out.write(p);
        });
    }

    /** {@code content} (without a checksum) followed by its CRC-32. */
    static byte[] withChecksum(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return ByteBuffer.allocate(content.length + 8).put(content).putLong(crc.getValue()).array();
    }

    /** A file whose last 8 bytes are replaced by the right checksum of the rest. */
    static byte[] rechecksummed(byte[] file) {
        return withChecksum(java.util.Arrays.copyOf(file, file.length - 8));
    }
}
