package dev.neurite.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes the results of {@link BenchSuite} as {@code report.md} beside three PNG charts: GFLOP/s
 * against size per backend ({@code gemm.png}), epoch time per workload and backend
 * ({@code epochs.png}) and speedup over the CPU backend ({@code speedup.png}). Ratios compare
 * figures of the same run.
 */
final class BenchReport {
    static final String REPORT = "report.md";
    static final String[] CHARTS = {"gemm.png", "epochs.png", "speedup.png"};

    private BenchReport() {
    }

    static void write(Path dir, List<BenchSuite.Result> results, boolean quick, int repeats) throws IOException {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("bench: no backend to report on");
        }
        Files.createDirectories(dir);
        System.setProperty("java.awt.headless", "true");
        BenchSuite.Result cpu = results.stream().filter(r -> r.backend().equals("cpu")).findFirst().orElse(null);
        StringBuilder md = new StringBuilder();
        md.append("# Neurite benchmark report\n\n");
        md.append(String.format(Locale.ROOT, "%s run, %d repeats a figure (median, spread = (max − min) / median), "
                + "Java %s, %s, %d cores.%n%n", quick ? "Quick (`--quick`)" : "Full", repeats, Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors()));
        md.append("## Backends\n\n| backend | device | open (device setup, eager kernel builds) "
                + "| first 64x64 GEMM (lazy builds, first touch) |\n|---|---|---|---|\n");
        for (BenchSuite.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f s | %.3f s |%n", r.backend(), r.device(),
                    r.openSeconds(), r.firstGemmSeconds()));
        }
        gemmSection(md, results, cpu);
        epochSection(md, results, cpu);
        md.append("""

                ## How these were measured

                `neurite bench` opens each available backend as users do and refuses to report one that fell
                back to another. Every figure runs its op for a warm-up period first, then times rounds
                of calls ending in `finish()`; the median round and the spread of the rounds are shown.
                GEMM: float32 C = A·B, n x n x n; transfers (upload A and B, download C) are timed apart.
                Training: synthetic MNIST-shaped batches (784 values, 10 classes); the epoch is the median
                step time times the steps of 60,000 samples, and includes each step's batch upload, which
                the transfer column also shows alone. The first step (kernel builds for device backends)
                is reported apart and is not in the epoch time.
                """);
        Files.writeString(dir.resolve(REPORT), md.toString());
        charts(dir, results, cpu);
    }

    private static void gemmSection(StringBuilder md, List<BenchSuite.Result> results, BenchSuite.Result cpu) {
        md.append("\n## Matrix multiply (n x n x n)\n\n![GFLOP/s against n](gemm.png)\n\n| n |");
        for (BenchSuite.Result r : results) {
            md.append(" ").append(r.backend()).append(" GFLOP/s | spread | transfers |");
            if (cpu != null && r != cpu) {
                md.append(" vs cpu |");
            }
        }
        md.append("\n|---|");
        for (BenchSuite.Result r : results) {
            md.append("---|---|---|").append(cpu != null && r != cpu ? "---|" : "");
        }
        md.append('\n');
        for (int i = 0; i < results.get(0).gemm().size(); i++) {
            md.append("| ").append(results.get(0).gemm().get(i).n()).append(" |");
            for (BenchSuite.Result r : results) {
                BenchSuite.GemmPoint p = r.gemm().get(i);
                md.append(String.format(Locale.ROOT, " %.1f | %.0f%% | %.2f ms |", p.gflops(),
                        p.compute().spreadPercent(), 1e3 * p.transfer().median()));
                if (cpu != null && r != cpu) {
                    md.append(String.format(Locale.ROOT, " %.2fx |", p.gflops() / cpu.gemm().get(i).gflops()));
                }
            }
            md.append('\n');
        }
        if (cpu != null) {
            md.append('\n');
            for (BenchSuite.Result r : results) {
                if (r != cpu) {
                    md.append("- ").append(r.backend()).append(" beats the CPU backend ").append(beatsFrom(r, cpu))
                            .append(".\n");
                }
            }
        }
    }

    /** "from n = N on" (the smallest size from which every larger one is faster too), or "at no size measured". */
    static String beatsFrom(BenchSuite.Result r, BenchSuite.Result cpu) {
        Integer from = null;
        for (int i = r.gemm().size() - 1; i >= 0; i--) {
            if (r.gemm().get(i).gflops() > cpu.gemm().get(i).gflops()) {
                from = r.gemm().get(i).n();
            } else {
                break;
            }
        }
        return from == null ? "at no size measured (up to n = " + r.gemm().getLast().n() + ")" : "from n = " + from + " on";
    }

    private static void epochSection(StringBuilder md, List<BenchSuite.Result> results, BenchSuite.Result cpu) {
        md.append("\n## Training, one epoch of 60,000 samples\n\n![epoch time](epochs.png)\n\n"
                + "![speedup over the CPU backend](speedup.png)\n\n"
                + "Workloads: 784-15-10 (sigmoid, quadratic loss, SGD) at batch 10 and 128; 784-512-512-10 "
                + "(ReLU, softmax cross-entropy, Adam) at batch 128.\n\n"
                + "| workload | backend | epoch | spread | of which transfers | first step | speedup over cpu |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (int w = 0; w < BenchSuite.WORKLOADS.size(); w++) {
            for (BenchSuite.Result r : results) {
                BenchSuite.EpochPoint e = r.epochs().get(w);
                String speedup = cpu == null ? "—" : String.format(Locale.ROOT, "%.2fx",
                        cpu.epochs().get(w).epoch().median() / e.epoch().median());
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f s | %.0f%% | %.3f s | %.3f s | %s |%n",
                        e.workload(), r.backend(), e.epoch().median(), e.epoch().spreadPercent(),
                        e.transfer().median(), e.firstStep(), speedup));
            }
        }
    }

    private static void charts(Path dir, List<BenchSuite.Result> results, BenchSuite.Result cpu) throws IOException {
        XYChart gemm = new XYChartBuilder().width(800).height(500).title("Matrix multiply, n x n x n (float32)")
                .xAxisTitle("n").yAxisTitle("GFLOP/s").build();
        gemm.getStyler().setXAxisLogarithmic(true);
        CategoryChart epochs = new CategoryChartBuilder().width(800).height(500).title("One epoch, 60,000 samples")
                .xAxisTitle("workload").yAxisTitle("seconds").build();
        CategoryChart speedup = new CategoryChartBuilder().width(800).height(500).title("Speedup over the CPU backend")
                .xAxisTitle("workload").yAxisTitle("x (cpu time / backend time)").build();
        speedup.getStyler().setXAxisLabelRotation(15);
        epochs.getStyler().setXAxisLabelRotation(15);
        List<String> workloads = BenchSuite.WORKLOADS.stream().map(w -> (String) w[0]).toList();
        for (BenchSuite.Result r : results) {
            gemm.addSeries(r.backend(), r.gemm().stream().mapToDouble(BenchSuite.GemmPoint::n).toArray(),
                    r.gemm().stream().mapToDouble(BenchSuite.GemmPoint::gflops).toArray());
            epochs.addSeries(r.backend(), workloads, r.epochs().stream().map(e -> (Number) e.epoch().median()).toList());
            if (cpu != null && r != cpu) {
                List<String> names = new ArrayList<>();
                List<Number> ratios = new ArrayList<>();
                BenchSuite.GemmPoint top = r.gemm().getLast();
                names.add("GEMM n=" + top.n());
                ratios.add(top.gflops() / cpu.gemm().getLast().gflops());
                for (int w = 0; w < workloads.size(); w++) {
                    names.add(workloads.get(w));
                    ratios.add(cpu.epochs().get(w).epoch().median() / r.epochs().get(w).epoch().median());
                }
                speedup.addSeries(r.backend(), names, ratios);
            }
        }
        if (speedup.getSeriesMap().isEmpty()) {
            speedup.setTitle("Speedup over the CPU backend (no other backend available)");
            speedup.addSeries("cpu", workloads, workloads.stream().map(w -> (Number) 1.0).toList());
        }
        save(gemm, dir.resolve(CHARTS[0]));
        save(epochs, dir.resolve(CHARTS[1]));
        save(speedup, dir.resolve(CHARTS[2]));
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
