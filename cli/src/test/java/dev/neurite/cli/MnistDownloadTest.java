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
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST download against local mirrors: one broken, one serving good and bad files, one that
 * stalls after the headers, one that trickles, and ones that send more than they should.
 */
class MnistDownloadTest {
    private static final MnistDownload.Timeouts SHORT = new MnistDownload.Timeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofSeconds(60));
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService handlers;
    private HttpServer server;
    private URI good;
    private URI broken;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
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
        server.createContext("/stall/", ex -> {
            // headers and a few bytes of a 1000-byte body, then nothing until the test ends
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write(new byte[10]);
            ex.getResponseBody().flush();
            await();
            ex.close();
        });
        server.createContext("/trickle/", ex -> {
            ex.sendResponseHeaders(200, 1000);
            for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
                ex.getResponseBody().write(1);
                ex.getResponseBody().flush();
                sleep(100);
            }
            ex.close();
        });
        server.createContext("/announced/", ex -> {
            ex.sendResponseHeaders(200, 5000);
            ex.getResponseBody().write(new byte[5000]);
            ex.close();
        });
        server.createContext("/chunked/", ex -> {
            ex.sendResponseHeaders(200, 0);
            for (int i = 0; i < 5; i++) {
                ex.getResponseBody().write(new byte[1000]);
            }
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        good = URI.create(base + "/good/");
        broken = URI.create(base + "/broken/");
    }

    private void await() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private static List<String> files(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private IOException failsFrom(String mirror, Path dir, Duration perFile, long cap) {
        MnistDownload d = new MnistDownload(List.of(URI.create(base + mirror)), Map.of("x.gz", "00".repeat(32)),
                new MnistDownload.Timeouts(SHORT.connect(), SHORT.read(), perFile), cap);
        return assertThrows(IOException.class, () -> d.into(dir, new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void aServerThatStallsInTheBodyFailsAfterTheReadTimeout(@TempDir Path dir) throws IOException {
        IOException e = failsFrom("/stall/", dir, SHORT.perFile(), 1 << 20);
        assertTrue(e.getMessage().contains("x.gz") && e.getMessage().contains("no data for 1 s (read timeout)"),
                e.getMessage());
        assertEquals(List.of(), files(dir), "no partial file left");
    }

    @Test
    void aServerThatTricklesFailsAtTheDeadlinePerFile(@TempDir Path dir) throws IOException {
        IOException e = failsFrom("/trickle/", dir, Duration.ofMillis(1500), 1 << 20);
        assertTrue(e.getMessage().contains("still downloading after 1.5 s"), e.getMessage());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aBodyOverTheSizeCapIsCutOffBeforeTheChecksum(@TempDir Path dir) throws IOException {
        IOException e = failsFrom("/announced/", dir, SHORT.perFile(), 1000);
        assertTrue(e.getMessage().contains("the server announces 5000 bytes, more than the 1000-byte cap"), e.getMessage());
        e = failsFrom("/chunked/", dir, SHORT.perFile(), 1000);
        assertTrue(e.getMessage().contains("the body runs past the 1000-byte cap") && !e.getMessage().contains("SHA-256"),
                e.getMessage());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void stalePartFilesAreRemovedBeforeARetryAndLiveOnesKept(@TempDir Path dir) throws Exception {
        long me = ProcessHandle.current().pid();
        // what a killed run left (a process id no system has), the older naming, another run in progress
        for (String part : List.of("a.gz.4294967295.77.part", "a.gz5120.part", "a.gz." + me + ".9.part", "b.gz.4294967295.1.part")) {
            Files.write(dir.resolve(part), new byte[] {1});
        }
        MnistDownload d = new MnistDownload(List.of(good), Map.of("a.gz", sha256("a.gz")), SHORT, 1 << 20);
        d.into(dir, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(List.of("a.gz", "a.gz." + me + ".9.part", "b.gz.4294967295.1.part"), files(dir));
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
