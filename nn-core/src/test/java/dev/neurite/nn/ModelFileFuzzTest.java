package dev.neurite.nn;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link ModelFile#load} on the CPU backend (README, "Fuzzing the
 * readers"). The checksum is recomputed for every input, as anyone crafting a file would, so the
 * fuzzer reaches the layer descriptions and sizes behind it. A file loads, or is refused with a
 * {@link MalformedDataException} naming it, allocating no more than its content can describe.
 */
class ModelFileFuzzTest {
    private static Backend backend;
    private static Path file;

    @BeforeAll
    static void open() throws IOException {
        backend = Backends.open("cpu");
        file = Files.createTempFile("fuzz", ".model");
        // one save and load first, so that loading (and instrumenting) the loader's classes is not
        // counted against the first input's allocation bound
        try (Network net = Network.builder(4).dense(3, Init.XAVIER, dev.neurite.backend.Activation.RELU).build(backend, 1)) {
            ModelFile.save(net.classNames(List.of("a", "b", "c")), file);
        }
        ModelFile.load(file, backend).close();
    }

    @AfterAll
    static void close() throws IOException {
        backend.close();
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "5m")
    void load(byte[] input) throws IOException {
        byte[] bytes = input.clone();
        if (bytes.length >= 16) {
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            ByteBuffer.wrap(bytes, bytes.length - 8, 8).putLong(crc.getValue());
        }
        Files.write(file, bytes);
        long since = FuzzBounds.allocated();
        try (Network net = ModelFile.load(file, backend)) {
            net.inputWidth();
        } catch (MalformedDataException e) {
            FuzzBounds.assertNamesTheFile(e, file.toString());
        }
        FuzzBounds.assertAllocationBounded(bytes.length, since, 64);
    }
}
