package dev.neurite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fetches the four MNIST archives from the canonical mirrors into a folder, each checked against
 * its published SHA-256 before it is moved into place (a temporary file, then an atomic rename:
 * a failed or corrupt download never leaves a file that looks complete).
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

    private final List<URI> mirrors;
    private final Map<String, String> digests;
    private final HttpClient http;

    MnistDownload(List<URI> mirrors, Map<String, String> digests) {
        this.mirrors = mirrors;
        this.digests = digests;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The canonical mirrors and checksums. */
    static MnistDownload canonical() {
        return new MnistDownload(MIRRORS, SHA256);
    }

    /**
     * Downloads every archive missing from {@code dir}. Throws IOException naming the file and,
     * per mirror, why it failed (unreachable, HTTP status, or checksum mismatch with both digests).
     */
    void into(Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(digests).entrySet()) {
            Path target = dir.resolve(e.getKey());
            if (Files.isRegularFile(target)) {
                continue;
            }
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

    private void fetch(URI uri, Path target, String sha256) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(response.body(), md)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(sha256)) {
                throw new IOException("SHA-256 mismatch: expected " + sha256 + ", got " + got);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("this JDK has no SHA-256", ex);
        } catch (IOException ex) {
            throw ex.getMessage() == null ? new IOException(ex.getClass().getSimpleName(), ex) : ex;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
