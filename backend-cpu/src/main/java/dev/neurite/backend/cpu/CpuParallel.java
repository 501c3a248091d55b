package dev.neurite.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's own worker threads (never the common pool) and the ways ops split work over
 * them. A call runs part 0 on the calling thread and hands parts 1.. to idle helpers; every part
 * claims its work from shared counters, so a call is complete when the caller's part finds
 * nothing left, whether or not a helper ever started.
 *
 * <p>Helpers spin for {@value #IDLE_SPIN_NANOS} ns after each part before they park: waking a
 * parked thread cost 50-90 µs on a two-core VM, more than most ops of a training step take, and
 * a step's ops follow each other closely enough that a spinning helper takes the next one at once.
 * Only one call uses the helpers at a time; a call from another thread meanwhile runs on its
 * caller alone.
 */
final class CpuParallel implements AutoCloseable {
    /** Body over the half-open index range [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /**
     * A range op whose arguments come in a holder the caller reuses: a lambda that captures
     * nothing is one object for the whole run, so such a call allocates nothing.
     */
    @FunctionalInterface
    interface RangeOp<A> {
        void run(A args, int from, int to);
    }

    /** One participant's share of a call: part 0 is the caller, parts 1.. run on helpers. */
    @FunctionalInterface
    interface Parts {
        void run(int part);
    }

    /** How long an idle helper spins for the next part before it parks. */
    static final long IDLE_SPIN_NANOS = 200_000;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final Helper[] helpers;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final ThreadLocal<Ranges> ranges = ThreadLocal.withInitial(Ranges::new);
    private volatile boolean closed;

    CpuParallel(int threads) {
        this.threads = threads;
        this.helpers = new Helper[threads - 1];
        int id = POOLS.incrementAndGet();
        // spinning pays only when each helper has a core to itself
        boolean spin = threads <= Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper(this, spin);
            Thread t = new Thread(helpers[i], "neurite-cpu-" + id + "-" + (i + 1));
            t.setDaemon(true);
            helpers[i].thread = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in at most {@link #threads()} contiguous chunks, or inline on the
     * calling thread when {@code work} (in any unit) is below {@code minWork} per extra thread.
     * Chunk bounds are multiples of {@code align}. A capturing lambda is an allocation per call:
     * ops of a training step use {@link #forRange(int, long, long, int, Object, RangeOp)}.
     */
    void forRange(int n, long work, long minWork, int align, RangeBody body) {
        forRange(n, work, minWork, align, body, (b, from, to) -> b.run(from, to));
    }

    /**
     * As {@link #forRange(int, long, long, int, Object, RangeOp)} on the calling thread's reused
     * operands, which are cleared after the call.
     */
    void forArgs(int n, long work, long minWork, int align, CpuArgs args, RangeOp<CpuArgs> op) {
        try {
            forRange(n, work, minWork, align, args, op);
        } finally {
            args.clear();
        }
    }

    /** As {@link #forRange(int, long, long, int, RangeBody)}, for {@code op} on {@code args}. */
    <A> void forRange(int n, long work, long minWork, int align, A args, RangeOp<A> op) {
        int chunks = chunks(n, work, minWork, align);
        if (chunks <= 1) {
            op.run(args, 0, n);
            return;
        }
        Ranges r = ranges.get();
        r.set(n, chunks, align, args, op);
        try {
            runParts(chunks, r);
        } finally {
            r.clear();
        }
    }

    /**
     * True when {@link #forRange} would run on the calling thread. Callers test it first and
     * call their range method directly, so that small ops skip the holder altogether.
     */
    boolean inline(int n, long work, long minWork, int align) {
        return chunks(n, work, minWork, align) <= 1;
    }

    private int chunks(int n, long work, long minWork, int align) {
        if (helpers.length == 0) {
            return 1;
        }
        int chunks = (int) Math.min(threads, Math.max(1, work / minWork));
        return Math.min(chunks, (n + align - 1) / align);
    }

    /**
     * Runs {@code body.run(p)} for p = 0..parts-1: part 0 on the calling thread, the others on idle
     * helpers, then waits for the helpers that started. Parts must claim their work and wait only
     * for work another part has claimed, never for a part to start: a part may not run at all
     * (the helpers are busy with another caller's call) or start after the others finished.
     */
    void runParts(int parts, Parts body) {
        int extra = Math.min(parts - 1, helpers.length);
        if (extra <= 0 || closed || !taken.compareAndSet(false, true)) {
            body.run(0);
            return;
        }
        try {
            for (int i = 0; i < extra; i++) {
                helpers[i].post(body, i + 1);
            }
            Throwable failure = null;
            try {
                body.run(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int i = 0; i < extra; i++) {
                Throwable f = helpers[i].await();
                if (failure == null) {
                    failure = f;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            taken.set(false);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Helper h : helpers) {
            LockSupport.unpark(h.thread);
        }
    }

    /** A helper thread: takes posted parts, runs them, spins a while, parks. */
    private static final class Helper implements Runnable {
        private static final int IDLE = 0;
        private static final int POSTED = 1;
        private static final int RUNNING = 2;
        private static final int DONE = 3;

        private final CpuParallel pool;
        private final boolean spin;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile boolean parked;
        private Thread thread;
        private Parts body;
        private int part;
        private Throwable failure;

        Helper(CpuParallel pool, boolean spin) {
            this.pool = pool;
            this.spin = spin;
        }

        /** Hands part {@code part} of {@code body} to this helper (which is idle). */
        void post(Parts body, int part) {
            this.body = body;
            this.part = part;
            this.failure = null;
            state.set(POSTED);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Takes the part back if the helper has not started it, else waits for it to end; returns
         * what it threw, or null.
         */
        Throwable await() {
            if (!state.compareAndSet(POSTED, IDLE)) {
                for (int spins = 0; state.get() != DONE; spins++) {
                    if (spins < 1 << 14) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                state.set(IDLE);
            }
            body = null;
            return failure;
        }

        @Override
        public void run() {
            while (!pool.closed) {
                if (!awaitPost()) {
                    continue;
                }
                try {
                    body.run(part);
                } catch (Throwable e) {
                    failure = e;
                }
                state.set(DONE);
            }
        }

        /** Spins, then parks, until a part is posted; true once this helper has taken it. */
        private boolean awaitPost() {
            long deadline = spin ? System.nanoTime() + IDLE_SPIN_NANOS : 0;
            while (state.get() != POSTED) {
                if (pool.closed) {
                    return false;
                }
                if (spin && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (state.get() != POSTED && !pool.closed) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            return state.compareAndSet(POSTED, RUNNING);
        }
    }

    /** A range call as parts: contiguous chunks of [0, n), claimed one at a time. */
    private static final class Ranges implements Parts {
        private final AtomicInteger next = new AtomicInteger();
        private int n;
        private int chunks;
        private int per;
        private Object args;
        private RangeOp<Object> op;

        @SuppressWarnings("unchecked")
        <A> void set(int n, int chunks, int align, A args, RangeOp<A> op) {
            this.n = n;
            this.chunks = chunks;
            this.per = ((n + chunks - 1) / chunks + align - 1) / align * align;
            this.args = args;
            this.op = (RangeOp<Object>) op;
            next.set(0);
        }

        void clear() {
            args = null;
            op = null;
        }

        @Override
        public void run(int part) {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int from = c * per;
                if (from < n) {
                    op.run(args, from, Math.min(n, from + per));
                }
            }
        }
    }
}
