package dev.neurite.backend.cpu;

import dev.neurite.backend.Transpose;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One GEMM call in flight and the scratch it runs in: C = alpha · op(A) (m,k) · op(B) (k,n) + beta · C.
 * A job belongs to one call at a time ({@link CpuGemm} keeps idle jobs and hands each call its
 * own), so concurrent calls on one backend share no mutable memory, and a steady state of calls
 * reuses the same arrays: nothing is allocated.
 *
 * <p>The work is cut into units that parts claim from shared counters; a part waits only for
 * units another part has claimed (and so is running), never for a part to start, so a busy pool
 * delays a call but cannot deadlock it. The packed path packs op(A) and op(B) one KC step at a
 * time into blocks the parts share (B is packed even where it could be read in place: read down
 * its rows at a stride of n floats just after an optimizer step updated it on both cores, it
 * held the 784x512 forward product at 143 GFLOP/s against 216 packed); each compute unit is a
 * block of whole MR-row and NR-column slivers. Steps alternate between two sets of blocks, so a
 * part that is done with a step's units packs the next step while the others finish theirs.
 */
final class CpuGemmJob implements CpuParallel.Parts {
    enum Mode { REFERENCE, DIRECT, PACKED }

    private final CpuGemmPlan plan;
    private final int threads;
    private final float[][] tile;
    private final float[][] bTail;
    private final float[][] row;
    private final int[] rowStarts = new int[CpuGemmKernels.V];
    /** Packed path with op(A) = A: {@link CpuGemmPacking#stepOffsets} of the call's k and MR. */
    private final int[] aSteps = new int[CpuGemmKernel12x2.MR * CpuGemmKernels.V];
    /** Packed blocks of op(A) and op(B), one of each for even KC steps and one for odd. */
    private final float[][] packedA = {new float[0], new float[0]};
    private final float[][] packedB = {new float[0], new float[0]};
    /** Direct path with op(B) = Bᵀ: B transposed. */
    private float[] bT = new float[0];

    /** Compute units per part when a call runs on several. */
    private static final int UNITS_PER_PART = 4;
    /** B slivers a compute unit takes at least, so that each A sliver it loads meets several. */
    private static final int UNIT_SLIVERS = 8;
    /** Slivers one packing chunk copies. */
    private static final int PACK_SLIVERS = 4;

    private final CpuShares bPacks;
    private final CpuShares aPacks;
    private final CpuShares units;
    /** Per part: where it is in the call (parts may be in different steps, even panels, at once). */
    private final Cursor[] cursors;
    /** Pack chunks done in this call: every chunk of a step is done before any of the next starts. */
    private final AtomicInteger packsDone = new AtomicInteger();
    /** Units done in this call, of even and of odd steps: those that read the even and the odd blocks. */
    private final AtomicInteger[] unitsDone = {new AtomicInteger(), new AtomicInteger()};
    /** Per unit of the current panel: 1 + the last step in which it was computed (its C tiles are up to date). */
    private final AtomicIntegerArray unitSteps;
    /** Reference and direct paths: the next row chunk. */
    private final AtomicInteger nextChunk = new AtomicInteger();
    private volatile boolean failed;

    private Mode mode;
    private Transpose ta;
    private Transpose tb;
    private int m;
    private int n;
    private int k;
    private float alpha;
    /** The reference path gets C already scaled; the direct path, unless beta is 0 (C is then not read). */
    private float beta;
    private float[] a;
    private float[] b;
    private float[] c;
    private int parts;
    /**
     * Packed path: the kernel of this call and its tile. Fewer rows than the plan's tile has (a
     * batch of 10 against 12 rows) take the 4 x 2 tile, which wastes fewer of them.
     */
    private CpuGemmPlan.Kernel kernel;
    private int mr;
    private int nr;
    /** Packed path: depth of a step (KC balanced over k), rows of an A panel, columns of a B panel. */
    private int kcCall;
    private int mcCall;
    private int ncCall;

    CpuGemmJob(CpuGemmPlan plan, int threads) {
        this.plan = plan;
        this.threads = threads;
        // the packed tiles, and the direct kernels' tallest tile of one vector
        int tileFloats = Math.max(plan.mr() * plan.nr(), Math.max(CpuGemmKernels.MR * CpuGemmKernels.NR,
                16 * CpuGemmKernels.V));
        this.tile = new float[threads][tileFloats];
        this.bTail = new float[threads][(CpuGemmKernels.NR + 1) * CpuGemmKernels.NR];
        this.row = new float[threads][0];
        this.bPacks = new CpuShares(threads);
        this.aPacks = new CpuShares(threads);
        this.units = new CpuShares(threads);
        this.unitSteps = new AtomicIntegerArray(2 * UNITS_PER_PART * threads + 1);
        this.cursors = new Cursor[threads];
        for (int p = 0; p < threads; p++) {
            cursors[p] = new Cursor();
        }
    }

    /**
     * Runs C = alpha · op(A) · op(B) + beta · C on {@code parts} parts (part 0 on this thread) and
     * drops the operands; for the reference and direct modes C comes already scaled by beta.
     */
    void run(CpuParallel parallel, Mode mode, int parts, Transpose ta, Transpose tb, int m, int n, int k,
             float alpha, float[] a, float[] b, float beta, float[] c) {
        this.mode = mode;
        this.ta = ta;
        this.tb = tb;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.b = b;
        this.c = c;
        this.parts = Math.max(1, Math.min(parts, threads));
        // release stores: the parts see them through the hand-over in runParts
        packsDone.setRelease(0);
        unitsDone[0].setRelease(0);
        unitsDone[1].setRelease(0);
        nextChunk.setRelease(0);
        if (mode == Mode.PACKED) {
            bPacks.reset(this.parts);
            aPacks.reset(this.parts);
            units.reset(this.parts);
            for (int u = 0; u < unitSteps.length(); u++) {
                unitSteps.setRelease(u, 0);
            }
        }
        failed = false;
        if (mode == Mode.DIRECT && tb == Transpose.TRANSPOSE) {
            this.b = transposed(b, n, k);
        }
        if (mode == Mode.PACKED) {
            kernel = m < plan.mr() ? CpuGemmPlan.Kernel.TILE_4X2 : plan.kernel();
            mr = kernel.mr;
            nr = kernel.vectors * plan.lanes();
            CpuGemmPacking.rowStarts(k, rowStarts);
            CpuGemmPacking.stepOffsets(k, mr, aSteps);
            planPanels();
        }
        try {
            if (this.parts == 1 && mode == Mode.DIRECT) {
                // a small product on the calling thread: no chunks to claim
                direct(0, 0, m);
            } else if (this.parts == 1) {
                run(0);
            } else {
                parallel.runParts(this.parts, this);
            }
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    @Override
    public void run(int part) {
        try {
            switch (mode) {
                case REFERENCE, DIRECT -> rowChunks(part);
                case PACKED -> packed(part);
            }
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** b (n,k) -> its transpose (k,n), in this job's scratch. */
    private float[] transposed(float[] b, int n, int k) {
        if (bT.length < n * k) {
            bT = new float[n * k];
        }
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                bT[p * n + j] = b[j * k + p];
            }
        }
        return bT;
    }

    // ---- reference and direct: rows of C in one chunk per part -------------------------------

    private void rowChunks(int part) {
        // the direct path in whole tiles: of 16 rows where a part has many, of MR where few (20 rows
        // on two parts as 16 + 4 left one part a fifth of the work)
        int share = (m + parts - 1) / parts;
        int align = mode != Mode.DIRECT ? 1 : share >= 64 ? 16 : CpuGemmKernels.MR;
        int per = (share + align - 1) / align * align;
        for (int u; (u = claim(nextChunk, parts)) >= 0; ) {
            int from = Math.min(m, u * per);
            int to = Math.min(m, from + per);
            if (mode == Mode.DIRECT) {
                direct(part, from, to);
            } else {
                if (row[part].length < n) {
                    row[part] = new float[n];
                }
                CpuGemmReference.gemm(ta, tb, m, n, k, alpha, a, b, c, from, to, row[part]);
            }
        }
    }

    /** Rows [from, to) of C by the direct kernels. */
    private void direct(int part, int from, int to) {
        CpuGemmDirect.rows(from, to, n, k, alpha, a, ta == Transpose.NONE ? k : 1, ta == Transpose.NONE ? 1 : m, b, c,
                bTail[part], tile[part], plan.directAccumulators() >= 16, beta != 0f);
    }

    // ---- packed path ------------------------------------------------------------------------

    /**
     * Blocking of this call: KC steps balanced over k (deeper ones when op(A) is a batch L2 keeps
     * whole); op(A) in row panels of at most the plan's MC rows, op(B) in column panels of as
     * many columns as a (kc, columns) block the plan lets L2 hold, balanced over n. When the
     * parts split B's block by columns, each keeps only its share in its own L2, so a panel takes
     * that many times the columns. Each KC step packs an A block (mcCall, kc) and a B block
     * (kc, ncCall), which stay in the caches while they are used.
     */
    private void planPanels() {
        int depth = (long) m * k <= plan.batchA() ? plan.batchKc() : plan.kc();
        int steps = (k + depth - 1) / depth;
        kcCall = (k + steps - 1) / steps;
        mcCall = Math.min(roundUp(m, mr), Math.max(mr, plan.mc() / mr * mr));
        int columns = Math.max(nr, (int) ((long) plan.nc() * plan.kc() / kcCall));
        if (mcCall <= columns) {
            columns = (int) Math.min(Integer.MAX_VALUE / 2, (long) columns * parts);
        }
        int panels = (n + columns - 1) / columns;
        ncCall = roundUp((n + panels - 1) / panels, nr);
        long needA = (long) kcCall * mcCall;
        long needB = (long) kcCall * ncCall;
        for (int i = 0; i < (parts == 1 ? 1 : 2); i++) {
            if (packedA[i].length < needA) {
                packedA[i] = new float[(int) needA];
            }
            if (packedB[i].length < needB) {
                packedB[i] = new float[(int) needB];
            }
        }
    }

    /**
     * For each panel pair and KC step: the parts pack the step's B block, then its A block, wait
     * until all is packed, and compute their units. Chunks and units are dealt so that a part
     * multiplies the slivers of the larger block it packed itself, while they are in its own L2
     * (a sliver another core has just written has to come over from that core): by row blocks
     * when A's block is the larger, by column blocks when B's is.
     *
     * <p>There is no barrier after a step's units. Steps pack into the two sets of blocks in
     * turn, so packing a step waits only for the units of the step before the last (the previous
     * readers of its blocks), and a unit waits only for the same unit of the step before, which
     * wrote the same tiles of C. A part that finishes its units early packs the next step instead
     * of waiting for the slowest unit. With two barriers a step, the 128x512x784 product ran at
     * 203 GFLOP/s on two threads where two one-thread products side by side reached 2 x 136
     * (Xeon, JMH); without them, and with gathered packing of A and deeper batch steps, 249
     * against the old code's 212 in one run.
     *
     * <p>The loops here run a few times a call; the work of a step is a method of its own, so that
     * the JIT compiles it early and once. As one method with every loop inside, this was compiled
     * four times over, on-stack at each loop, during JMH's first measured second of the 1024³
     * product on two threads, which then ran 7.7-8.1 ms a product against 7.1 in the seconds after
     * (Xeon, three forks, {@code -XX:+PrintCompilation}).
     */
    private void packed(int part) {
        Cursor at = cursors[part];
        at.start();
        for (int jc = 0; jc < n; jc += ncCall) {
            for (int ic = 0; ic < m; ic += mcCall) {
                at.panel(ic, Math.min(mcCall, m - ic), jc, Math.min(ncCall, n - jc));
                for (int pc = 0; pc < k; pc += kcCall) {
                    step(part, at, pc, Math.min(kcCall, k - pc));
                }
            }
        }
    }

    /** Where one part is in the call: its panel pair, its step, and the counts it has waited for. */
    private final class Cursor {
        int step;
        /** Pack chunks of the steps this part has entered. */
        int packLimit;
        /** Per set of blocks: units of the steps that have used it. */
        final int[] unitLimits = new int[2];
        int ic;
        int mc;
        int jc;
        int nc;
        int rowSlivers;
        int colSlivers;
        /** The parts split the larger block between them and share the other. */
        boolean byRows;
        int rowBlocks;
        int colBlocks;
        /** Pack chunks per column block of B. */
        int bSplit;
        /** Pack chunks of B per step. */
        int bChunks;
        /** Pack chunks of A per step. */
        int aChunks;

        void start() {
            step = 0;
            packLimit = 0;
            unitLimits[0] = 0;
            unitLimits[1] = 0;
        }

        void panel(int ic, int mc, int jc, int nc) {
            this.ic = ic;
            this.mc = mc;
            this.jc = jc;
            this.nc = nc;
            rowSlivers = (mc + mr - 1) / mr;
            colSlivers = (nc + nr - 1) / nr;
            byRows = mc > nc;
            colBlocks = parts == 1 || byRows ? 1 : columnBlocks(rowSlivers, colSlivers);
            rowBlocks = parts == 1 ? 1 : Math.min(rowSlivers, (UNITS_PER_PART * parts + colBlocks - 1) / colBlocks);
            bSplit = tb == Transpose.NONE ? Math.min(UNITS_PER_PART, (kcCall + 15) / 16)
                    : ((colSlivers + colBlocks - 1) / colBlocks + PACK_SLIVERS - 1) / PACK_SLIVERS;
            bChunks = colBlocks * bSplit;
            aChunks = (rowSlivers + PACK_SLIVERS - 1) / PACK_SLIVERS;
        }

        /**
         * Row block of unit u. When each part has column blocks of its own, its share of the
         * units runs row block by row block over them, starting at about the rows of A it packed
         * (row blocks and pack chunks are cut apart): the rows another core packed are then
         * fetched from it once a step, not once per column block. This order alone took 1024³ on
         * two threads, with two column blocks a part, from 298 to 307 GFLOP/s (Xeon, a timing
         * loop); such a product now has one block a part ({@link #columnBlocks}).
         */
        int rowBlock(int u) {
            if (byRows) {
                return u / colBlocks;
            }
            if (colBlocks % parts != 0) {
                return u % rowBlocks;
            }
            int own = colBlocks / parts;
            int owner = u / (rowBlocks * own);
            return (u % (rowBlocks * own) / own + owner * rowBlocks / parts) % rowBlocks;
        }

        /** Column block of unit u (see {@link #rowBlock}). */
        int colBlock(int u) {
            if (byRows) {
                return u % colBlocks;
            }
            if (colBlocks % parts != 0) {
                return u / rowBlocks;
            }
            int own = colBlocks / parts;
            return u / (rowBlocks * own) * own + u % own;
        }
    }

    /** One KC step of the part's panel pair: pack a share of the blocks, then compute units. */
    private void step(int part, Cursor at, int pc, int kc) {
        int current = at.step++;
        int set = parts == 1 ? 0 : current & 1;
        float[] pa = packedA[set];
        float[] pb = packedB[set];
        await(unitsDone[set], at.unitLimits[set]);
        at.packLimit += at.bChunks + at.aChunks;
        bPacks.phase(part, at.bChunks);
        for (int id; (id = bPacks.claim(part)) >= 0; ) {
            packB(pb, id / at.bSplit, id % at.bSplit, at.bSplit, at.colBlocks, pc, kc, at.jc, at.nc, at.colSlivers);
            packsDone.incrementAndGet();
        }
        aPacks.phase(part, at.aChunks);
        for (int id; (id = aPacks.claim(part)) >= 0; ) {
            int t0 = id * PACK_SLIVERS;
            int t1 = Math.min(at.rowSlivers, t0 + PACK_SLIVERS);
            CpuGemmPacking.packA(ta, a, m, k, at.ic + t0 * mr, Math.min(at.mc, t1 * mr) - t0 * mr, pc, kc, pa,
                    t0 * kc * mr, mr, aSteps);
            packsDone.incrementAndGet();
        }
        await(packsDone, at.packLimit);
        int stepUnits = at.rowBlocks * at.colBlocks;
        at.unitLimits[set] += stepUnits;
        units.phase(part, stepUnits);
        for (int u; (u = units.claim(part)) >= 0; ) {
            if (pc > 0) {
                awaitUnit(u, current);
            }
            int rb = at.rowBlock(u);
            int cb = at.colBlock(u);
            computeUnit(part, pa, pb, pc, kc, at.ic, at.mc, rb * at.rowSlivers / at.rowBlocks,
                    (rb + 1) * at.rowSlivers / at.rowBlocks, at.jc, at.nc, cb * at.colSlivers / at.colBlocks,
                    (cb + 1) * at.colSlivers / at.colBlocks);
            unitSteps.accumulateAndGet(u, current + 1, Math::max);
            unitsDone[set].incrementAndGet();
        }
    }

    /**
     * Column blocks of the units when the parts split B's block, a multiple of the parts: one a
     * part, so that each A sliver a part loads into L1 meets its whole share of the block, kept in
     * its L2 (1024³ on two threads, alternating JMH runs on a Xeon: four blocks of 8 slivers
     * 314-319 GFLOP/s, two of 16 316-326); more when A has too few slivers to give each part
     * {@value #UNITS_PER_PART} units, as long as each block keeps {@value #UNIT_SLIVERS} slivers.
     * When B has fewer than that a part, blocks of at least {@value #UNIT_SLIVERS} (or one), whose
     * rows the parts split.
     */
    private int columnBlocks(int rowSlivers, int colSlivers) {
        int most = colSlivers / (parts * UNIT_SLIVERS);
        if (most == 0) {
            return Math.max(1, colSlivers / UNIT_SLIVERS);
        }
        return parts * Math.min(most, (UNITS_PER_PART + rowSlivers - 1) / rowSlivers);
    }

    /**
     * Chunk r of {@code split} of column block g of the step's B block: a range of its rows for
     * op(B) = B (runs of b's rows read left to right), a few of its slivers for Bᵀ.
     */
    private void packB(float[] packedB, int g, int r, int split, int colBlocks, int pc, int kc, int jc, int nc,
                       int colSlivers) {
        int s0 = g * colSlivers / colBlocks;
        int s1 = (g + 1) * colSlivers / colBlocks;
        if (tb == Transpose.NONE) {
            CpuGemmPacking.packBRows(b, n, pc, kc, r * kc / split, (r + 1) * kc / split, jc, nc, s0, s1, packedB, 0, nr);
        } else {
            int from = Math.min(s1, s0 + r * PACK_SLIVERS);
            CpuGemmPacking.packB(tb, b, k, n, pc, kc, jc, nc, from, Math.min(s1, from + PACK_SLIVERS), packedB, 0, nr,
                    rowStarts);
        }
    }

    /**
     * C[A slivers t0..t1 of the row panel at ic, B slivers s0..s1 of the column panel at jc] +=
     * alpha · A block · B block for the KC step at pc. On the first step C is first scaled by
     * beta, or, with beta 0, written without being read.
     * An A sliver (MR, kc) stays in L1 while the B slivers (kc, NR) of the block, kept in L2,
     * stream past it; the C tiles of one A sliver are neighbours in memory, which the prefetchers
     * follow.
     */
    private void computeUnit(int part, float[] packedA, float[] packedB, int pc, int kc, int ic, int mc, int t0,
                             int t1, int jc, int nc, int s0, int s1) {
        // the first step writes C without reading it when beta is 0 (NaN there must vanish)
        boolean overwrite = pc == 0 && beta == 0f;
        if (pc == 0 && beta != 1f && beta != 0f) {
            scale(ic + t0 * mr, ic + Math.min(mc, t1 * mr), jc + s0 * nr, jc + Math.min(nc, s1 * nr));
        }
        float[] t = tile[part];
        boolean wide = kernel == CpuGemmPlan.Kernel.TILE_12X2;
        for (int ti = t0; ti < t1; ti++) {
            int ao = ti * kc * mr;
            int rows = Math.min(mr, mc - ti * mr);
            int co = (ic + ti * mr) * n + jc;
            for (int s = s0; s < s1; s++) {
                int cols = Math.min(nr, nc - s * nr);
                if (wide) {
                    CpuGemmKernel12x2.packed(kc, packedA, ao, packedB, s * kc * nr, nr, alpha, c, co + s * nr, n,
                            rows, cols, t, overwrite);
                } else {
                    CpuGemmKernels.packed4x2(kc, packedA, ao, packedB, s * kc * nr, nr, alpha, c, co + s * nr, n,
                            rows, cols, t, overwrite);
                }
            }
        }
    }

    /** C[r0..r1, j0..j1) *= beta (beta 0 never comes here: the first step then writes C unread). */
    private void scale(int r0, int r1, int j0, int j1) {
        for (int i = r0; i < r1; i++) {
            for (int j = i * n + j0; j < i * n + j1; j++) {
                c[j] *= beta;
            }
        }
    }

    // ---- claiming ---------------------------------------------------------------------------

    /** The next id below {@code limit} from {@code counter}, or -1 when all are taken. */
    private static int claim(AtomicInteger counter, int limit) {
        for (;;) {
            int v = counter.get();
            if (v >= limit) {
                return -1;
            }
            if (counter.compareAndSet(v, v + 1)) {
                return v;
            }
        }
    }

    /** Waits until unit u of the step before {@code step} is done: it is claimed and running. */
    private void awaitUnit(int u, int step) {
        for (int spins = 0; unitSteps.get(u) < step; spins++) {
            pause(spins);
        }
    }

    /** Waits until {@code done} reaches {@code target}: the work left is claimed and running. */
    private void await(AtomicInteger done, int target) {
        for (int spins = 0; done.get() < target; spins++) {
            pause(spins);
        }
    }

    private void pause(int spins) {
        if (failed) {
            throw new IllegalStateException("gemm: another thread of this call failed");
        }
        if (spins < 1 << 12) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
