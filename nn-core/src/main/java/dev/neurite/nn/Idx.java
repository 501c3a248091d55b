package dev.neurite.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The IDX format of MNIST and Fashion-MNIST, raw or gzip: a magic number (0x0803 images,
 * 0x0801 labels), the dimensions as big-endian int32, then unsigned bytes.
 *
 * <p>The header is read first and checked: dimensions positive, their product within what one
 * {@link Dataset} can hold (2^31 - 9 values) and within the JVM's heap. Then exactly the declared
 * bytes are read, streaming (a gzip file is inflated only that far, so a small archive whose
 * content is far longer than its header says costs no more than the header declares), and
 * memory grows only as data actually arrives. A file shorter than its header says is
 * "truncated", one longer has "trailing data"; labels must lie in [0, classes). Every fault is a
 * {@link MalformedDataException} naming the file and the fault.
 */
public final class Idx {
    /** The classes of MNIST and Fashion-MNIST, the default for labels. */
    public static final int MNIST_CLASSES = 10;
    /** The most values one dataset can hold: the largest Java array. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;
    private static final int FIRST_CHUNK = 1 << 16;

    private Idx() {
    }

    /** An image file and a label file as one dataset of {@link #MNIST_CLASSES} classes, checked to agree in count. */
    public static Dataset read(Path images, Path labels) throws IOException {
        return read(images, labels, MNIST_CLASSES);
    }

    /**
     * An image file and a label file as one dataset of {@code classes} classes (names "0", "1", ...).
     * Both headers are checked, and the counts compared, before either body is read. Images are
     * samples of shape (1, rows, cols), pixels scaled to [0, 1].
     */
    public static Dataset read(Path images, Path labels, int classes) throws IOException {
        checkClasses(classes);
        try (DataFile imageFile = DataFile.open(images); DataFile labelFile = DataFile.open(labels)) {
            return read(images, imageFile, labels, labelFile, classes);
        } catch (OutOfMemoryError e) {
            throw Idx.outOfMemory(images, e);
        }
    }

    /** Images (n, rows·cols), pixels scaled to [0, 1]; {@code shape} receives {n, rows, cols}. */
    public static float[] readImages(Path file, int[] shape) throws IOException {
        try (DataFile in = DataFile.open(file)) {
            return readImages(file, in, shape);
        } catch (OutOfMemoryError e) {
            throw Idx.outOfMemory(file, e);
        }
    }

    /** Labels (n), each checked to be one of the {@link #MNIST_CLASSES} classes. */
    public static int[] readLabels(Path file) throws IOException {
        return readLabels(file, MNIST_CLASSES);
    }

    /** Labels (n), each checked to lie in [0, classes). */
    public static int[] readLabels(Path file, int classes) throws IOException {
        checkClasses(classes);
        try (DataFile in = DataFile.open(file)) {
            return readLabels(file, in, classes);
        } catch (OutOfMemoryError e) {
            throw Idx.outOfMemory(file, e);
        }
    }

    /** Images from an open stream named {@code file}. */
    static float[] readImages(Path file, DataFile in, int[] shape) throws IOException {
        Header h = Header.read(file, in, IMAGES);
        float[] pixels = pixels(h);
        System.arraycopy(h.dims, 0, shape, 0, 3);
        return pixels;
    }

    /** Labels from an open stream named {@code file}. */
    static int[] readLabels(Path file, DataFile in, int classes) throws IOException {
        return labels(Header.read(file, in, LABELS), classes);
    }

    /** Both files from open streams: headers first, then labels, then images. */
    static Dataset read(Path images, DataFile imageFile, Path labels, DataFile labelFile, int classes)
            throws IOException {
        Header ih = Header.read(images, imageFile, IMAGES);
        Header lh = Header.read(labels, labelFile, LABELS);
        if (lh.dims[0] != ih.dims[0]) {
            throw new MalformedDataException(labels, lh.dims[0] + " labels for the " + ih.dims[0] + " images of "
                    + images);
        }
        int[] y = labels(lh, classes);
        float[] x = pixels(ih);
        // images as (N, 1, H, W): one channel, for convolutional layers; dense layers see H·W features
        return new Dataset(x, y, Shape.image(1, ih.dims[1], ih.dims[2]), classes);
    }

    /** The image body of {@code h}, scaled to [0, 1]. */
    static float[] pixels(Header h) throws IOException {
        byte[] raw = h.body();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xff) / 255f;
        }
        return pixels;
    }

    /** The label body of {@code h}, each checked against {@code classes}. */
    static int[] labels(Header h, int classes) throws IOException {
        byte[] raw = h.body();
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = raw[i] & 0xff;
            if (labels[i] >= classes) {
                throw new MalformedDataException(h.file, "label " + labels[i] + " of item " + i + " (byte " + (8L + i)
                        + ") is outside the " + classes + " classes 0.." + (classes - 1)
                        + (classes == MNIST_CLASSES ? " of MNIST (give the class count if this data has more)" : ""));
            }
        }
        return labels;
    }

    private static void checkClasses(int classes) {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("IDX labels are bytes: classes must be in [1, 256], got " + classes);
        }
    }

    /** The same error, naming the file whose reading ran out of heap. */
    static OutOfMemoryError outOfMemory(Path file, OutOfMemoryError e) {
        OutOfMemoryError named = new OutOfMemoryError(file + ": reading it needs more memory than the Java heap has ("
                + e.getMessage() + "; the heap may grow to " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        named.initCause(e);
        return named;
    }

    /** A checked IDX header and the stream positioned at its body. */
    static final class Header {
        final Path file;
        final int[] dims;
        final long bodyBytes;
        private final DataFile in;
        private final String what;

        private Header(Path file, DataFile in, int[] dims, long bodyBytes, String what) {
            this.file = file;
            this.in = in;
            this.dims = dims;
            this.bodyBytes = bodyBytes;
            this.what = what;
        }

        /** Reads and checks the header of an IDX file whose magic must be {@code magic}. */
        static Header read(Path file, DataFile in, int magic) throws IOException {
            String kind = magic == IMAGES ? "images" : "labels";
            int count = magic == IMAGES ? 3 : 1;
            byte[] head = in.in.readNBytes(4 + 4 * count);
            if (head.length < 4) {
                throw new MalformedDataException(file, "too short for an IDX header (" + head.length + " bytes)");
            }
            int found = intAt(head, 0);
            if (found != magic) {
                throw new MalformedDataException(file, String.format("magic number 0x%08x is not IDX %s (0x%08x)",
                        found, kind, magic));
            }
            if (head.length < 4 + 4 * count) {
                throw new MalformedDataException(file, "truncated header (" + head.length + " bytes, IDX " + kind
                        + " need " + (4 + 4 * count) + ")");
            }
            int[] dims = new int[count];
            for (int i = 0; i < count; i++) {
                dims[i] = intAt(head, 4 + 4 * i);
            }
            String what = magic == IMAGES ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
            long bytes = checkedSize(file, dims, what);
            checkRawLength(file, in, head.length, bytes, what);
            return new Header(file, in, dims, bytes, what);
        }

        /** n·rows·cols (or n), refused when zero, negative or too large to hold. */
        private static long checkedSize(Path file, int[] dims, String what) throws MalformedDataException {
            if (dims[0] == 0) {
                throw new MalformedDataException(file, "the header says 0 " + (dims.length == 3 ? "images" : "labels")
                        + ": an empty file is no dataset");
            }
            long size = 1;
            for (int d : dims) {
                if (d < 1) {
                    throw new MalformedDataException(file, "impossible dimensions in the header: " + what);
                }
                size *= d; // below 2^31 before each step, so the product cannot overflow a long
                if (size > MAX_VALUES) {
                    throw new MalformedDataException(file, "the header says " + what + ", more than one dataset can hold ("
                            + MAX_VALUES + " values at most)");
                }
            }
            long heap = Runtime.getRuntime().maxMemory();
            if (size * Float.BYTES > heap) {
                throw new MalformedDataException(file, "the header says " + what + ": " + (size * Float.BYTES >> 20)
                        + " MiB in memory, more than the Java heap may ever hold (" + (heap >> 20)
                        + " MiB; raise it with -Xmx if the data is real)");
            }
            return size;
        }

        /** For an uncompressed file the length is known: a mismatch is reported before anything is read. */
        private static void checkRawLength(Path file, DataFile in, int headerBytes, long bytes, String what)
                throws MalformedDataException {
            if (in.gzip || in.rawSize < 0 || in.rawSize == headerBytes + bytes) {
                return;
            }
            long has = in.rawSize - headerBytes;
            throw new MalformedDataException(file, (has < bytes ? "truncated" : "trailing data") + ": the header says "
                    + what + " = " + bytes + " bytes after the " + headerBytes + "-byte header, the file has " + has);
        }

        /** Exactly the declared body bytes, then the end of the stream; memory grows with what arrives. */
        byte[] body() throws IOException {
            InputStream s = in.in;
            // a raw file's length was checked against the header; other content is believed only as it arrives
            boolean checked = !in.gzip && in.rawSize >= 0;
            byte[] out = new byte[(int) (checked ? bodyBytes : Math.min(bodyBytes, FIRST_CHUNK))];
            int have = 0;
            while (have < bodyBytes) {
                if (have == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(bodyBytes, 2L * out.length));
                }
                int n = s.read(out, have, out.length - have);
                if (n < 0) {
                    throw new MalformedDataException(file, "truncated: the header says " + what + " = " + bodyBytes
                            + " bytes after the header, the " + (in.gzip ? "inflated content" : "file") + " has " + have);
                }
                have += n;
            }
            if (s.read() >= 0) {
                throw new MalformedDataException(file, "trailing data: the " + (in.gzip ? "inflated content" : "file")
                        + " goes on after the " + bodyBytes + " bytes the header declares (" + what + ")");
            }
            return out;
        }

        private static int intAt(byte[] b, int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }
    }
}
