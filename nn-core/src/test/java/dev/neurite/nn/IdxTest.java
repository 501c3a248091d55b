package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on files made here: good ones raw and gzip, and every kind of bad one. */
class IdxTest {

    private static byte[] images(int n, int rows, int cols, int magic) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    private static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(0x801).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipAlike(@TempDir Path dir) throws IOException {
        Path raw = Files.write(dir.resolve("img"), images(3, 2, 2, 0x803));
        Path gz = Files.write(dir.resolve("img.gz"), gzip(images(3, 2, 2, 0x803)));
        Path lab = Files.write(dir.resolve("lab.gz"), gzip(labels(7, 0, 9)));
        Dataset a = Idx.read(raw, lab);
        Dataset b = Idx.read(gz, lab);
        assertEquals(3, a.rows());
        assertEquals(4, a.cols());
        assertArrayEquals(new int[] {7, 0, 9}, a.labels());
        assertArrayEquals(a.features(), b.features());
        assertEquals(37 / 255f, a.features()[1], 1e-7f);
    }

    @Test
    void badFilesNameTheFileAndTheFault(@TempDir Path dir) throws IOException {
        Path lab = Files.write(dir.resolve("lab"), labels(1, 2, 3));
        Path truncated = Files.write(dir.resolve("truncated"), Arrays.copyOf(images(3, 2, 2, 0x803), 20));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(truncated, lab));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(truncated.toString()), e.getMessage());

        Path magic = Files.write(dir.resolve("magic"), images(3, 2, 2, 0x801));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(magic, lab));
        assertTrue(e.getMessage().contains("magic number 0x00000801"), e.getMessage());

        Path images = Files.write(dir.resolve("images"), images(3, 2, 2, 0x803));
        Path fewer = Files.write(dir.resolve("fewer"), labels(1, 2));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(images, fewer));
        assertTrue(e.getMessage().contains("2 labels for the 3 images"), e.getMessage());

        byte[] gz = gzip(images(3, 2, 2, 0x803));
        Path corrupt = Files.write(dir.resolve("corrupt.gz"), Arrays.copyOf(gz, gz.length - 6));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(corrupt, lab));
        assertTrue(e.getMessage().contains("gzip") && e.getMessage().contains("corrupt.gz"), e.getMessage());

        Path tiny = Files.write(dir.resolve("tiny"), new byte[] {0, 0});
        e = assertThrows(MalformedDataException.class, () -> Idx.read(tiny, lab));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    private static String refused(Path images, Path labels) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(images, labels));
        return e.getMessage();
    }

    private static byte[] header(int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length);
        for (int v : ints) {
            b.putInt(v);
        }
        return b.array();
    }

    /** Bytes this thread allocated while {@code r} ran. */
    private static long allocated(ThrowingRunnable r) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            r.run();
        } catch (Exception expected) {
            // the faults themselves are asserted elsewhere
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aGzipBombCostsOnlyWhatTheHeaderDeclares(@TempDir Path dir) throws IOException {
        // header: 3 images of 2x2, then 64 MiB of zeros more than declared, compressed to ~64 KB
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(images(3, 2, 2, 0x803));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        Path bomb = Files.write(dir.resolve("bomb.gz"), out.toByteArray());
        Path lab = Files.write(dir.resolve("lab"), labels(1, 2, 3));
        String m = refused(bomb, lab);
        assertTrue(m.contains("bomb.gz: trailing data: the inflated content goes on after the 12 bytes the header "
                + "declares (3 images of 2x2)"), m);
        long bytes = allocated(() -> Idx.read(bomb, lab));
        assertTrue(bytes < 4 << 20, "reading the bomb allocated " + bytes + " bytes");
    }

    @Test
    void aHeaderDeclaringMoreThanTheFileHoldsAllocatesOnlyWhatArrives(@TempDir Path dir) throws IOException {
        // 10,000 images of 100x100 declared (400 MB as floats), 1 KB present
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header(0x803, 10_000, 100, 100));
            gz.write(new byte[1024]);
        }
        Path liar = Files.write(dir.resolve("liar.gz"), out.toByteArray());
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(liar, new int[3]));
        assertTrue(e.getMessage().contains("truncated: the header says 10000 images of 100x100 = 100000000 bytes after "
                + "the header, the inflated content has 1024"), e.getMessage());
        long bytes = allocated(() -> Idx.readImages(liar, new int[3]));
        assertTrue(bytes < 8 << 20, "reading the truncated file allocated " + bytes + " bytes");
    }

    @Test
    void dimensionsAreCheckedBeforeAnythingIsRead(@TempDir Path dir) throws IOException {
        Path lab = Files.write(dir.resolve("lab"), labels(1));
        String m = refused(Files.write(dir.resolve("huge"), header(0x803, 4194304, 2097152, 2097152)), lab);
        assertTrue(m.contains("the header says 4194304 images of 2097152x2097152, more than one dataset can hold"), m);
        m = refused(Files.write(dir.resolve("wraps"), header(0x803, 65536, 65536, 1)), lab);
        assertTrue(m.contains("more than one dataset can hold"), m);
        m = refused(Files.write(dir.resolve("negative"), header(0x803, 1, -28, 28)), lab);
        assertTrue(m.contains("impossible dimensions in the header: 1 images of -28x28"), m);
        m = refused(Files.write(dir.resolve("zero"), header(0x803, 0, 28, 28)), lab);
        assertTrue(m.contains("the header says 0 images: an empty file is no dataset"), m);
        Path noLabels = Files.write(dir.resolve("nolabels"), header(0x801, 0));
        m = refused(Files.write(dir.resolve("img"), images(1, 2, 2, 0x803)), noLabels);
        assertTrue(m.contains("nolabels: the header says 0 labels"), m);
        m = refused(Files.write(dir.resolve("short"), header(0x803, 1, 28)), lab);
        assertTrue(m.contains("truncated header (12 bytes, IDX images need 16)"), m);
    }

    @Test
    void trailingDataAndGzipFaultsAreNamed(@TempDir Path dir) throws IOException {
        Path lab = Files.write(dir.resolve("lab"), labels(1, 2, 3));
        byte[] raw = images(3, 2, 2, 0x803);
        String m = refused(Files.write(dir.resolve("long"), Arrays.copyOf(raw, raw.length + 5)), lab);
        assertTrue(m.contains("long: trailing data: the header says 3 images of 2x2 = 12 bytes after the 16-byte "
                + "header, the file has 17"), m);
        byte[] gz = gzip(raw);
        byte[] garbage = Arrays.copyOf(gz, gz.length + 4);
        m = refused(Files.write(dir.resolve("garbage.gz"), garbage), lab);
        assertTrue(m.contains("trailing garbage after the gzip stream (from byte " + gz.length + ")"), m);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        m = refused(Files.write(dir.resolve("crc.gz"), badCrc), lab);
        assertTrue(m.contains("gzip CRC mismatch"), m);
        // two gzip members are one stream, as gzip reads them
        byte[] head = gzip(Arrays.copyOf(raw, 10));
        byte[] tail = gzip(Arrays.copyOfRange(raw, 10, raw.length));
        byte[] members = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, members, head.length, tail.length);
        Dataset d = Idx.read(Files.write(dir.resolve("members.gz"), members), lab);
        assertArrayEquals(Idx.read(Files.write(dir.resolve("plain"), raw), lab).features(), d.features());
    }

    @Test
    void labelsAreCheckedAgainstTheClassCount(@TempDir Path dir) throws IOException {
        Path img = Files.write(dir.resolve("img"), images(3, 2, 2, 0x803));
        Path lab = Files.write(dir.resolve("lab"), labels(1, 255, 3));
        String m = refused(img, lab);
        assertTrue(m.contains("lab: label 255 of item 1 (byte 9) is outside the 10 classes 0..9 of MNIST"), m);
        Dataset d = Idx.read(img, lab, 256);
        assertEquals(256, d.classes());
        assertEquals(10, Idx.read(img, Files.write(dir.resolve("ok"), labels(1, 2, 3))).classes());
        assertEquals("9", Idx.read(img, Files.write(dir.resolve("ok"), labels(1, 2, 3))).classNames().get(9));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(img, lab, 4));
        assertTrue(e.getMessage().contains("outside the 4 classes 0..3") && !e.getMessage().contains("MNIST"),
                e.getMessage());
    }
}
