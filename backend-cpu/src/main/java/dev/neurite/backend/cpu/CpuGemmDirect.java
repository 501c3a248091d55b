package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.MR;
import static dev.neurite.backend.cpu.CpuGemmKernels.NR;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

/**
 * The direct path for skinny products with op(B) = B (every layer of 784-15-10): the kernels
 * read B's rows in place, so nothing is packed and there is nothing to amortise.
 */
final class CpuGemmDirect {
    private CpuGemmDirect() {
    }

    /**
     * Steps of k a pass over the row tiles takes: the B rows of a pass (256 x 32 floats at most,
     * 32 KB) stay in L1 while every tile of the rows uses them, where one pass over the whole of a
     * long k read B again from L3 for each tile (LeNet's first filter gradient, 20x25 summed over
     * 36,864 rows of B: 760 -> 345 µs on 2 threads, Xeon AVX-512).
     */
    static final int KD = 256;

    /**
     * Rows [from, to) of C (m,n) += alpha · op(A) (m,k) · B (k,n) (C = alpha · op(A) · B when not
     * {@code accumulate}: C is then not read), column block by column block and, within a block,
     * {@value #KD} steps of k at a time; op(A)[i, p] = a[i·ars + p·acs]. Blocks of at most V
     * columns run in tiles of one vector, of 16 rows (op(A) = Aᵀ) or 8, with 16 accumulators when
     * {@code sixteen} (32 registers) or 8; wider blocks in tiles of MR rows by two vectors; a
     * block narrower than its tile goes out through a lane mask by way of {@code tile} (16·V
     * floats). The last rows of B, where a full vector load would run off the array, come
     * zero-padded from {@code tail} ((NR + 1)·NR floats): only the last pass reads them.
     */
    static void rows(int from, int to, int n, int k, float alpha, float[] a, int ars, int acs, float[] b, float[] c,
                     float[] tail, float[] tile, boolean sixteen, boolean accumulate) {
        for (int j0 = 0; j0 < n; j0 += NR) {
            int cols = Math.min(NR, n - j0);
            int kSafe = safeRows(b.length, n, k, j0, cols > V ? NR : V);
            fillTail(b, n, k, kSafe, j0, cols, tail);
            for (int kb = 0; kb < k; ) {
                int ke = kb + KD < kSafe ? kb + KD : k;
                // one pass: steps [kb, ke), those before kSafe read from B in place (no record for
                // the pass: it would be garbage wherever the JIT does not inline what takes it)
                boolean add = accumulate || kb > 0;
                int safe = Math.min(ke, kSafe) - kb;
                if (cols > V) {
                    twoVectors(from, to, n, alpha, a, ars, acs, b, c, tail, tile, j0, cols, ke - kb, safe, kb * acs,
                            j0 + kb * n, add);
                } else {
                    oneVector(from, to, n, alpha, a, ars, acs, b, c, tail, tile, j0, cols, sixteen, ke - kb, safe,
                            kb * acs, j0 + kb * n, add);
                }
                kb = ke;
            }
        }
    }

    /**
     * Rows [from, to) of C's column block [j0, j0 + cols), V < cols ≤ NR, for one pass: {@code steps}
     * steps of k, the first {@code safe} read from B in place, A from offset {@code a0} (plus the
     * row's), B from {@code b0}.
     */
    private static void twoVectors(int from, int to, int n, float alpha, float[] a, int ars, int acs, float[] b,
                                   float[] c, float[] tail, float[] tile, int j0, int cols, int steps, int safe,
                                   int a0, int b0, boolean add) {
        int i = from;
        for (; i + MR <= to; i += MR) {
            CpuGemmDirectKernels.direct4x2(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail, alpha, c,
                    i * n + j0, n, cols, add, tile);
        }
        for (; i < to; i++) {
            CpuGemmDirectKernels.direct1x2(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail, alpha, c,
                    i * n + j0, cols, add, tile);
        }
    }

    /** Rows [from, to) of C's column block [j0, j0 + cols), cols ≤ V, for one pass (as {@link #twoVectors}). */
    private static void oneVector(int from, int to, int n, float alpha, float[] a, int ars, int acs, float[] b,
                                  float[] c, float[] tail, float[] tile, int j0, int cols, boolean sixteen, int steps,
                                  int safe, int a0, int b0, boolean add) {
        int i = from;
        if (sixteen && ars == 1) {
            for (; i + 16 <= to; i += 16) {
                CpuGemmDirectKernels.direct16x1T(steps, safe, a, acs, a0 + i, b, n, b0, tail, alpha, c,
                        i * n + j0, n, cols, add, tile);
            }
        }
        for (int tall = CpuGemmDirectKernels.MR1; i + tall <= to; i += tall) {
            if (sixteen) {
                CpuGemmDirectKernels.direct8x1Pairs(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail,
                        alpha, c, i * n + j0, n, cols, add, tile);
            } else {
                CpuGemmDirectKernels.direct8x1(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail, alpha,
                        c, i * n + j0, n, cols, add, tile);
            }
        }
        if (i + MR <= to) {
            CpuGemmDirectKernels.direct4x1(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail, alpha, c,
                    i * n + j0, n, cols, add, tile);
            i += MR;
        }
        for (; i < to; i++) {
            CpuGemmDirectKernels.direct1x1(steps, safe, a, ars, acs, a0 + i * ars, b, n, b0, tail, alpha, c,
                    i * n + j0, cols, add, tile);
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
}
