package dev.neurite.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend's own ForkJoinPool (never the common pool, which has parallelism 1 on two cores)
 * and the two ways ops split work: by index range and by worker slot.
 */
final class CpuParallel implements AutoCloseable {
    /** Body over the half-open index range [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** Body for worker slot {@code slot} of {@code slots}; each slot owns its scratch memory. */
    @FunctionalInterface
    interface SlotBody {
        void run(int slot, int slots);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();
    private final ForkJoinPool pool;
    private final int threads;

    CpuParallel(int threads) {
        this.threads = threads;
        int id = POOLS.incrementAndGet();
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("neurite-cpu-" + id + "-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in at most {@link #threads()} contiguous chunks, or inline on the
     * calling thread when {@code work} (in any unit) is below {@code minWork} per extra thread.
     * Chunk bounds are multiples of {@code align}.
     */
    void forRange(int n, long work, long minWork, int align, RangeBody body) {
        int chunks = chunks(n, work, minWork, align);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        int per = ((n + chunks - 1) / chunks + align - 1) / align * align;
        pool.invoke(new RangeTask(body, 0, n, per));
    }

    /**
     * True when {@link #forRange} would run on the calling thread. Callers test it first and
     * call their range method directly, so that the small ops of a training step allocate no
     * lambda (a captured lambda is a heap object each call).
     */
    boolean inline(int n, long work, long minWork, int align) {
        return chunks(n, work, minWork, align) <= 1;
    }

    private int chunks(int n, long work, long minWork, int align) {
        if (pool == null) {
            return 1;
        }
        int chunks = (int) Math.min(threads, Math.max(1, work / minWork));
        return Math.min(chunks, (n + align - 1) / align);
    }

    /** Runs body once per slot 0..slots-1 ({@code slots ≤ threads}), in parallel. */
    void forSlots(int slots, SlotBody body) {
        if (pool == null || slots <= 1) {
            for (int s = 0; s < slots; s++) {
                body.run(s, slots);
            }
            return;
        }
        pool.invoke(new RangeTask((from, to) -> {
            for (int s = from; s < to; s++) {
                body.run(s, slots);
            }
        }, 0, slots, 1));
    }

    /** One participant's share of a call whose parts claim their work (see {@link #runParts}). */
    @FunctionalInterface
    interface Parts {
        void run(int part);
    }

    /** A reusable pool task that runs one part; an op keeps one per extra part, so a call allocates nothing. */
    static final class PartTask extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private transient Parts body;
        private int part;

        @Override
        protected void compute() {
            body.run(part);
        }
    }

    /**
     * Runs {@code body.run(p)} for p = 0..parts-1: part 0 on the calling thread, the others on the
     * pool through {@code tasks[p - 1]}, then waits for them. A part may start late or run after
     * the others finished (the pool may be busy with another caller's work), so parts must claim
     * their work and wait only for work another part has claimed, never for a part to start.
     */
    void runParts(int parts, PartTask[] tasks, Parts body) {
        int extra = pool == null ? 0 : Math.min(parts - 1, tasks.length);
        for (int i = 0; i < extra; i++) {
            PartTask t = tasks[i];
            t.reinitialize();
            t.body = body;
            t.part = i + 1;
            if (ForkJoinTask.getPool() == pool) {
                t.fork();
            } else {
                pool.execute(t);
            }
        }
        Throwable failure = null;
        try {
            body.run(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = extra - 1; i >= 0; i--) {
            awaitBriefly(tasks[i]);
            try {
                tasks[i].join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
            tasks[i].body = null;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * Spins up to {@value #SPIN_NANOS} ns for a part that is about to finish. An external thread
     * that joins an unfinished task parks, and waking it again took 50-90 µs on a loaded
     * two-core VM: more than a tenth of a 784x512 layer product.
     */
    private static void awaitBriefly(ForkJoinTask<?> task) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (!task.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static final long SPIN_NANOS = 200_000;

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Splits [from, to) in halves down to pieces of {@code grain}, forking the left half. */
    private static final class RangeTask extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        RangeTask(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int pieces = (to - from + grain - 1) / grain;
            int mid = from + (pieces / 2) * grain;
            RangeTask left = new RangeTask(body, from, mid, grain);
            left.fork();
            new RangeTask(body, mid, to, grain).compute();
            left.join();
        }
    }
}
