package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/** What the fuzz targets hold every reader to, whatever the input. */
final class FuzzBounds {
    /** The most a deflate stream expands: 1032 to 1. */
    static final long DEFLATE_RATIO = 1032;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzBounds() {
    }

    /** Bytes this thread has allocated so far. */
    static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The most bytes a data file of these bytes can hold: inflated at deflate's largest ratio when it is gzip. */
    static long content(byte[] input) {
        return Gzip.isGzip(input, input.length) ? DEFLATE_RATIO * input.length : input.length;
    }

    /**
     * Fails when reading a file of {@code content} bytes allocated more than {@code perByte} bytes
     * for each of them since {@code since}, plus a fixed 64 MiB for buffers and for the classes the
     * first inputs load (and the fuzzer instruments) on this thread.
     */
    static void assertAllocationBounded(long content, long since, long perByte) {
        long used = allocated() - since;
        long bound = (64L << 20) + perByte * content;
        assertTrue(used <= bound, "reading " + content + " bytes of content allocated " + used + " bytes (bound " + bound
                + ")");
    }

    /** A refusal must name the file it refused. */
    static void assertNamesTheFile(MalformedDataException e, String name) {
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertEquals(name, e.file().toString());
    }
}
