package dev.neurite.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST, raw or gzip: a magic number (0x0803 images,
 * 0x0801 labels), the dimensions, then unsigned bytes. Every count is checked against the
 * file's length, so a truncated or mismatched file fails with the file named and the fault.
 */
public final class Idx {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;

    private Idx() {
    }

    /** Images (n, rows·cols), pixels scaled to [0, 1]. */
    public static float[] readImages(Path file, int[] shape) throws IOException {
        ByteBuffer b = content(file);
        header(file, b, IMAGES, "images");
        if (b.remaining() < 12) {
            throw new MalformedDataException(file, "truncated header (" + (b.limit()) + " bytes)");
        }
        int n = b.getInt();
        int rows = b.getInt();
        int cols = b.getInt();
        if (n < 0 || rows < 1 || cols < 1) {
            throw new MalformedDataException(file, "impossible dimensions " + n + "x" + rows + "x" + cols);
        }
        long expected = 16L + (long) n * rows * cols;
        if (b.limit() != expected) {
            throw new MalformedDataException(file, "header says " + n + " images of " + rows + "x" + cols + " = "
                    + expected + " bytes, file has " + b.limit() + (b.limit() < expected ? " (truncated)" : ""));
        }
        shape[0] = n;
        shape[1] = rows;
        shape[2] = cols;
        float[] pixels = new float[n * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (b.get() & 0xff) / 255f;
        }
        return pixels;
    }

    /** Labels (n). */
    public static int[] readLabels(Path file) throws IOException {
        ByteBuffer b = content(file);
        header(file, b, LABELS, "labels");
        if (b.remaining() < 4) {
            throw new MalformedDataException(file, "truncated header (" + b.limit() + " bytes)");
        }
        int n = b.getInt();
        if (n < 0 || b.limit() != 8L + n) {
            throw new MalformedDataException(file, "header says " + n + " labels = " + (8L + n) + " bytes, file has "
                    + b.limit() + (b.limit() < 8L + n ? " (truncated)" : ""));
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = b.get() & 0xff;
        }
        return labels;
    }

    private static int header(Path file, ByteBuffer b, int expected, String what) throws MalformedDataException {
        if (b.remaining() < 4) {
            throw new MalformedDataException(file, "too short for an IDX header (" + b.limit() + " bytes)");
        }
        int magic = b.getInt();
        if (magic != expected) {
            throw new MalformedDataException(file, String.format("magic number 0x%08x is not IDX %s (0x%08x)", magic,
                    what, expected));
        }
        return magic;
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic. */
    private static ByteBuffer content(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                in.transferTo(out);
                raw = out.toByteArray();
            } catch (IOException e) {
                throw new MalformedDataException(file, "corrupt gzip stream (" + e.getMessage() + ")");
            }
        }
        return ByteBuffer.wrap(raw);
    }

    /** An image file and a label file as one dataset of 10 classes, checked to agree in count. */
    public static Dataset read(Path images, Path labels) throws IOException {
        int[] shape = new int[3];
        float[] x = readImages(images, shape);
        int[] y = readLabels(labels);
        if (y.length != shape[0]) {
            throw new MalformedDataException(labels, y.length + " labels for the " + shape[0] + " images of " + images);
        }
        int classes = 0;
        for (int label : y) {
            classes = Math.max(classes, label + 1);
        }
        // images as (N, 1, H, W): one channel, for convolutional layers; dense layers see H·W features
        return new Dataset(x, y, Shape.image(1, shape[1], shape[2]), Math.max(classes, 10));
    }
}
