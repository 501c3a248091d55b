package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Datasets: never empty, class names kept through every copy, splits that leave both parts some rows. */
class DatasetTest {
    private static Dataset three() {
        return new Dataset(new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 1, 2}, 2, 3);
    }

    @Test
    void anEmptyDatasetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[0], new int[0], 784, 10));
        assertTrue(e.getMessage().contains("no rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.regression(new float[0], 3, new float[0], 1));
        e = assertThrows(IllegalArgumentException.class, () -> three().slice(1, 1));
        assertTrue(e.getMessage().contains("rows [1, 1) are not a non-empty part of 3 rows"), e.getMessage());
    }

    @Test
    void classNamesDefaultToNumbersAndSurviveEveryCopy() {
        Dataset d = three();
        assertEquals(List.of("0", "1", "2"), d.classNames());
        Dataset named = d.withClassNames(List.of("cat", "dog", "eel"));
        assertEquals(List.of("cat", "dog", "eel"), named.slice(0, 2).classNames());
        assertEquals(named.classNames(), named.split(1.0 / 3, 1)[1].classNames());
        assertEquals(named.classNames(), named.withShape(Shape.image(2, 1, 1)).classNames());
        assertEquals(named.classNames(), Scaler.minMax(named).apply(named).classNames());
        assertEquals(List.of("0"), Dataset.regression(new float[] {1, 2}, 1, new float[] {3, 4}, 1).classNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.withClassNames(List.of("a", "b")));
        assertTrue(e.getMessage().contains("2 class names for 3 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withClassNames(List.of("a", "b", "a")));
        assertTrue(e.getMessage().contains("class names repeat"), e.getMessage());
        // the four-argument and five-argument constructors still work as before
        assertEquals(d, new Dataset(d.features(), d.labels(), d.shape(), 3, null));
    }

    @Test
    void aSplitThatWouldLeaveAPartEmptyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> three().split(0.1, 1));
        assertTrue(e.getMessage().contains("leaves no validation rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> three().split(0.9, 1));
        assertTrue(e.getMessage().contains("leaves no training rows"), e.getMessage());
        Dataset[] parts = three().split(0.5, 1);
        assertEquals(3, parts[0].rows() + parts[1].rows());
    }
}
