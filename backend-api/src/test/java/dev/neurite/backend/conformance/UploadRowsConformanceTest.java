package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.DeviceMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** uploadRows: a batch gathered from a host table by a row index, exactly, and refused when wrong. */
class UploadRowsConformanceTest extends ConformanceBase {

    @ParameterizedTest(name = "{0} rows of {1} from {2}")
    @CsvSource({"1,1,1", "10,784,100", "128,784,1000", "7,3,7"})
    void gathersTheIndexedRows(int n, int cols, int tableRows) {
        Random rnd = new Random(n * 31L + cols);
        float[] table = random(rnd, tableRows * cols, -3, 3);
        int[] order = new int[n + 5];
        for (int i = 0; i < order.length; i++) {
            order[i] = rnd.nextInt(tableRows);
        }
        float[] expected = new float[n * cols];
        for (int r = 0; r < n; r++) {
            System.arraycopy(table, order[5 + r] * cols, expected, r * cols, cols);
        }
        DeviceMatrix dst = zeros(n, cols);
        backend.uploadRows(table, order, 5, 5 + n, dst);
        assertNear("uploadRows", expected, backend.download(dst), 0, 0);
    }

    @Test
    void refusesRowsOutsideTheTableAndWrongCounts() {
        float[] table = new float[4 * 3];
        DeviceMatrix dst = zeros(2, 3);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> backend.uploadRows(table, new int[] {0, 4}, 0, 2, dst));
        assertTrue(outside.getMessage().contains("uploadRows") && outside.getMessage().contains("row 4"),
                outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.uploadRows(table, new int[] {0, -1}, 0, 2, dst));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> backend.uploadRows(table, new int[] {0, 1, 2}, 0, 3, dst));
        assertTrue(count.getMessage().contains("3 rows into"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.uploadRows(table, new int[] {0, 1}, 1, 3, dst));
    }
}
