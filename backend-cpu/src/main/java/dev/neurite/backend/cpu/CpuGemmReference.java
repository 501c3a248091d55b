package dev.neurite.backend.cpu;

import dev.neurite.backend.Transpose;

/**
 * The plain GEMM, kept beside the fast kernels as the obviously-right one they are compared
 * with: C[i, j] += alpha · Σp op(A)[i, p] · op(B)[p, j], op(A) (m,k) · op(B) (k,n) -> C (m,n),
 * beta already applied. The loop order only follows the memory: a dot product when op(B)'s
 * columns are B's rows, else row i of C accumulated from B's rows in {@code row} (n floats).
 */
final class CpuGemmReference {
    private CpuGemmReference() {
    }

    /** Rows [from, to) of C. */
    static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b,
                     float[] c, int from, int to, float[] row) {
        int ars = ta == Transpose.NONE ? k : 1;
        int acs = ta == Transpose.NONE ? 1 : m;
        for (int i = from; i < to; i++) {
            if (tb == Transpose.TRANSPOSE) {
                // op(B)[p, j] = b[j·k + p]
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += a[i * ars + p * acs] * b[j * k + p];
                    }
                    c[i * n + j] += alpha * s;
                }
            } else {
                // op(B)[p, j] = b[p·n + j]
                java.util.Arrays.fill(row, 0, n, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = a[i * ars + p * acs];
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * b[p * n + j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += alpha * row[j];
                }
            }
        }
    }
}
