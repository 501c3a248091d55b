package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV tables with and without a header, bad rows by line number, and the two scalings. */
class CsvAndScalingTest {

    @Test
    void readsWithOrWithoutAHeaderAndAnyLabelColumn(@TempDir Path dir) throws IOException {
        Path withHeader = Files.writeString(dir.resolve("a.csv"), "x1,x2,label\n1,2,0\n\n3,4,2\n");
        Dataset a = Csv.read(withHeader, -1);
        assertEquals(2, a.rows());
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.features());
        // integer labels are sorted and numbered: 0 and 2 are classes 0 and 1, named "0" and "2"
        assertArrayEquals(new int[] {0, 1}, a.labels());
        assertEquals(2, a.classes());
        assertEquals(List.of("0", "2"), a.classNames());
        Path labelFirst = Files.writeString(dir.resolve("b.csv"), "1,0.5,0.25\n0,1.5,2.5\n");
        Dataset b = Csv.read(labelFirst, 0);
        assertArrayEquals(new float[] {0.5f, 0.25f, 1.5f, 2.5f}, b.features());
        assertArrayEquals(new int[] {1, 0}, b.labels());
    }

    @Test
    void badRowsAreReportedWithTheirLineNumber(@TempDir Path dir) throws IOException {
        Path short_ = Files.writeString(dir.resolve("short.csv"), "a,b,c\n1,2,0\n3,0\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Csv.read(short_, -1));
        assertTrue(e.getMessage().contains("short.csv") && e.getMessage().contains("line 3: 2 columns, expected 3"),
                e.getMessage());
        Path text = Files.writeString(dir.resolve("text.csv"), "1,2,0\n1,two,1\n");
        e = assertThrows(MalformedDataException.class, () -> Csv.read(text, -1));
        assertTrue(e.getMessage().contains("line 2, column 2: 'two' is not a number"), e.getMessage());
        Path label = Files.writeString(dir.resolve("label.csv"), "1,2,0\n1,2,0.5\n");
        e = assertThrows(MalformedDataException.class, () -> Csv.read(label, -1));
        assertTrue(e.getMessage().contains("line 2, column 3") && e.getMessage().contains("class label"), e.getMessage());
    }

    @Test
    void minMaxAndStandardScaling() {
        Dataset d = new Dataset(new float[] {0, 10, 5, 10, 10, 10}, new int[] {0, 1, 0}, 2, 2);
        Dataset mm = Scaler.minMax(d).apply(d);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, mm.features(), 1e-6f);
        Dataset st = Scaler.standard(d).apply(d);
        float sd = (float) Math.sqrt(50.0 / 3);
        assertArrayEquals(new float[] {-5 / sd, 0, 0, 0, 5 / sd, 0}, st.features(), 1e-6f);
        Dataset[] parts = d.split(1.0 / 3, 1);
        assertEquals(2, parts[0].rows());
        assertEquals(1, parts[1].rows());
        Dataset named = d.withClassNames(List.of("no", "yes"));
        assertEquals(List.of("no", "yes"), Scaler.standard(named).apply(named).classNames(), "scaling keeps the names");
    }
}
