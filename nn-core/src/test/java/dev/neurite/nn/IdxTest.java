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
}
