package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.neurite.backend.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MNIST download against two local mirrors: one broken, one serving good and bad files. */
class MnistDownloadTest {
    private HttpServer server;
    private URI good;
    private URI broken;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/good/".length());
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/broken/", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        good = URI.create(base + "/good/");
        broken = URI.create(base + "/broken/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void verifiedFilesLandAndABrokenMirrorIsSkipped(@TempDir Path dir) throws Exception {
        // each served file's body is its own name, so its checksum is known here
        MnistDownload d = new MnistDownload(List.of(broken, good), Map.of("a.gz", sha256("a.gz"), "b.gz", sha256("b.gz")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        d.into(dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertArrayEquals("a.gz".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("a.gz")));
        assertArrayEquals("b.gz".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("b.gz")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("SHA-256 verified"));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no partial file left");
        }
    }

    @Test
    void aChecksumMismatchIsRefusedAndLeavesNothing(@TempDir Path dir) {
        MnistDownload d = new MnistDownload(List.of(broken, good), Map.of("c.gz", "00".repeat(32)));
        IOException e = assertThrows(IOException.class, () -> d.into(dir, new PrintStream(new ByteArrayOutputStream())));
        String m = e.getMessage();
        assertTrue(m.contains("c.gz") && m.contains("HTTP 503") && m.contains("SHA-256 mismatch")
                && m.contains("00".repeat(32)), m);
        assertFalse(Files.exists(dir.resolve("c.gz")));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no partial file left");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void theCanonicalChecksumsMatchTheMnistTestFilesWhenPresent() throws Exception {
        Path shared = TestData.mnistOrSkip();
        for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            byte[] bytes = Files.readAllBytes(shared.resolve(name));
            assertEquals(MnistDownload.SHA256.get(name),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), name);
        }
    }
}
