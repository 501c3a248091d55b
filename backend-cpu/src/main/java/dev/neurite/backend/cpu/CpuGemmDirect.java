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
     * Rows [from, to) of C (m,n) += alpha · op(A) (m,k) · B (k,n) (C = alpha · op(A) · B when not
     * {@code accumulate}: C is then not read), column block by column block;
     * op(A)[i, p] = a[i·ars + p·acs]. Blocks of at most V columns run in tiles of one vector, of
     * 16 rows (op(A) = Aᵀ) or 8, with 16 accumulators when {@code sixteen} (32 registers) or 8;
     * wider blocks in tiles of MR rows by two vectors;
     * a block narrower than its tile goes out through a lane mask by way of {@code tile} (16·V
     * floats). The last rows of B, where a full vector load would run off the array, come
     * zero-padded from {@code tail} ((NR + 1)·NR floats).
     */
    static void rows(int from, int to, int n, int k, float alpha, float[] a, int ars, int acs, float[] b, float[] c,
                     float[] tail, float[] tile, boolean sixteen, boolean accumulate) {
        for (int j0 = 0; j0 < n; j0 += NR) {
            int cols = Math.min(NR, n - j0);
            if (cols > V) {
                twoVectors(from, to, n, k, alpha, a, ars, acs, b, c, tail, tile, j0, cols, accumulate);
            } else {
                oneVector(from, to, n, k, alpha, a, ars, acs, b, c, tail, tile, j0, cols, sixteen, accumulate);
            }
        }
    }

    /** Rows [from, to) of C's column block [j0, j0 + cols), V < cols ≤ NR. */
    private static void twoVectors(int from, int to, int n, int k, float alpha, float[] a, int ars, int acs,
                                   float[] b, float[] c, float[] tail, float[] tile, int j0, int cols,
                                  boolean accumulate) {
        int kSafe = safeRows(b.length, n, k, j0, NR);
        fillTail(b, n, k, kSafe, j0, cols, tail);
        int i = from;
        for (; i + MR <= to; i += MR) {
            CpuGemmDirectKernels.direct4x2(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                    n, cols, accumulate, tile);
        }
        for (; i < to; i++) {
            CpuGemmDirectKernels.direct1x2(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                    cols, accumulate, tile);
        }
    }

    /** Rows [from, to) of C's column block [j0, j0 + cols), cols ≤ V. */
    private static void oneVector(int from, int to, int n, int k, float alpha, float[] a, int ars, int acs,
                                  float[] b, float[] c, float[] tail, float[] tile, int j0, int cols,
                                  boolean sixteen, boolean accumulate) {
        int kSafe = safeRows(b.length, n, k, j0, V);
        fillTail(b, n, k, kSafe, j0, cols, tail);
        int i = from;
        if (sixteen && ars == 1) {
            for (; i + 16 <= to; i += 16) {
                CpuGemmDirectKernels.direct16x1T(k, kSafe, a, acs, i, b, n, j0, tail, alpha, c, i * n + j0, n, cols,
                        accumulate, tile);
            }
        }
        for (int tall = CpuGemmDirectKernels.MR1; i + tall <= to; i += tall) {
            if (sixteen) {
                CpuGemmDirectKernels.direct8x1Pairs(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                        n, cols, accumulate, tile);
            } else {
                CpuGemmDirectKernels.direct8x1(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                        n, cols, accumulate, tile);
            }
        }
        if (i + MR <= to) {
            CpuGemmDirectKernels.direct4x1(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                    n, cols, accumulate, tile);
            i += MR;
        }
        for (; i < to; i++) {
            CpuGemmDirectKernels.direct1x1(k, kSafe, a, ars, acs, i, b, n, j0, tail, alpha, c, i * n + j0,
                    cols, accumulate, tile);
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
