package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the IDX reader (README, "Fuzzing the readers"). Whatever the bytes,
 * it returns a consistent result or refuses with a {@link MalformedDataException} naming the
 * file, allocating no more than the content can hold. Without {@code JAZZER_FUZZ} these run on
 * the seeds and findings under {@code IdxFuzzTestInputs/<method>}.
 */
class IdxFuzzTest {
    private static final Path NAME = Path.of("fuzz.idx");

    @FuzzTest(maxDuration = "5m")
    void images(byte[] input) throws IOException {
        long since = FuzzBounds.allocated();
        try (DataFile in = DataFile.of(NAME, new ByteArrayInputStream(input), input.length)) {
            int[] shape = new int[3];
            float[] pixels = Idx.readImages(NAME, in, shape);
            assertTrue(shape[0] > 0 && shape[1] > 0 && shape[2] > 0);
            assertEquals((long) shape[0] * shape[1] * shape[2], pixels.length);
            for (float p : pixels) {
                assertTrue(p >= 0 && p <= 1, "pixel " + p);
            }
            if (!in.gzip) {
                assertEquals(16 + pixels.length, input.length);
            }
        } catch (MalformedDataException e) {
            FuzzBounds.assertNamesTheFile(e, NAME.toString());
        }
        FuzzBounds.assertAllocationBounded(FuzzBounds.content(input), since, 8);
    }

    @FuzzTest(maxDuration = "5m")
    void labels(byte[] input) throws IOException {
        long since = FuzzBounds.allocated();
        try (DataFile in = DataFile.of(NAME, new ByteArrayInputStream(input), input.length)) {
            int[] labels = Idx.readLabels(NAME, in, Idx.MNIST_CLASSES);
            assertTrue(labels.length > 0);
            for (int y : labels) {
                assertTrue(y >= 0 && y < Idx.MNIST_CLASSES, "label " + y);
            }
            if (!in.gzip) {
                assertEquals(8 + labels.length, input.length);
            }
        } catch (MalformedDataException e) {
            FuzzBounds.assertNamesTheFile(e, NAME.toString());
        }
        FuzzBounds.assertAllocationBounded(FuzzBounds.content(input), since, 12);
    }
}
