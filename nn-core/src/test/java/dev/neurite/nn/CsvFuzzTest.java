package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of the CSV reader (README, "Fuzzing the readers"): each input is read
 * as a classification by the last column, by the first column with known classes, and as a
 * regression on the last column. Each reading gives a consistent dataset (finite values, labels
 * in range, one name per class) or a {@link MalformedDataException} naming the file.
 */
class CsvFuzzTest {
    private static final Path NAME = Path.of("fuzz.csv");
    private static final List<Csv> READINGS = List.of(Csv.classification(),
            Csv.classification(0).classes(List.of("0", "1", "2", "setosa", "versicolor")),
            Csv.regression("-1"));

    @FuzzTest(maxDuration = "5m")
    void csv(byte[] input) throws IOException {
        for (Csv reading : READINGS) {
            long since = FuzzBounds.allocated();
            try (DataFile in = DataFile.of(NAME, new ByteArrayInputStream(input), input.length)) {
                check(reading.table(NAME, in));
            } catch (MalformedDataException e) {
                FuzzBounds.assertNamesTheFile(e, NAME.toString());
            }
            FuzzBounds.assertAllocationBounded(FuzzBounds.content(input), since, 256);
        }
    }

    private static void check(Csv.Table t) {
        Dataset d = t.data();
        assertTrue(d.rows() > 0 && d.cols() > 0);
        assertEquals(t.columns().size(), d.cols() + t.outputColumns().size());
        assertEquals(d.classes(), d.classNames().size());
        for (float v : d.features()) {
            assertTrue(Float.isFinite(v), "feature " + v);
        }
        if (d.isRegression()) {
            for (float v : d.targets()) {
                assertTrue(Float.isFinite(v), "target " + v);
            }
        } else {
            assertTrue(d.classes() <= Csv.MAX_CLASSES);
            for (int y : d.labels()) {
                assertTrue(y >= 0 && y < d.classes(), "label " + y);
            }
        }
    }
}
