package dev.neurite.backend.cpu;

import dev.neurite.backend.Transpose;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One GEMM call in flight and the scratch it runs in: C = alpha · op(A) (m,k) · op(B) (k,n) + beta · C.
 * A job belongs to one call at a time ({@link CpuGemm} keeps idle jobs and hands each call its
 * own), so concurrent calls on one backend share no mutable memory, and a steady state of calls
 * reuses the same arrays: nothing is allocated.
 *
 * <p>The work is cut into units that parts claim from shared counters; a part waits only for
 * units another part has claimed (and so is running), never for a part to start, so a busy pool
 * delays a call but cannot deadlock it. The packed path packs op(A), and op(B) unless it reads B
 * in place, once per panel, the parts sharing the packing and then the packed panels: each
 * compute unit is a block of whole MR-row and NR-column slivers, split along the dimension that
 * divides more evenly.
 */
final class CpuGemmJob implements CpuParallel.Parts {
    enum Mode { REFERENCE, DIRECT, PACKED }

    private final CpuGemmPlan plan;
    private final int threads;
    private final float[][] tile;
    private final float[][] bTail;
    private final float[][] row;
    private final int[] rowStarts = new int[CpuGemmKernels.V];
    private float[] packedA = new float[0];
    private float[] packedB = new float[0];

    /**
     * Up to this many rows of C, op(B) = B is read in place (the kernel steps through B's rows)
     * rather than packed: packing B costs a pass over k·n floats at memory speed (120 µs for
     * 784x512 here), reading it in place costs the 12 x 2 kernel about 4%, which pays below
     * ~500 rows (see {@link CpuGemmPlan.Kernel#bInPlace} for the kernels that may).
     */
    static final int B_IN_PLACE_MAX_M = 512;
    /** Compute units per part when a call runs on several. */
    private static final int UNITS_PER_PART = 4;
    /** B slivers a compute unit takes at least, so that each A sliver it loads meets several. */
    private static final int UNIT_SLIVERS = 8;
    /** Slivers one packing chunk copies. */
    private static final int PACK_SLIVERS = 4;

    private final AtomicInteger nextPack = new AtomicInteger();
    private final AtomicInteger packsDone = new AtomicInteger();
    private final AtomicInteger nextUnit = new AtomicInteger();
    private final AtomicInteger unitsDone = new AtomicInteger();
    private volatile boolean failed;

    private Mode mode;
    private Transpose ta;
    private Transpose tb;
    private int m;
    private int n;
    private int k;
    private float alpha;
    /** Packed path only: the other paths get C already scaled. */
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
    /** Packed path: full B slivers are read from B itself; only a partial last sliver is packed. */
    private boolean bInPlace;
    /** Packed path: depth of a step (KC balanced over k), rows of an A panel, columns of a B panel. */
    private int kcCall;
    private int mcCall;
    private int ncCall;

    CpuGemmJob(CpuGemmPlan plan, int threads) {
        this.plan = plan;
        this.threads = threads;
        int tileFloats = Math.max(plan.mr() * plan.nr(), CpuGemmKernels.MR * CpuGemmKernels.NR);
        this.tile = new float[threads][tileFloats];
        this.bTail = new float[threads][(CpuGemmKernels.NR + 1) * CpuGemmKernels.NR];
        this.row = new float[threads][0];
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
        nextPack.set(0);
        packsDone.set(0);
        nextUnit.set(0);
        unitsDone.set(0);
        failed = false;
        if (mode == Mode.PACKED) {
            kernel = m < plan.mr() ? CpuGemmPlan.Kernel.TILE_4X2 : plan.kernel();
            mr = kernel.mr;
            nr = kernel.vectors * plan.lanes();
            bInPlace = kernel.bInPlace && tb == Transpose.NONE && m <= B_IN_PLACE_MAX_M;
            CpuGemmPacking.rowStarts(k, rowStarts);
            planPanels();
        }
        try {
            if (this.parts == 1) {
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

    // ---- reference and direct: rows of C in one chunk per part -------------------------------

    private void rowChunks(int part) {
        int align = mode == Mode.DIRECT ? CpuGemmKernels.MR : 1;
        int per = (((m + parts - 1) / parts) + align - 1) / align * align;
        for (int u; (u = claim(nextUnit, parts)) >= 0; ) {
            int from = Math.min(m, u * per);
            int to = Math.min(m, from + per);
            if (mode == Mode.DIRECT) {
                CpuGemmDirect.rows(from, to, n, k, alpha, a, ta == Transpose.NONE ? k : 1, ta == Transpose.NONE ? 1 : m,
                        b, c, tile[part], bTail[part]);
            } else {
                if (row[part].length < n) {
                    row[part] = new float[n];
                }
                CpuGemmReference.gemm(ta, tb, m, n, k, alpha, a, b, c, from, to, row[part]);
            }
        }
    }

    // ---- packed path ------------------------------------------------------------------------

    /**
     * Blocking of this call: KC steps balanced over k; op(A) in row panels of at most the plan's
     * MC rows, op(B) in column panels of as many columns as a (kc, columns) block the plan lets
     * L2 hold, balanced over n. Each KC step packs an A block (mcCall, kc) and a B block
     * (kc, ncCall), which stay in the caches while they are used.
     */
    private void planPanels() {
        int steps = (k + plan.kc() - 1) / plan.kc();
        kcCall = (k + steps - 1) / steps;
        mcCall = Math.min(roundUp(m, mr), Math.max(mr, plan.mc() / mr * mr));
        int columns = Math.max(nr, (int) ((long) plan.nc() * plan.kc() / kcCall));
        int panels = (n + columns - 1) / columns;
        ncCall = roundUp((n + panels - 1) / panels, nr);
        long needA = (long) kcCall * mcCall;
        long needB = (long) kcCall * ncCall;
        if (packedA.length < needA) {
            packedA = new float[(int) needA];
        }
        if (packedB.length < needB) {
            packedB = new float[(int) needB];
        }
    }

    /**
     * For each panel pair and KC step: the parts pack the step's blocks together (chunks of a few
     * slivers), wait until all is packed, compute their units, and wait until every unit is done
     * before the blocks are packed again.
     */
    private void packed(int part) {
        int packLimit = 0;
        int unitLimit = 0;
        for (int jc = 0; jc < n; jc += ncCall) {
            int nc = Math.min(ncCall, n - jc);
            int colSlivers = (nc + nr - 1) / nr;
            for (int ic = 0; ic < m; ic += mcCall) {
                int mc = Math.min(mcCall, m - ic);
                int rowSlivers = (mc + mr - 1) / mr;
                int colBlocks = parts == 1 ? 1 : Math.min(UNITS_PER_PART * parts, Math.max(1, colSlivers / UNIT_SLIVERS));
                int rowBlocks = parts == 1 ? 1 : Math.min(rowSlivers, (UNITS_PER_PART * parts + colBlocks - 1) / colBlocks);
                int bChunks = bInPlace ? (nc % nr == 0 ? 0 : 1) : (colSlivers + PACK_SLIVERS - 1) / PACK_SLIVERS;
                int aChunks = (rowSlivers + PACK_SLIVERS - 1) / PACK_SLIVERS;
                for (int pc = 0; pc < k; pc += kcCall) {
                    int kc = Math.min(kcCall, k - pc);
                    int packBase = packLimit;
                    packLimit += bChunks + aChunks;
                    for (int id; (id = claim(nextPack, packLimit)) >= 0; ) {
                        packChunk(id - packBase, bChunks, pc, kc, jc, nc, colSlivers, ic, mc, rowSlivers);
                        packsDone.incrementAndGet();
                    }
                    await(packsDone, packLimit);
                    int unitBase = unitLimit;
                    unitLimit += rowBlocks * colBlocks;
                    for (int id; (id = claim(nextUnit, unitLimit)) >= 0; ) {
                        int u = id - unitBase;
                        int rb = u % rowBlocks;
                        int cb = u / rowBlocks;
                        computeUnit(part, pc, kc, ic, mc, rb * rowSlivers / rowBlocks, (rb + 1) * rowSlivers / rowBlocks,
                                jc, nc, cb * colSlivers / colBlocks, (cb + 1) * colSlivers / colBlocks);
                        unitsDone.incrementAndGet();
                    }
                    if (pc + kcCall < k || ic + mcCall < m || jc + ncCall < n) {
                        await(unitsDone, unitLimit);
                    }
                }
            }
        }
    }

    /**
     * Chunk {@code id} of a KC step: {@value #PACK_SLIVERS} slivers of the B block (or, when B is
     * read in place, its partial last sliver), then of the A block.
     */
    private void packChunk(int id, int bChunks, int pc, int kc, int jc, int nc, int colSlivers, int ic, int mc,
                           int rowSlivers) {
        if (id < bChunks) {
            int s0 = bInPlace ? colSlivers - 1 : id * PACK_SLIVERS;
            int s1 = bInPlace ? colSlivers : Math.min(colSlivers, s0 + PACK_SLIVERS);
            CpuGemmPacking.packB(tb, b, k, n, pc, kc, jc, nc, s0, s1, packedB, 0, nr, rowStarts);
            return;
        }
        int t0 = (id - bChunks) * PACK_SLIVERS;
        int t1 = Math.min(rowSlivers, t0 + PACK_SLIVERS);
        CpuGemmPacking.packA(ta, a, m, k, ic + t0 * mr, Math.min(mc, t1 * mr) - t0 * mr, pc, kc, packedA,
                t0 * kc * mr, mr);
    }

    /**
     * C[A slivers t0..t1 of the row panel at ic, B slivers s0..s1 of the column panel at jc] +=
     * alpha · A block · B block for the KC step at pc (C first scaled by beta on the first step).
     * An A sliver (MR, kc) stays in L1 while the B slivers (kc, NR) of the block, kept in L2,
     * stream past it; the C tiles of one A sliver are neighbours in memory, which the prefetchers
     * follow.
     */
    private void computeUnit(int part, int pc, int kc, int ic, int mc, int t0, int t1, int jc, int nc, int s0,
                             int s1) {
        if (pc == 0 && beta != 1f) {
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
                boolean direct = bInPlace && cols == nr;
                float[] bs = direct ? b : packedB;
                int bo = direct ? pc * n + jc + s * nr : s * kc * nr;
                int ldb = direct ? n : nr;
                if (wide) {
                    CpuGemmKernel12x2.packed(kc, packedA, ao, bs, bo, ldb, alpha, c, co + s * nr, n, rows, cols, t);
                } else {
                    CpuGemmKernels.packed4x2(kc, packedA, ao, bs, bo, ldb, alpha, c, co + s * nr, n, rows, cols, t);
                }
            }
        }
    }

    /** C[r0..r1, j0..j1) *= beta; beta 0 writes zeros without reading C (NaN there must vanish). */
    private void scale(int r0, int r1, int j0, int j1) {
        for (int i = r0; i < r1; i++) {
            if (beta == 0f) {
                java.util.Arrays.fill(c, i * n + j0, i * n + j1, 0f);
            } else {
                for (int j = i * n + j0; j < i * n + j1; j++) {
                    c[j] *= beta;
                }
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

    /** Waits until {@code done} reaches {@code target}: the work left is claimed and running. */
    private void await(AtomicInteger done, int target) {
        for (int spins = 0; done.get() < target; spins++) {
            if (failed) {
                throw new IllegalStateException("gemm: another thread of this call failed");
            }
            if (spins < 1 << 12) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
