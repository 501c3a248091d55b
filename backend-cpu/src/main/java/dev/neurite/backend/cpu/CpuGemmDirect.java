package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.MR;
import static dev.neurite.backend.cpu.CpuGemmKernels.NR;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import java.util.Arrays;

/**
 * The direct path for skinny products with op(B) = B (every layer of 784-15-10): the kernels
 * read B's rows in place, so nothing is packed and there is nothing to amortise.
 */
final class CpuGemmDirect {
    private CpuGemmDirect() {
    }

    /**
     * Rows [from, to) of C (m,n) += alpha · op(A) (m,k) · B (k,n), column block by column block;
     * op(A)[i, p] = a[i·ars + p·acs]. Full tiles go straight into C; a block narrower than the
     * kernel goes through {@code tile} (MR·NR floats); the last rows of B, where a full vector
     * load would run off the array, come zero-padded from {@code tail} ((NR + 1)·NR floats).
     */
    static void rows(int from, int to, int n, int k, float alpha, float[] a, int ars, int acs, float[] b, float[] c,
                     float[] tile, float[] tail) {
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
        Arrays.fill(tile, 0, MR * NR, 0f);
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
}
