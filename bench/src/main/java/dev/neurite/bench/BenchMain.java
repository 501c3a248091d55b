package dev.neurite.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs JMH with the usual command-line options, then prints each result as GFLOP/s (matrix
 * multiply) or GB/s (memory-bound ops) beside the time, so that figures compare across shapes.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        Options options = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-48s %-28s %12s %12s", "benchmark", "params", "us/op", "rate"));
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            List<String> params = new ArrayList<>();
            for (String key : r.getParams().getParamsKeys()) {
                String value = r.getParams().getParam(key);
                if (!value.isEmpty()) {
                    params.add(key + "=" + value);
                }
            }
            double micros = r.getPrimaryResult().getScore();
            System.out.println(String.format(Locale.ROOT, "%-48s %-28s %12.2f %12s", name, String.join(",", params),
                    micros, rate(name, r, micros)));
        }
    }

    /** GFLOP/s or GB/s of one result, from the work its benchmark does per call. */
    static String rate(String name, RunResult r, double micros) {
        double seconds = micros * 1e-6;
        if (name.startsWith("GemmBenchmark") || name.startsWith("NetlibGemmBenchmark")) {
            GemmBenchmark.Shape s = GemmBenchmark.Shape.parse(r.getParams().getParam("shape"), "NN");
            double flops = 2.0 * s.m() * s.n() * s.k();
            return String.format(Locale.ROOT, "%.1f GFLOP/s", flops / seconds / 1e9);
        }
        if (name.startsWith("OpenClGemmBenchmark")) {
            double n = Double.parseDouble(r.getParams().getParam("size"));
            return String.format(Locale.ROOT, "%.1f GFLOP/s", 2 * n * n * n / seconds / 1e9);
        }
        if (name.startsWith("TrainingStepBenchmark")) {
            double samples = Double.parseDouble(r.getParams().getParam("batch"));
            return String.format(Locale.ROOT, "%.0f samples/s", samples / seconds);
        }
        if (name.startsWith("UpdateBenchmark")) {
            return String.format(Locale.ROOT, "%.1f GB/s", UpdateBenchmark.bytes(r.getParams().getParam("rule")) / seconds / 1e9);
        }
        double elements = (double) ReductionBenchmark.ROWS * ReductionBenchmark.COLS;
        int bytesPerElement = switch (name.substring(name.indexOf('.') + 1)) {
            case "activationForward", "arrayCopy", "backendCopy" -> 8;
            case "activationBackward" -> 16;
            default -> 4;
        };
        return String.format(Locale.ROOT, "%.1f GB/s", elements * bytesPerElement / seconds / 1e9);
    }
}
