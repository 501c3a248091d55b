package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.MR;
import static dev.neurite.backend.cpu.CpuGemmKernels.NR;
import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import dev.neurite.backend.Transpose;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * C = alpha · op(A) · op(B) + beta · C on row-major float arrays: op(A) (m,k) · op(B) (k,n) -> C (m,n).
 *
 * <p>Two paths. When op(B) = B and the problem is skinny (n ≤ {@value #DIRECT_MAX_N} or
 * m ≤ {@value #DIRECT_MAX_M}, as in every layer of 784-15-10), the direct kernels read B's rows
 * in place: no packing, nothing to amortise. Otherwise the packed path: B in KC x NC panels of
 * NR-wide slivers, A in MC x KC blocks of MR-tall slivers, and an MR x NR register-blocked
 * micro-kernel (the GotoBLAS/BLIS structure). Work is split over row blocks of C.
 */
final class CpuGemm {
    static final int KC = 384;
    static final int MC = 128;
    static final int NC = 4096;
    static final int DIRECT_MAX_N = 64;
    static final int DIRECT_MAX_M = 32;
    /** Below this many multiply-adds per extra thread, stay on the calling thread. */
    static final long PARALLEL_MIN_WORK = 1L << 20;

    private final CpuParallel parallel;
    private final float[] packedB = new float[KC * (NC + NR)];
    private final float[][] packedA;
    private final float[][] edgeTile;
    /** Per slot: the last rows of B for the direct path, zero-padded (at most NR rows of NR). */
    private final float[][] bTail;

    CpuGemm(CpuParallel parallel) {
        this.parallel = parallel;
        this.packedA = new float[parallel.threads()][MC * KC];
        this.edgeTile = new float[parallel.threads()][MR * NR];
        this.bTail = new float[parallel.threads()][(NR + 1) * NR];
    }

    /** One call at a time: the packing buffers and edge tiles above are shared by every call. */
    synchronized void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b,
                           float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        CpuArithmetic.scaleInPlace(parallel, beta, c, m * n);
        if (k == 0 || alpha == 0f) {
            return;
        }
        long work = (long) m * n * k;
        if (tb == Transpose.NONE && (n <= DIRECT_MAX_N || m <= DIRECT_MAX_M)) {
            int ars = ta == Transpose.NONE ? k : 1;
            int acs = ta == Transpose.NONE ? 1 : m;
            int slots = (int) Math.min(parallel.threads(), Math.max(1, work / PARALLEL_MIN_WORK));
            int per = roundUp((m + slots - 1) / slots, MR);
            if (slots == 1) {
                direct(0, 0, m, n, k, alpha, a, ars, acs, b, c);
            } else {
                parallel.forSlots(slots, (slot, all) ->
                        direct(slot, Math.min(m, slot * per), Math.min(m, (slot + 1) * per), n, k, alpha, a, ars, acs, b, c));
            }
        } else {
            packed(ta, tb, m, n, k, alpha, a, b, c, work);
        }
    }

    // ---- direct path: op(B) = B read in place ---------------------------------------------

    /**
     * Rows [from, to) of C += alpha · op(A) · B, column block by column block. Full tiles go
     * straight into C; a block narrower than the kernel goes through the slot's scratch tile.
     */
    private void direct(int slot, int from, int to, int n, int k, float alpha, float[] a, int ars, int acs,
                        float[] b, float[] c) {
        float[] tile = edgeTile[slot];
        float[] tail = bTail[slot];
        for (int j0 = 0; j0 < n; j0 += NR) {
            int cols = Math.min(NR, n - j0);
            boolean wide = cols > V;
            int width = wide ? NR : V;
            int kSafe = safeRows(b.length, n, k, j0, width);
            fillTail(b, n, k, kSafe, j0, cols, tail);
            boolean full = cols == width;
            int i = from;
            for (; i + MR <= to; i += MR) {
                float[] dst = full ? c : clear(tile);
                int co = full ? i * n + j0 : 0;
                int ldc = full ? n : NR;
                if (wide) {
                    CpuGemmKernels.direct4x2(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, dst, co, ldc);
                } else {
                    CpuGemmKernels.direct4x1(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, dst, co, ldc);
                }
                if (!full) {
                    addTile(tile, MR, cols, c, i * n + j0, n);
                }
            }
            int safe2 = safeRows(b.length, n, k, j0, NR);
            if (i < to && safe2 != kSafe) {
                fillTail(b, n, k, safe2, j0, cols, tail);
            }
            for (; i < to; i++) {
                boolean fullRow = cols == NR;
                float[] dst = fullRow ? c : clear(tile);
                CpuGemmKernels.direct1x2(k, safe2, a, ars, acs, i, b, n, j0, tail, alpha, dst, fullRow ? i * n + j0 : 0);
                if (!fullRow) {
                    addTile(tile, 1, cols, c, i * n + j0, n);
                }
            }
        }
    }

    /** How many leading rows p of B allow a full load of {@code width} floats at p·ldb + j0. */
    private static int safeRows(int length, int ldb, int k, int j0, int width) {
        return (int) Math.min(k, Math.max(0, Math.floorDiv((long) length - j0 - width, ldb) + 1));
    }

    /** tail (k - kSafe, NR) = B[kSafe.., j0..j0+cols), zero-padded to NR columns. */
    private static void fillTail(float[] b, int ldb, int k, int kSafe, int j0, int cols, float[] tail) {
        for (int p = kSafe; p < k; p++) {
            int dst = (p - kSafe) * NR;
            for (int j = 0; j < NR; j++) {
                tail[dst + j] = j < cols ? b[p * ldb + j0 + j] : 0f;
            }
        }
    }

    private static float[] clear(float[] tile) {
        Arrays.fill(tile, 0f);
        return tile;
    }

    /** c[co + r·ldc + j] += tile[r·NR + j] for r < rows, j < cols. */
    private static void addTile(float[] tile, int rows, int cols, float[] c, int co, int ldc) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[co + r * ldc + j] += tile[r * NR + j];
            }
        }
    }

    // ---- packed path ------------------------------------------------------------------------

    private void packed(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b,
                        float[] c, long work) {
        int slots = (int) Math.min(parallel.threads(), Math.max(1, work / PARALLEL_MIN_WORK));
        // Row block per task: at most MC, small enough that every slot gets work.
        int mc = Math.min(MC, roundUp((m + slots - 1) / slots, MR));
        int blocks = (m + mc - 1) / mc;
        slots = Math.min(slots, blocks);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int slivers = (nc + NR - 1) / NR;
                int jcc = jc;
                int pcc = pc;
                parallel.forRange(slivers, (long) slivers * kc * NR, PARALLEL_MIN_WORK / 16, 1,
                        (s0, s1) -> packB(tb, b, k, n, pcc, kc, jcc, nc, s0, s1));
                int nSlots = slots;
                parallel.forSlots(slots, (slot, all) -> {
                    for (int blk = slot; blk < blocks; blk += nSlots) {
                        int ic = blk * mc;
                        int mcc = Math.min(mc, m - ic);
                        packA(ta, a, m, k, ic, mcc, pcc, kc, packedA[slot]);
                        computeBlock(slot, ic, mcc, jcc, nc, kc, alpha, c, n);
                    }
                });
            }
        }
    }

    /**
     * C[ic.., jc..] += alpha · packedA (mc, kc) · packedB (kc, nc), tile by tile. The B sliver
     * (kc, NR) stays in L1 while the A slivers stream past it from L2 (BLIS loop order).
     */
    private void computeBlock(int slot, int ic, int mc, int jc, int nc, int kc, float alpha, float[] c, int ldc) {
        float[] ap = packedA[slot];
        float[] bp = packedB;
        float[] tile = edgeTile[slot];
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                CpuGemmKernels.packed(kc, ap, ir * kc, bp, jr * kc, alpha, c, (ic + ir) * ldc + jc + jr, ldc,
                        Math.min(MR, mc - ir), cols, tile);
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-row slivers, k-major, rows past mc zero:
     * ap[(t·kc + p)·MR + r] = op(A)[ic + t·MR + r, pc + p].
     */
    private static void packA(Transpose ta, float[] a, int m, int k, int ic, int mc, int pc, int kc, float[] ap) {
        for (int t = 0; t * MR < mc; t++) {
            int base = t * kc * MR;
            int rows = Math.min(MR, mc - t * MR);
            if (ta == Transpose.NONE) {
                for (int r = 0; r < MR; r++) {
                    int src = (ic + t * MR + r) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = r < rows ? a[src + p] : 0f;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * m + ic + t * MR;
                    for (int r = 0; r < MR; r++) {
                        ap[base + p * MR + r] = r < rows ? a[src + r] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs slivers [s0, s1) of op(B)[pc..pc+kc, jc..jc+nc] into NR-column slivers, k-major,
     * columns past nc zero: bp[(s·kc + p)·NR + j] = op(B)[pc + p, jc + s·NR + j].
     */
    private void packB(Transpose tb, float[] b, int k, int n, int pc, int kc, int jc, int nc, int s0, int s1) {
        float[] bp = packedB;
        for (int s = s0; s < s1; s++) {
            int base = s * kc * NR;
            int j0 = jc + s * NR;
            int cols = Math.min(NR, jc + nc - j0);
            if (tb == Transpose.NONE) {
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * n + j0;
                    int dst = base + p * NR;
                    if (cols == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + V).intoArray(bp, dst + V);
                    } else {
                        for (int j = 0; j < NR; j++) {
                            bp[dst + j] = j < cols ? b[src + j] : 0f;
                        }
                    }
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    int src = (j0 + j) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = j < cols ? b[src + p] : 0f;
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
