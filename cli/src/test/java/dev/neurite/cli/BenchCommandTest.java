package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neurite bench --quick}: the report's structure (sections, one row per backend and figure, charts), not its timings. */
class BenchCommandTest {

    @Test
    void quickBenchWritesTheReportAndItsCharts(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"bench", "--quick", "--backends", "cpu", "--threads", "1", "--out",
                        dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        String report = Files.readString(dir.resolve("report.md"));
        for (String section : List.of("# Neurite benchmark report", "## Backends", "## Matrix multiply (n x n x n)",
                "## Training, one epoch of 60,000 samples", "## How these were measured")) {
            assertTrue(report.contains(section), "report lacks " + section + ":\n" + report);
        }
        assertTrue(report.contains("1 thread(s)"), "--threads reaches the CPU backend:\n" + report);
        // the quick sweep: one row per size, each with a positive GFLOP/s and a spread
        for (int n : new int[] {64, 128, 256}) {
            Matcher m = Pattern.compile("\\| " + n + " \\| ([0-9.]+) \\| ([0-9]+)% \\| ([0-9.]+) ms \\|").matcher(report);
            assertTrue(m.find(), "no GEMM row for n = " + n + ":\n" + report);
            assertTrue(Double.parseDouble(m.group(1)) > 0, "GFLOP/s for n = " + n);
        }
        for (String workload : List.of("784-15-10 b10", "784-15-10 b128", "784-512-512-10 b128")) {
            Matcher m = Pattern.compile("\\| " + workload + " \\| cpu \\| ([0-9.]+) s \\| [0-9]+% \\| ([0-9.]+) s \\| "
                    + "([0-9.]+) s \\| 1\\.00x \\|").matcher(report);
            assertTrue(m.find(), "no epoch row for " + workload + " on cpu:\n" + report);
        }
        for (String chart : BenchReport.CHARTS) {
            byte[] png = Files.readAllBytes(dir.resolve(chart));
            assertTrue(png.length > 1000 && Arrays.equals(Arrays.copyOf(png, 4), new byte[] {(byte) 0x89, 'P', 'N', 'G'}),
                    chart + " is not a PNG");
            assertTrue(report.contains("(" + chart + ")") || chart.equals("speedup.png"), chart + " is not in the report");
        }
    }

    @Test
    void anUnknownBackendIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"bench", "--backends", "tpu"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no backend 'tpu'"), err.toString(StandardCharsets.UTF_8));
    }
}
