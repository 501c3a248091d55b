package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The measurements behind {@code neurite bench}, on one backend at a time: the time to open it
 * and the first call of each workload (kernel builds), a GEMM sweep, and epoch times of three
 * training workloads, each repeated and summarized as median and spread, with the host↔device
 * transfer time measured apart. Training uses synthetic MNIST-shaped batches (784 values,
 * 10 classes), so the figures need no dataset; an epoch is 60,000 samples: the median step time
 * times the steps an epoch takes.
 */
final class BenchSuite {
    static final int EPOCH = 60_000;

    /**
     * Run sizes: full (a few minutes on two cores) or quick (about thirty seconds). Each figure
     * first runs its op for {@code warmup} seconds (JIT compilation, caches, clocks), then
     * {@code repeats} timed rounds of at least {@code round} seconds each.
     */
    record Plan(int[] gemmSizes, double warmup, double round, int repeats) {
        static Plan full() {
            return new Plan(new int[] {64, 128, 256, 512, 1024, 2048}, 2.0, 0.5, 5);
        }

        static Plan quick() {
            return new Plan(new int[] {64, 128, 256}, 0.6, 0.1, 3);
        }
    }

    /** Median and spread (min..max) of repeated timings, in seconds. */
    record Timing(double median, double min, double max) {
        static Timing of(double[] seconds) {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Timing(median, s[0], s[n - 1]);
        }

        /** Spread as a percentage of the median: (max − min) / median. */
        double spreadPercent() {
            return median == 0 ? 0 : 100 * (max - min) / median;
        }
    }

    /** One GEMM size: n x n x n, its compute time and the upload/download of A, B and C. */
    record GemmPoint(int n, Timing compute, Timing transfer) {
        double gflops() {
            return 2.0 * n * n * n / compute.median() / 1e9;
        }
    }

    /** One training workload: epoch time (compute including the batch uploads) and the transfers alone. */
    record EpochPoint(String workload, Timing epoch, Timing transfer, double firstStep) {
    }

    /** Everything measured on one backend. */
    record Result(String backend, String device, double openSeconds, double firstGemmSeconds, List<GemmPoint> gemm,
                  List<EpochPoint> epochs) {
    }

    /** The workloads: name, preset, batch. */
    static final List<Object[]> WORKLOADS = List.of(
            new Object[] {"784-15-10 b10", Preset.CLASSIC, 10},
            new Object[] {"784-15-10 b128", Preset.CLASSIC, 128},
            new Object[] {"784-512-512-10 b128", Preset.MLP_LARGE, 128});

    private final Plan plan;
    private final PrintStream log;
    private final BackendOptions options;

    BenchSuite(Plan plan, PrintStream log, BackendOptions options) {
        this.plan = plan;
        this.log = log;
        this.options = options;
    }

    /** Measures {@code spec} (a backend name); the backend that opened must be the one named. */
    Result run(String spec) {
        long t0 = System.nanoTime();
        try (Backend backend = Backends.open(spec, options)) {
            double open = seconds(t0);
            if (!backend.name().equals(spec)) {
                throw new IllegalStateException("bench asked for " + spec + " but " + backend.name() + " opened");
            }
            log.println("bench: " + spec + " — " + backend.device());
            double firstGemm = firstGemm(backend);
            List<GemmPoint> gemm = new ArrayList<>();
            for (int n : plan.gemmSizes()) {
                gemm.add(gemm(backend, n));
                log.printf(java.util.Locale.ROOT, "bench: %s gemm %d: %.1f GFLOP/s%n", spec, n, gemm.getLast().gflops());
            }
            List<EpochPoint> epochs = new ArrayList<>();
            for (Object[] w : WORKLOADS) {
                epochs.add(epoch(backend, (String) w[0], (Preset) w[1], (Integer) w[2]));
                log.printf(java.util.Locale.ROOT, "bench: %s %s: %.2f s/epoch%n", spec, w[0], epochs.getLast().epoch().median());
            }
            return new Result(spec, backend.device(), open, firstGemm, gemm, epochs);
        }
    }

    /** The first multiply on a fresh backend: kernel builds and first-touch costs included. */
    private static double firstGemm(Backend backend) {
        try (DeviceMatrix a = backend.allocate(64, 64); DeviceMatrix b = backend.allocate(64, 64);
             DeviceMatrix c = backend.allocate(64, 64)) {
            long t0 = System.nanoTime();
            backend.gemm(Transpose.NONE, Transpose.NONE, 1f, a, b, 0f, c);
            backend.finish();
            return seconds(t0);
        }
    }

    private GemmPoint gemm(Backend backend, int n) {
        float[] host = random(n * n, n);
        try (DeviceMatrix a = backend.upload(host, n, n); DeviceMatrix b = backend.upload(host, n, n);
             DeviceMatrix c = backend.allocate(n, n)) {
            Timing compute = measure(backend, () -> backend.gemm(Transpose.NONE, Transpose.NONE, 1f, a, b, 0f, c));
            Timing transfer = measure(backend, () -> {
                backend.upload(host, a);
                backend.upload(host, b);
                backend.download(c, host);
            });
            return new GemmPoint(n, compute, transfer);
        }
    }

    private EpochPoint epoch(Backend backend, String name, Preset preset, int batch) {
        int rows = batch * 64;
        Dataset data = new Dataset(random(rows * 784, 7), new Random(3).ints(rows, 0, 10).toArray(), Shape.flat(784), 10);
        double steps = (double) EPOCH / batch;
        try (Network net = preset.network(backend, data.shape(), 10, 1);
             Trainer trainer = new Trainer(net, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1);
             DeviceMatrix x = backend.allocate(batch, 784); DeviceMatrix y = backend.allocate(batch, 10)) {
            int[] order = new int[rows];
            Arrays.setAll(order, i -> i);
            long t0 = System.nanoTime();
            trainer.step(data, order, 0, batch);
            backend.finish();
            double first = seconds(t0);
            int[] next = {0};
            Timing step = measure(backend, () -> {
                int from = next[0];
                next[0] = (from + batch) % rows;
                trainer.step(data, order, from, from + batch);
            });
            float[] hostX = new float[batch * 784];
            float[] hostY = new float[batch * 10];
            Timing upload = measure(backend, () -> {
                backend.upload(hostX, x);
                backend.upload(hostY, y);
            });
            return new EpochPoint(name, scale(step, steps), scale(upload, steps), first);
        }
    }

    /**
     * Seconds a call of {@code op}: warm-up, then rounds of as many calls as fill
     * {@link Plan#round()} (each round ends with {@code finish()}), as median and spread.
     */
    private Timing measure(Backend backend, Runnable op) {
        long start = System.nanoTime();
        int calls = 0;
        do {
            op.run();
            backend.finish();
            calls++;
        } while (seconds(start) < plan.warmup());
        int perRound = (int) Math.max(1, Math.ceil(calls * plan.round() / seconds(start)));
        double[] perCall = new double[plan.repeats()];
        for (int r = 0; r < plan.repeats(); r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                op.run();
            }
            backend.finish();
            perCall[r] = seconds(t0) / perRound;
        }
        return Timing.of(perCall);
    }

    private static Timing scale(Timing t, double factor) {
        return new Timing(t.median() * factor, t.min() * factor, t.max() * factor);
    }

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat();
        }
        return x;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
