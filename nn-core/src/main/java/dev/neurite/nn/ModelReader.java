package dev.neurite.nn;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a model file's fields from its bytes, each read naming the field it is for, and checking
 * first that the bytes are there: a declared count or size is compared with the bytes that remain
 * before anything is allocated for it. Every fault is a {@link MalformedDataException} naming the
 * file and the field.
 */
final class ModelReader {
    private final Path file;
    private final ByteBuffer b;

    ModelReader(Path file, ByteBuffer b) {
        this.file = file;
        this.b = b;
    }

    Path file() {
        return file;
    }

    MalformedDataException fault(String field, String what) {
        return new MalformedDataException(file, field + ": " + what);
    }

    int remaining() {
        return b.remaining();
    }

    private void need(long bytes, String field) throws MalformedDataException {
        if (bytes < 0 || bytes > b.remaining()) {
            throw fault(field, "needs " + bytes + " bytes, " + b.remaining() + " remain (the file is truncated or the size is wrong)");
        }
    }

    byte int8(String field) throws MalformedDataException {
        need(1, field);
        return b.get();
    }

    int int32(String field) throws MalformedDataException {
        need(4, field);
        return b.getInt();
    }

    long int64(String field) throws MalformedDataException {
        need(8, field);
        return b.getLong();
    }

    float float32(String field) throws MalformedDataException {
        need(4, field);
        return b.getFloat();
    }

    double float64(String field) throws MalformedDataException {
        need(8, field);
        return b.getDouble();
    }

    /** A finite float. */
    float finite32(String field) throws MalformedDataException {
        float f = float32(field);
        if (!Float.isFinite(f)) {
            throw fault(field, f + " is not a finite number");
        }
        return f;
    }

    /** An int32 in [min, max]. */
    int int32(String field, int min, int max) throws MalformedDataException {
        int v = int32(field);
        if (v < min || v > max) {
            throw fault(field, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /**
     * A count of items of at least {@code bytesEach} bytes each: at most {@code max}, and no more
     * than the remaining bytes can hold.
     */
    int count(String field, int max, int bytesEach) throws MalformedDataException {
        int n = int32(field, 0, max);
        need((long) n * bytesEach, field + " (" + n + " items)");
        return n;
    }

    /** A modified-UTF-8 string as DataOutput.writeUTF writes it, checked to be valid. */
    String utf(String field) throws MalformedDataException {
        need(2, field);
        int len = b.getShort() & 0xffff;
        need(len, field);
        ByteBuffer slice = b.slice(b.position(), len);
        b.position(b.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw fault(field, "not valid UTF-8 text");
        }
    }

    /** {@code n} float32 values. */
    float[] floats(String field, int n) throws MalformedDataException {
        need(4L * n, field);
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        b.position(b.position() + 4 * n);
        return v;
    }

    /** Skips {@code count} float32 values, checked to be there; returns where they start. */
    int skipFloats(String field, long count) throws MalformedDataException {
        if (count > b.remaining() / 4) {
            throw fault(field, "needs " + count + " float32 values, " + b.remaining() + " bytes remain (the file is "
                    + "truncated or the size is wrong)");
        }
        int at = b.position();
        b.position(at + 4 * (int) count);
        return at;
    }

    /** {@code n} float32 values at absolute position {@code at} (checked by an earlier {@link #skip}). */
    float[] floatsAt(int at, int n) {
        float[] v = new float[n];
        b.slice(at, 4 * n).order(b.order()).asFloatBuffer().get(v);
        return v;
    }

    /** The next {@code length} bytes as a reader of their own, for a section. */
    ModelReader section(String field, int length) throws MalformedDataException {
        need(length, field);
        ModelReader r = new ModelReader(file, b.slice(b.position(), length));
        b.position(b.position() + length);
        return r;
    }

    /** Nothing may be left over. */
    void requireEnd(String what) throws MalformedDataException {
        if (b.remaining() != 0) {
            throw fault(what, b.remaining() + " bytes left over");
        }
    }
}
