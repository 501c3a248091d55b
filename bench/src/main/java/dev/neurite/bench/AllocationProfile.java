package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.Locale;
import jdk.jfr.Recording;

/**
 * The bytes one training step of a {@link Preset} allocates, per thread, in steady state: the
 * heap bytes each thread allocated (HotSpot's per-thread count, exact to the byte) summed over
 * rounds of steps after a warm-up, for the training thread, the CPU backend's workers
 * ({@code neurite-cpu-*}) and all other Java threads together. Unlike JMH's {@code -prof gc},
 * which divides the whole JVM's allocation by the operations, nothing here counts the harness,
 * the JIT's own Java threads or the measurement. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.neurite.bench.AllocationProfile
 * MODEL BATCH [THREADS [STEPS [WARMUP]]]}: at least WARMUP steps (default 3000) warm up, and
 * more until the JIT has finished no compilation for {@value #QUIET_SECONDS} s of steps (at most
 * {@value #WARMUP_LIMIT_SECONDS} s), then three rounds of STEPS steps (default 1000) are counted,
 * each printed. A step's code allocates until the JIT has compiled it (the Vector API boxes every
 * vector in the interpreter and C1; on a loaded machine C2's queue can take a minute), and a
 * compilation the step asks for resolves the string constants of the method's class on the
 * step's thread: bytes that come once, so a count still falling from round to round is warm-up,
 * where a steady allocation is the same in every round. A kernel a step calls only a few times
 * can still run in C1 when the JIT goes idle (LeNet at batch 128 took some 1,000 steps to reach
 * C2 in the direct multiply): give such models a larger WARMUP.
 *
 * <p>To find where the bytes come from, {@code -Dneurite.allocation.jfr=FILE} records the
 * measured rounds with Flight Recorder: every allocation outside a TLAB and every new TLAB, with
 * its stack. Run it with {@code -XX:-UseTLAB}, so that every allocation is such an event, then
 * {@code jfr print --events jdk.ObjectAllocationOutsideTLAB FILE}.
 */
public final class AllocationProfile {
    private static final int ROUNDS = 3;
    /** Steps for this long with no compilation finished end the warm-up. */
    private static final int QUIET_SECONDS = 3;
    private static final int WARMUP_LIMIT_SECONDS = 180;
    private static final String WORKER = "neurite-cpu-";

    private final com.sun.management.ThreadMXBean bean =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationProfile() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: AllocationProfile MODEL BATCH [THREADS [STEPS [WARMUP]]]"
                    + "   (MODEL: classic, mlp-large, lenet)");
            System.exit(2);
        }
        Preset preset = Preset.named(args[0]);
        int batch = Integer.parseInt(args[1]);
        String threads = args.length > 2 ? args[2] : "";
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3000;
        try (Backend backend = BenchBackend.open(threads)) {
            new AllocationProfile().run(backend, preset, batch, steps, warmup);
        }
    }

    private void run(Backend backend, Preset preset, int batch, int steps, int warmup) {
        StepData data = StepData.random(preset, batch, 16);
        try (Network net = preset.network(backend, data.shape(), 10, 1);
             Trainer trainer = new Trainer(net, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1)) {
            long warmed = warmUp(backend, trainer, data, warmup);
            // the workers exist once the backend is open; other threads are sampled as they are now
            long[] ids = bean.getAllThreadIds();
            String[] names = names(ids);
            long[][] perRound = new long[ROUNDS][ids.length];
            long[] mine = new long[ROUNDS];
            long[] before = new long[ids.length];
            long[] after = new long[ids.length];
            int self = indexOf(ids, Thread.currentThread().threadId());
            Recording recording = record(System.getProperty("neurite.allocation.jfr"));
            for (int r = 0; r < ROUNDS; r++) {
                sample(ids, before);
                long start = bean.getCurrentThreadAllocatedBytes();
                data.steps(trainer, steps);
                backend.finish();
                mine[r] = bean.getCurrentThreadAllocatedBytes() - start;
                sample(ids, after);
                for (int i = 0; i < ids.length; i++) {
                    perRound[r][i] = i == self ? mine[r] : after[i] - before[i];
                }
            }
            stop(recording);
            print(preset, batch, backend, steps, warmed, names, self, perRound);
        }
    }

    /**
     * At least {@code warmup} steps, then more until the JIT's total compilation time has not
     * moved for {@value #QUIET_SECONDS} s; the steps taken.
     */
    private static long warmUp(Backend backend, Trainer trainer, StepData data, int warmup) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int chunk = Math.max(1, warmup / 10);
        long start = System.nanoTime();
        long quietSince = start;
        long compiled = jit.getTotalCompilationTime();
        long done = 0;
        while (true) {
            data.steps(trainer, chunk);
            backend.finish();
            done += chunk;
            long now = System.nanoTime();
            long c = jit.getTotalCompilationTime();
            if (c != compiled) {
                compiled = c;
                quietSince = now;
            }
            boolean quiet = now - quietSince >= QUIET_SECONDS * 1_000_000_000L;
            if (done >= warmup && quiet || now - start >= WARMUP_LIMIT_SECONDS * 1_000_000_000L) {
                return done;
            }
        }
    }

    /** A recording of allocations with their stacks, started; null without a file. */
    private static Recording record(String file) {
        if (file == null) {
            return null;
        }
        Recording r = new Recording();
        r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
        r.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
        try {
            r.setDestination(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record allocations to " + file, e);
        }
        r.start();
        return r;
    }

    private static void stop(Recording recording) {
        if (recording != null) {
            recording.stop();
            System.err.println("# allocations recorded in " + recording.getDestination());
            recording.close();
        }
    }

    /** Each thread's allocated bytes so far, -1 for a thread that has ended. */
    private void sample(long[] ids, long[] into) {
        for (int i = 0; i < ids.length; i++) {
            into[i] = bean.getThreadAllocatedBytes(ids[i]);
        }
    }

    private String[] names(long[] ids) {
        ThreadInfo[] infos = bean.getThreadInfo(ids);
        String[] names = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            names[i] = infos[i] == null ? "(ended)" : infos[i].getThreadName();
        }
        return names;
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new IllegalStateException("the calling thread is not among the JVM's threads");
    }

    private static void print(Preset preset, int batch, Backend backend, int steps, long warmup, String[] names, int self,
                              long[][] perRound) {
        System.out.printf(Locale.ROOT, "%s, batch %d, %s%n", preset, batch, backend.device());
        System.out.printf(Locale.ROOT, "B/step per thread: %d warm-up steps (until the JIT was idle %d s), then %d rounds"
                + " of %d steps%n%n", warmup, QUIET_SECONDS, ROUNDS, steps);
        StringBuilder head = new StringBuilder("| thread |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int r = 1; r <= ROUNDS; r++) {
            head.append(" round ").append(r).append(" |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        double[] step = new double[ROUNDS];
        double[] others = new double[ROUNDS];
        for (int i = 0; i < names.length; i++) {
            boolean worker = names[i].startsWith(WORKER);
            if (i == self || worker) {
                row((i == self ? "training (" + names[i] + ")" : names[i]), perRound, i, steps);
            }
            for (int r = 0; r < ROUNDS; r++) {
                double b = Math.max(0, perRound[r][i]) / (double) steps;
                if (i == self || worker) {
                    step[r] += b;
                } else {
                    others[r] += b;
                }
            }
        }
        total("all step threads", step);
        total("other threads (" + (names.length - 1 - workers(names)) + ")", others);
    }

    private static void row(String name, long[][] perRound, int i, int steps) {
        StringBuilder s = new StringBuilder("| ").append(name).append(" |");
        for (long[] round : perRound) {
            s.append(String.format(Locale.ROOT, " %.2f |", round[i] / (double) steps));
        }
        System.out.println(s);
    }

    private static void total(String name, double[] perRound) {
        StringBuilder s = new StringBuilder("| ").append(name).append(" |");
        for (double b : perRound) {
            s.append(String.format(Locale.ROOT, " %.2f |", b));
        }
        System.out.println(s);
    }

    private static int workers(String[] names) {
        int n = 0;
        for (String name : names) {
            n += name.startsWith(WORKER) ? 1 : 0;
        }
        return n;
    }
}
