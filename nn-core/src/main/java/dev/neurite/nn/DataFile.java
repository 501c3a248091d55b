package dev.neurite.nn;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A data file opened for streaming: its content, inflated on the fly when the file starts with
 * the gzip magic (whatever its name), and read no further than its reader asks. Opening says
 * plainly when the path is missing, a directory or unreadable.
 */
final class DataFile implements Closeable {
    private static final int MAX_BUFFER = 1 << 16;

    /** The content (inflated when {@link #gzip}). */
    final InputStream in;
    /** True when the file is gzip-compressed. */
    final boolean gzip;
    /** The size of the raw file in bytes, or -1 when unknown. */
    final long rawSize;
    /** A good size for a reader's buffer: no larger than the content when that is known to be small. */
    final int bufferSize;

    private DataFile(InputStream in, boolean gzip, long rawSize, int bufferSize) {
        this.in = in;
        this.gzip = gzip;
        this.rawSize = rawSize;
        this.bufferSize = bufferSize;
    }

    /** Opens {@code file}. */
    static DataFile open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a data file");
        }
        InputStream raw;
        long size;
        try {
            raw = Files.newInputStream(file);
            size = Files.isRegularFile(file) ? Files.size(file) : -1; // a pipe's size says nothing
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": cannot be read (permission denied)", e);
        }
        try {
            return of(file, raw, size);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The content of {@code raw}, a stream of {@code rawSize} bytes (-1: unknown) named {@code file} in errors. */
    static DataFile of(Path file, InputStream raw, long rawSize) throws IOException {
        // small files (and most fuzz inputs) get small buffers: zeroing 64 KiB would cost more than reading them
        int size = rawSize < 0 ? MAX_BUFFER : (int) Math.max(512, Math.min(MAX_BUFFER, rawSize));
        BufferedInputStream buffered = new BufferedInputStream(raw, size);
        buffered.mark(2);
        byte[] head = buffered.readNBytes(2);
        buffered.reset();
        boolean gzip = Gzip.isGzip(head, head.length);
        return gzip ? new DataFile(new Gzip(buffered, file, size), true, rawSize, MAX_BUFFER)
                : new DataFile(buffered, false, rawSize, size);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
