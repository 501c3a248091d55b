package dev.neurite.cli;

import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code neurite bench}: the fixed CPU-vs-device comparison, as a Markdown report with charts. */
final class BenchCommand {
    static final String USAGE = """
            usage: neurite bench [flags]
              --out DIR         where report.md and the charts go        (default bench-report)
              --backends LIST   backends to compare, e.g. cpu,opencl     (default: every available one)
              --quick           a thirty-second version (fewer sizes, repeats and steps)
              --threads N       CPU backend threads                      (default: all cores)
            Runs a GEMM sweep and the epoch times of 784-15-10 (batch 10 and 128) and 784-512-512-10
            (ReLU, softmax CE, Adam, batch 128) on each backend, with transfer and first-call times apart.
            """;

    private BenchCommand() {
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, Set.of("out", "backends", "threads"), Set.of("quick"));
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        boolean quick = f.has("quick");
        List<String> names = new ArrayList<>();
        if (f.has("backends")) {
            for (String n : f.get("backends", "").split(",")) {
                if (!Backends.names().contains(n.trim())) {
                    throw new UsageException("--backends: no backend '" + n.trim() + "'; known: " + Backends.names());
                }
                names.add(n.trim());
            }
        } else {
            for (Backends.ProviderStatus s : Backends.describe()) {
                if (s.availability().available()) {
                    names.add(s.name());
                } else {
                    out.println("bench: skipping " + s.name() + ": " + s.availability());
                }
            }
        }
        BenchSuite.Plan plan = quick ? BenchSuite.Plan.quick() : BenchSuite.Plan.full();
        BackendOptions options = f.has("threads")
                ? BackendOptions.builder().cpuThreads(f.integer("threads", 1, 1)).build() : BackendOptions.defaults();
        BenchSuite suite = new BenchSuite(plan, out, options);
        List<BenchSuite.Result> results = new ArrayList<>();
        for (String n : names) {
            results.add(suite.run(n));
        }
        Path dir = Path.of(f.get("out", "bench-report"));
        BenchReport.write(dir, results, quick, plan.repeats());
        out.println("bench: wrote " + dir.resolve(BenchReport.REPORT) + " and " + String.join(", ", BenchReport.CHARTS));
        return 0;
    }
}
