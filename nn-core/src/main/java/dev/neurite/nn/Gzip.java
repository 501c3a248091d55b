package dev.neurite.nn;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip stream (RFC 1952) that inflates only as much as its reader asks for and says exactly
 * what is wrong with a bad one. {@code java.util.zip.GZIPInputStream} silently ignores bytes after
 * the last member; here they are an error, as are a truncated member, corrupt deflate data and a
 * CRC or length that does not match. Concatenated members are read as one stream, as gzip does.
 */
final class Gzip extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final java.nio.file.Path file;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private final byte[] buf;
    private int pos;
    private int limit;
    private long consumed;
    private long memberOut;
    private boolean done;

    /** {@code in} is positioned at the gzip magic; {@code file} names the stream in errors. */
    Gzip(InputStream in, java.nio.file.Path file, int bufferSize) throws IOException {
        this.in = in;
        this.file = file;
        this.buf = new byte[bufferSize];
        header("not a gzip stream");
    }

    /** True when {@code head} (the first bytes of a file) starts with the gzip magic 1f 8b. */
    static boolean isGzip(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (inflater.finished()) {
                endOfMember();
                continue;
            }
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw fault("truncated gzip stream (it ends inside compressed data, after " + consumed + " bytes)");
                }
                inflater.setInput(buf, pos, limit - pos);
                pos = limit;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw fault("corrupt gzip data (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberOut += n;
                return n;
            }
            if (inflater.needsDictionary()) {
                throw fault("corrupt gzip data (deflate stream asks for a preset dictionary)");
            }
            if (!inflater.needsInput() && !inflater.finished()) {
                throw fault("corrupt gzip data (the inflater makes no progress)");
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /** Checks the trailer of the member just inflated; then either the next member or the end. */
    private void endOfMember() throws IOException {
        pos -= inflater.getRemaining();
        long storedCrc = (long) littleEndian(4) & 0xffffffffL;
        long storedSize = (long) littleEndian(4) & 0xffffffffL;
        if (storedCrc != crc.getValue()) {
            throw fault(String.format("gzip CRC mismatch: the trailer says %08x, the data gives %08x", storedCrc,
                    crc.getValue()));
        }
        if (storedSize != (memberOut & 0xffffffffL)) {
            throw fault("gzip length mismatch: the trailer says " + storedSize + " bytes (mod 2^32), the data has "
                    + memberOut);
        }
        if (pos == limit && !fill()) {
            done = true;
            return;
        }
        inflater.reset();
        crc.reset();
        memberOut = 0;
        header("trailing garbage after the gzip stream");
    }

    /** Reads a member header; {@code notGzip} says what it means when the magic is missing. */
    private void header(String notGzip) throws IOException {
        long start = consumed - (limit - pos);
        if (pos == limit && !fill() || buf[pos] != (byte) 0x1f) {
            throw fault(notGzip + " (from byte " + start + ")");
        }
        next();
        if (pos == limit && !fill() || buf[pos] != (byte) 0x8b) {
            throw fault(notGzip + " (from byte " + start + ")");
        }
        next();
        int method = next();
        if (method != 8) {
            throw fault("gzip compression method " + method + " is not deflate (8)");
        }
        int flags = next();
        if ((flags & 0xe0) != 0) {
            throw fault(String.format("gzip header has reserved flag bits set (0x%02x)", flags));
        }
        skip(6); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            skip(littleEndian(2));
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
    }

    private int littleEndian(int bytes) throws IOException {
        int v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= next() << (8 * i);
        }
        return v;
    }

    private void skip(int bytes) throws IOException {
        for (int i = 0; i < bytes; i++) {
            next();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (next() != 0) {
            // the stored file name or comment: not needed
        }
    }

    /** The next raw byte; the stream may not end inside a header or trailer. */
    private int next() throws IOException {
        if (pos == limit && !fill()) {
            throw fault("truncated gzip stream (it ends inside a gzip header or trailer, after " + consumed + " bytes)");
        }
        return buf[pos++] & 0xff;
    }

    /** Refills the buffer when it is used up; false at the end of the raw stream. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        consumed += n;
        return true;
    }

    private MalformedDataException fault(String what) {
        return new MalformedDataException(file, what);
    }
}
