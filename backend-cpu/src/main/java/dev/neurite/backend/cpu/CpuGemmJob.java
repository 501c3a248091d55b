package dev.neurite.backend.cpu;

import dev.neurite.backend.Transpose;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One GEMM call in flight and the scratch it runs in: C += alpha · op(A) (m,k) · op(B) (k,n).
 * A job belongs to one call at a time ({@link CpuGemm} keeps idle jobs and hands each call its
 * own), so concurrent calls on one backend share no mutable memory, and a steady state of calls
 * reuses the same arrays and pool tasks: nothing is allocated.
 *
 * <p>The work is cut into units that parts claim from shared counters; a part waits only for
 * units another part has claimed (and so is running), never for a part to start, so a busy pool
 * delays a call but cannot deadlock it. The packed path packs op(B) once per panel, the parts
 * sharing the packing and then the packed B: each compute unit is a block of whole MR-row and
 * NR-column slivers, split along the dimension that divides more evenly.
 */
final class CpuGemmJob implements CpuParallel.Parts {
    enum Mode { REFERENCE, DIRECT, PACKED }

    private final CpuGemmPlan plan;
    final CpuParallel.PartTask[] tasks;
    private final float[][] packedA;
    private final float[][] tile;
    private final float[][] bTail;
    private final float[][] row;
    private float[] packedB = new float[0];

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
    private float[] a;
    private float[] b;
    private float[] c;
    private int parts;
    /** Packed path: columns per panel, panels, row and column splits of a panel into units. */
    private int ncCall;
    private int panels;
    private int rowParts;
    private int colParts;

    CpuGemmJob(CpuGemmPlan plan, int threads) {
        this.plan = plan;
        this.tasks = new CpuParallel.PartTask[threads - 1];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new CpuParallel.PartTask();
        }
        int tileFloats = Math.max(plan.mr() * plan.nr(), CpuGemmKernels.MR * CpuGemmKernels.NR);
        this.packedA = new float[threads][plan.mr() == 0 ? 0 : plan.mc() * plan.kc()];
        this.tile = new float[threads][tileFloats];
        this.bTail = new float[threads][(CpuGemmKernels.NR + 1) * CpuGemmKernels.NR];
        this.row = new float[threads][0];
    }

    /** Runs the call on {@code parts} parts (part 0 on this thread) and drops the operands. */
    void run(CpuParallel parallel, Mode mode, int parts, Transpose ta, Transpose tb, int m, int n, int k,
             float alpha, float[] a, float[] b, float[] c) {
        this.mode = mode;
        this.ta = ta;
        this.tb = tb;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.c = c;
        this.parts = Math.max(1, Math.min(parts, tasks.length + 1));
        nextPack.set(0);
        packsDone.set(0);
        nextUnit.set(0);
        unitsDone.set(0);
        failed = false;
        if (mode == Mode.PACKED) {
            planPanels();
        }
        try {
            if (this.parts == 1) {
                run(0);
            } else {
                parallel.runParts(this.parts, tasks, this);
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
     * Panels of op(B) hold all of k for ncCall columns (memory bounded by the plan's KC·NC), so a
     * call of the layer shapes packs B once and synchronises once. Units split a panel's slivers
     * along rows or columns, whichever splits into parts more evenly.
     */
    private void planPanels() {
        int nr = plan.nr();
        int mr = plan.mr();
        int budget = Math.max(nr, (int) Math.min(Integer.MAX_VALUE, (long) plan.kc() * plan.nc() / Math.max(1, k)) / nr * nr);
        ncCall = Math.min(roundUp(n, nr), budget);
        panels = (n + ncCall - 1) / ncCall;
        int rowSlivers = (m + mr - 1) / mr;
        int colSlivers = (Math.min(ncCall, n) + nr - 1) / nr;
        if (parts == 1) {
            rowParts = 1;
            colParts = 1;
        } else if (evenness(rowSlivers, parts) >= evenness(colSlivers, parts)) {
            rowParts = Math.min(parts, rowSlivers);
            colParts = 1;
        } else {
            rowParts = 1;
            colParts = Math.min(parts, colSlivers);
        }
        long need = (long) k * roundUp(Math.min(ncCall, n), nr);
        if (packedB.length < need) {
            packedB = new float[(int) need];
        }
    }

    /** Share of the ideal when {@code slivers} are dealt to {@code parts}: 1 is perfectly even. */
    private static double evenness(int slivers, int parts) {
        return slivers < parts ? (double) slivers / parts : (double) slivers / (parts * ((slivers + parts - 1) / parts));
    }

    private void packed(int part) {
        int nr = plan.nr();
        int kc = plan.kc();
        int kBlocks = (k + kc - 1) / kc;
        int packLimit = 0;
        int unitLimit = 0;
        for (int panel = 0; panel < panels; panel++) {
            int jc = panel * ncCall;
            int nc = Math.min(ncCall, n - jc);
            int slivers = (nc + nr - 1) / nr;
            int groups = Math.min(parts, slivers);
            int packBase = packLimit;
            packLimit += kBlocks * groups;
            for (int id; (id = claim(nextPack, packLimit)) >= 0; ) {
                int local = id - packBase;
                int pc = (local / groups) * kc;
                int g = local % groups;
                CpuGemmPacking.packB(tb, b, k, n, pc, Math.min(kc, k - pc), jc, nc, g * slivers / groups,
                        (g + 1) * slivers / groups, packedB, pc * slivers * nr, nr);
                packsDone.incrementAndGet();
            }
            await(packsDone, packLimit);
            int unitBase = unitLimit;
            int units = rowParts * colParts;
            unitLimit += units;
            for (int id; (id = claim(nextUnit, unitLimit)) >= 0; ) {
                int u = id - unitBase;
                computeUnit(part, u / colParts, u % colParts, jc, nc, slivers);
                unitsDone.incrementAndGet();
            }
            if (panel + 1 < panels) {
                await(unitsDone, unitLimit);
            }
        }
    }

    /**
     * Unit (ri, ci) of a panel: C[rows of part ri, jc + slivers of part ci] += alpha · op(A) · panel,
     * one MC block of A at a time, packed for each KC step; for each B sliver (kc, NR), kept in L1,
     * the A slivers stream past from L2 (the BLIS loop order).
     */
    private void computeUnit(int part, int ri, int ci, int jc, int nc, int slivers) {
        int mr = plan.mr();
        int nr = plan.nr();
        int kc = plan.kc();
        int rowSlivers = (m + mr - 1) / mr;
        int r0 = ri * rowSlivers / rowParts * mr;
        int r1 = Math.min(m, (ri + 1) * rowSlivers / rowParts * mr);
        int s0 = ci * slivers / colParts;
        int s1 = (ci + 1) * slivers / colParts;
        int blocks = (r1 - r0 + plan.mc() - 1) / plan.mc();
        int mc = roundUp((r1 - r0 + blocks - 1) / Math.max(1, blocks), mr);
        float[] ap = packedA[part];
        float[] t = tile[part];
        for (int ic = r0; ic < r1; ic += mc) {
            int mcc = Math.min(mc, r1 - ic);
            for (int pc = 0; pc < k; pc += kc) {
                int kcc = Math.min(kc, k - pc);
                CpuGemmPacking.packA(ta, a, m, k, ic, mcc, pc, kcc, ap, mr);
                int panel = pc * slivers * nr;
                for (int s = s0; s < s1; s++) {
                    int jr = s * nr;
                    int cols = Math.min(nr, nc - jr);
                    int bo = panel + s * kcc * nr;
                    for (int ir = 0; ir < mcc; ir += mr) {
                        int co = (ic + ir) * n + jc + jr;
                        int rows = Math.min(mr, mcc - ir);
                        if (plan.kernel() == CpuGemmPlan.Kernel.TILE_12X2) {
                            CpuGemmKernel12x2.packed(kcc, ap, ir * kcc, packedB, bo, alpha, c, co, n, rows, cols, t);
                        } else {
                            CpuGemmKernels.packed4x2(kcc, ap, ir * kcc, packedB, bo, alpha, c, co, n, rows, cols, t);
                        }
                    }
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
