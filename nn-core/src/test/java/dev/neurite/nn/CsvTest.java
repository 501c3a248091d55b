package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV reader's rules: header detection, columns, class labels, regression, and every bad cell named. */
class CsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static String fault(IOException e) {
        return e.getMessage();
    }

    private MalformedDataException refused(Csv csv, Path file) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> csv.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void stringLabelsAreSortedAndTheirNamesKept() throws IOException {
        Path iris = write("iris.csv", """
                sepal_length,sepal_width,petal_length,petal_width,species
                5.1,3.5,1.4,0.2,setosa
                7.0,3.2,4.7,1.4,versicolor
                6.3,3.3,6.0,2.5,virginica
                4.9,3.0,1.4,0.2,setosa
                """);
        Csv.Table t = Csv.classification("species").table(iris);
        Dataset d = t.data();
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertEquals(3, d.classes());
        assertEquals(4, d.cols());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, java.util.Arrays.copyOf(d.features(), 4));
        assertTrue(t.header());
        assertEquals(List.of(4), t.outputColumns());
        assertEquals("line 1 is a header: none of its cells is a number", t.headerNote());
        // the label column by index, and by default the last one, give the same
        assertArrayEquals(d.labels(), Csv.classification(4).read(iris).labels());
        assertArrayEquals(d.labels(), Csv.classification().read(iris).labels());
        assertArrayEquals(d.labels(), Csv.classification("-1").read(iris).labels());
    }

    @Test
    void integerLabelsAreSortedNumericallyHoweverWritten() throws IOException {
        Dataset d = Csv.classification().read(write("a.csv", "0.5,10\n1,9\n2,-1\n3,+09\n4,10.0\n5,007\n"));
        assertEquals(List.of("-1", "7", "9", "10"), d.classNames(), "numeric order, not 10 before 9");
        assertArrayEquals(new int[] {3, 2, 0, 2, 3, 1}, d.labels());
        // huge labels are names of classes, not class counts
        Dataset big = Csv.classification().read(write("b.csv", "1,1000000\n2,2147483647\n3,0\n4,99999999999999999999\n"));
        assertEquals(List.of("0", "1000000", "2147483647", "99999999999999999999"), big.classNames());
        assertEquals(4, big.classes());
    }

    @Test
    void theLabelColumnCanBeFirstAndNamedOrIndexed() throws IOException {
        Path f = write("first.csv", "y,x1,x2\nb,1,2\na,3,4\n");
        Dataset byName = Csv.classification("y").read(f);
        Dataset byIndex = Csv.classification(0).read(f);
        assertArrayEquals(new float[] {1, 2, 3, 4}, byName.features());
        assertArrayEquals(new int[] {1, 0}, byName.labels());
        assertArrayEquals(byName.labels(), byIndex.labels());
        MalformedDataException e = assertThrows(Csv.UnknownColumnException.class, () -> Csv.classification("z").read(f));
        assertTrue(e.getMessage().contains("no column 'z'") && e.getMessage().contains("[y, x1, x2]"), e.getMessage());
        e = assertThrows(Csv.UnknownColumnException.class, () -> Csv.classification(3).read(f));
        assertTrue(e.getMessage().contains("from 0 to 2"), e.getMessage());
    }

    @Test
    void mixedOrRealOrMissingLabelsAreRefusedByCell() throws IOException {
        String m = fault(refused(Csv.classification(), write("mixed.csv", "1,1\n2,2\n3,NA\n")));
        assertTrue(m.contains("line 3, column 2: label 'NA' mixes integer labels and names (line 1, column 2 has '1')"), m);
        m = fault(refused(Csv.classification(), write("real.csv", "1,1\n2,0.5\n")));
        assertTrue(m.contains("line 2, column 2: label '0.5' is a number but not an integer"), m);
        m = fault(refused(Csv.classification(), write("nan.csv", "1,1\n2,NaN\n")));
        assertTrue(m.contains("line 2, column 2: 'NaN' is a missing or non-finite value"), m);
        m = fault(refused(Csv.classification(), write("empty.csv", "1,1\n2,\n")));
        assertTrue(m.contains("line 2, column 2: empty class label"), m);
    }

    @Test
    void moreThanTheClassLimitIsRefused() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i <= Csv.MAX_CLASSES; i++) {
            s.append(i).append(',').append(i).append('\n');
        }
        String m = fault(refused(Csv.classification(), write("ids.csv", s.toString())));
        assertTrue(m.contains("line 10001, column 2: label '10000' would be class 10001; a table has at most 10000 classes"),
                m);
    }

    @Test
    void knownClassesMapATestFileAsTheTrainingFileDid() throws IOException {
        Dataset train = Csv.classification().read(write("train.csv", "1,a\n2,b\n3,c\n"));
        Dataset test = Csv.classification().classes(train.classNames()).read(write("test.csv", "4,c\n5,c\n"));
        assertEquals(train.classNames(), test.classNames());
        assertArrayEquals(new int[] {2, 2}, test.labels());
        String m = fault(refused(Csv.classification().classes(train.classNames()), write("odd.csv", "4,c\n5,d\n")));
        assertTrue(m.contains("line 2, column 2: label 'd' is not one of the 3 known classes [a, b, c]"), m);
    }

    @Test
    void regressionReadsNamedTargetsAndKeepsTheirNames() throws IOException {
        Path f = write("houses.csv", "rooms,price,area,rent\n3,250000,80.5,900\n4,310000,95,1100\n");
        Dataset d = Csv.regression("price", "rent").read(f);
        assertTrue(d.isRegression());
        assertEquals(2, d.classes());
        assertEquals(List.of("price", "rent"), d.classNames());
        assertArrayEquals(new float[] {3, 80.5f, 4, 95}, d.features());
        assertArrayEquals(new float[] {250000, 900, 310000, 1100}, d.targets());
        Dataset byIndex = Csv.regression("1", "-1").read(f);
        assertArrayEquals(d.targets(), byIndex.targets());
        Dataset noHeader = Csv.regression("0").read(write("plain.csv", "1.5,2\n2.5,3\n"));
        assertEquals(List.of("column 1"), noHeader.classNames());
        String m = fault(refused(Csv.regression("a", "b"), write("all.csv", "a,b\n1,2\n")));
        assertTrue(m.contains("no feature columns left"), m);
    }

    @Test
    void badCellsNameFileLineAndColumn() throws IOException {
        Path header = write("h.csv", "x,y,label\n1,2,0\n1,2,1\n");
        assertEquals(2, Csv.classification().read(header).rows());
        String[][] cases = {
            {"nan.csv", "x,y,label\n1,2,0\nNaN,2,1\n", "line 3, column 1 (x): 'NaN' is not a finite number"},
            {"inf.csv", "x,y,label\n1,-Infinity,1\n", "line 2, column 2 (y): '-Infinity' is not a finite number"},
            {"big.csv", "x,y,label\n1,1e39,1\n", "line 2, column 2 (y): '1e39' is beyond float's range"},
            {"empty.csv", "x,y,label\n1,,1\n", "line 2, column 2 (y): empty cell"},
            {"hex.csv", "x,y,label\n0x10,1,1\n", "line 2, column 1 (x): '0x10' is not a number"},
            {"suffix.csv", "x,y,label\n1f,1,1\n", "line 2, column 1 (x): '1f' is not a number"},
            {"short.csv", "x,y,label\n1,2,0\n1,2\n", "line 3: 2 columns, expected 3 (as on line 1)"},
            {"quote.csv", "x,y,label\n\"1,2,0\n", "line 2, column 1: the quote opened at character 1 is not closed"},
            {"only.csv", "x,y,label\n\n", "no data rows after the header on line 1"},
            {"none.csv", "\n \n", "no data: the file is empty"},
            {"one.csv", "1\n2\n", "line 1 has one column"},
        };
        for (String[] c : cases) {
            String m = fault(refused(Csv.classification(), write(c[0], c[1])));
            assertTrue(m.contains(c[2]), c[0] + ": " + m);
        }
    }

    @Test
    void aFirstRowWithATypoIsAnErrorNotAHeader() throws IOException {
        Path typo = write("typo.csv", "5.1,3..5,1.4,setosa\n4.9,3.0,1.4,setosa\n");
        String m = fault(refused(Csv.classification(), typo));
        assertTrue(m.contains("line 1, column 2: '3..5' is not a number (line 1 is data, not a header, because cells 1, 3 "
                + "are numbers)"), m);
        // all numbers: data, and the note says so
        Csv.Table t = Csv.classification().table(write("data.csv", "1,2,0\n3,4,1\n"));
        assertFalse(t.header());
        assertEquals(2, t.data().rows());
        assertEquals("line 1 is data, not a header, because cells 1, 2, 3 are numbers", t.headerNote());
        assertEquals(List.of("column 1", "column 2", "column 3"), t.columns());
        // a header of numbers is data unless the caller says otherwise
        Path numbered = write("numbered.csv", "0,1,2\n1,2,0\n3,4,1\n");
        assertEquals(3, Csv.classification().read(numbered).rows());
        Csv.Table forced = Csv.classification("2").header(Csv.Header.PRESENT).table(numbered);
        assertEquals(2, forced.data().rows());
        assertEquals("line 1 is a header, as the caller said", forced.headerNote());
        m = fault(refused(Csv.classification().header(Csv.Header.ABSENT), write("names.csv", "x,label\n1,a\n")));
        assertTrue(m.contains("line 1, column 1: 'x' is not a number (line 1 is data, as the caller said)"), m);
    }

    @Test
    void aByteOrderMarkQuotesAndLineEndingsAreHandled() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] body = "5.1,3.5,a\r\n4.9,3.0,b\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(body, 0, withBom, 3, body.length);
        Dataset d = Csv.classification().read(write("bom.csv", withBom));
        assertEquals(2, d.rows(), "the first row after a BOM is data, not a header");
        assertArrayEquals(new float[] {5.1f, 3.5f, 4.9f, 3.0f}, d.features());
        Dataset cr = Csv.classification().read(write("cr.csv", "1,2,a\r3,4,b\r"));
        assertEquals(2, cr.rows());
        Dataset quoted = Csv.classification("\"kind\"").read(write("q.csv",
                "\"x\",\"y\",\"\"\"kind\"\"\"\n\"1.5\", 2 ,\"Iris, setosa\"\n3,4,\"say \"\"hi\"\"\"\n"));
        assertEquals(List.of("Iris, setosa", "say \"hi\""), quoted.classNames());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, quoted.features());
    }

    @Test
    void invalidUtf8AndUtf16AreNamedWithLineAndColumn() throws IOException {
        byte[] latin1 = "name,x,label\n1,2,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        String m = fault(refused(Csv.classification(), write("latin1.csv", latin1)));
        assertTrue(m.contains("line 2, column 3: invalid UTF-8 (byte 0xe9 at byte 8 of the line)"), m);
        byte[] utf16 = "x,label\n1,a\n".getBytes(StandardCharsets.UTF_16);
        m = fault(refused(Csv.classification(), write("utf16.csv", utf16)));
        assertTrue(m.contains("UTF-16"), m);
        byte[] utf16le = "x,label\n1,a\n".getBytes(StandardCharsets.UTF_16LE);
        m = fault(refused(Csv.classification(), write("utf16le.csv", utf16le)));
        assertTrue(m.contains("line 1, column 1: a NUL byte"), m);
        Dataset utf8 = Csv.classification().read(write("utf8.csv", "1,caf\u00e9\n2,th\u00e9\n"));
        assertEquals(List.of("caf\u00e9", "th\u00e9"), utf8.classNames());
    }

    @Test
    void gzipTablesAreReadWhateverTheirName() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("x,y,label\n1,2,b\n3,4,a\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = Csv.classification().read(write("t.csv.gz", bytes.toByteArray()));
        assertArrayEquals(new int[] {1, 0}, d.labels());
        Dataset same = Csv.classification().read(write("t.csv", bytes.toByteArray()));
        assertArrayEquals(d.features(), same.features());
    }

    @Test
    void aMissingFileOrADirectoryIsNamedPlainly() {
        IOException e = assertThrows(IOException.class, () -> Csv.classification().read(dir.resolve("missing.csv")));
        assertEquals(dir.resolve("missing.csv") + ": no such file", e.getMessage());
        e = assertThrows(IOException.class, () -> Csv.classification().read(dir));
        assertEquals(dir + ": is a directory, not a data file", e.getMessage());
    }
}
