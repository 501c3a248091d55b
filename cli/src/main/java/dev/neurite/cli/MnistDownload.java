package dev.neurite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches the four MNIST archives from the canonical mirrors into a folder, each checked against
 * its published SHA-256 before it is moved into place (a temporary {@code .part} file, flushed to
 * disk, then an atomic rename: a failed or corrupt download never leaves a file that looks
 * complete). A server that goes quiet fails the attempt after the read timeout, even in the
 * middle of the body; one that trickles fails at the deadline per file; a body larger than the
 * size cap is cut off before the checksum. {@code .part} files left by an earlier run that died
 * are removed before a file is fetched again.
 */
final class MnistDownload {
    /** The mirrors torchvision and TensorFlow use, tried in order. */
    static final List<URI> MIRRORS = List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));
    /** SHA-256 of each archive as published with MNIST's mirrors. */
    static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
    /** The largest MNIST archive is 9.9 MB. */
    static final long MAX_BYTES = 32L << 20;

    /**
     * How long to wait.
     *
     * @param connect  for a connection
     * @param read     for the next bytes, headers or body
     * @param perFile  for one whole file
     */
    record Timeouts(Duration connect, Duration read, Duration perFile) {
    }

    static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(15));

    private final List<URI> mirrors;
    private final Map<String, String> digests;
    private final Timeouts timeouts;
    private final long maxBytes;

    MnistDownload(List<URI> mirrors, Map<String, String> digests) {
        this(mirrors, digests, DEFAULT_TIMEOUTS, MAX_BYTES);
    }

    MnistDownload(List<URI> mirrors, Map<String, String> digests, Timeouts timeouts, long maxBytes) {
        this.mirrors = mirrors;
        this.digests = digests;
        this.timeouts = timeouts;
        this.maxBytes = maxBytes;
    }

    /** The canonical mirrors and checksums. */
    static MnistDownload canonical() {
        return new MnistDownload(MIRRORS, SHA256);
    }

    /**
     * Downloads every archive missing from {@code dir}. Throws IOException naming the file and,
     * per mirror, why it failed (unreachable, HTTP status, timeout, size cap, or checksum
     * mismatch with both digests).
     */
    void into(Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(digests).entrySet()) {
            Path target = dir.resolve(e.getKey());
            if (Files.isRegularFile(target)) {
                continue;
            }
            removeStaleParts(dir, e.getKey());
            StringBuilder why = new StringBuilder();
            boolean done = false;
            for (URI mirror : mirrors) {
                URI uri = mirror.resolve(e.getKey());
                try {
                    fetch(uri, target, e.getValue());
                    out.println("neurite: downloaded " + uri + " (SHA-256 verified)");
                    done = true;
                    break;
                } catch (IOException ex) {
                    why.append("\n  ").append(uri).append(": ").append(ex.getMessage());
                }
            }
            if (!done) {
                throw new IOException("could not download " + e.getKey() + why);
            }
        }
    }

    /**
     * Removes {@code <name>.<pid>.<n>.part} files of processes that no longer run (and parts of
     * the older {@code <name><n>.part} form, which carry no process): what a killed download left.
     * A part whose process still runs is another download in progress and is left alone.
     */
    static void removeStaleParts(Path dir, String name) throws IOException {
        Pattern mine = Pattern.compile(Pattern.quote(name) + "\\.(\\d+)\\.\\d+\\.part");
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = p.getFileName().toString();
                if (!file.startsWith(name) || !file.endsWith(".part")) {
                    continue;
                }
                Matcher m = mine.matcher(file);
                boolean running = m.matches() && ProcessHandle.of(Long.parseLong(m.group(1)))
                        .map(ProcessHandle::isAlive).orElse(false);
                if (!running) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void fetch(URI uri, Path target, String sha256) throws IOException {
        String prefix = target.getFileName() + "." + ProcessHandle.current().pid() + ".";
        Path tmp = Files.createTempFile(target.getParent(), prefix, ".part");
        HttpURLConnection http = null;
        try {
            http = (HttpURLConnection) uri.toURL().openConnection();
            http.setConnectTimeout((int) timeouts.connect().toMillis());
            http.setReadTimeout((int) timeouts.read().toMillis());
            http.setInstanceFollowRedirects(true);
            int status = http.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            long length = http.getContentLengthLong();
            if (length > maxBytes) {
                throw new IOException("the server announces " + length + " bytes, more than the " + maxBytes
                        + "-byte cap for one file");
            }
            String got = copy(http.getInputStream(), tmp);
            if (!got.equals(sha256)) {
                throw new IOException("SHA-256 mismatch: expected " + sha256 + ", got " + got);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (SocketTimeoutException ex) {
            throw new IOException("no data for " + seconds(timeouts.read()) + " (read timeout)", ex);
        } catch (IOException ex) {
            throw ex.getMessage() == null ? new IOException(ex.getClass().getSimpleName(), ex) : ex;
        } finally {
            if (http != null) {
                http.disconnect();
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies the body into {@code tmp} within the cap and the deadline, flushed to disk; returns its SHA-256. */
    private String copy(InputStream body, Path tmp) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("this JDK has no SHA-256", ex);
        }
        long deadline = System.nanoTime() + timeouts.perFile().toNanos();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = body;
             FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("the body runs past the " + maxBytes + "-byte cap for one file");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("still downloading after " + seconds(timeouts.perFile()) + " (" + total
                            + " bytes so far)");
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            channel.force(true);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String seconds(Duration d) {
        return (d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0)) + " s";
    }
}
