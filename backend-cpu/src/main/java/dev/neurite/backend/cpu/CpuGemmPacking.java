package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import dev.neurite.backend.Transpose;
import jdk.incubator.vector.FloatVector;

/**
 * Copies op(A) and op(B) into the k-major slivers the packed micro-kernels read: every load of
 * the kernel loop is then a contiguous step through one small array, and partial tiles are
 * zero-padded so the kernel never tests an edge.
 */
final class CpuGemmPacking {
    private CpuGemmPacking() {
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc] into mr-row slivers from {@code at}, rows past mc zero:
     * ap[at + (t·kc + p)·mr + r] = op(A)[ic + t·mr + r, pc + p]. op(A) is (m,k).
     */
    static void packA(Transpose ta, float[] a, int m, int k, int ic, int mc, int pc, int kc, float[] ap, int at, int mr) {
        for (int t = 0; t * mr < mc; t++) {
            int base = at + t * kc * mr;
            int rows = Math.min(mr, mc - t * mr);
            if (ta == Transpose.NONE) {
                // a (m,k): row i of op(A) is contiguous; mr rows are read side by side
                for (int r = 0; r < mr; r++) {
                    int src = (ic + t * mr + r) * k + pc;
                    if (r < rows) {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = 0f;
                        }
                    }
                }
            } else {
                // a (k,m): the mr elements of one step p are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * m + ic + t * mr;
                    int dst = base + p * mr;
                    for (int r = 0; r < mr; r++) {
                        ap[dst + r] = r < rows ? a[src + r] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs slivers [s0, s1) of op(B)[pc..pc+kc, jc..jc+nc] into nr-column slivers from
     * {@code base}, columns past nc zero: bp[base + (s·kc + p)·nr + j] = op(B)[pc + p, jc + s·nr + j].
     * op(B) is (k,n); nr is a multiple of the vector length. For op(B) = Bᵀ, {@code rowStarts}
     * holds {@link #rowStarts} of k (gathers measured 1.8x faster than scalar copies here).
     */
    static void packB(Transpose tb, float[] b, int k, int n, int pc, int kc, int jc, int nc, int s0, int s1,
                      float[] bp, int base, int nr, int[] rowStarts) {
        for (int s = s0; s < s1; s++) {
            int sb = base + s * kc * nr;
            int j0 = jc + s * nr;
            int cols = Math.min(nr, jc + nc - j0);
            if (tb == Transpose.NONE) {
                // b (k,n): a sliver row is nr contiguous floats
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * n + j0;
                    int dst = sb + p * nr;
                    if (cols == nr) {
                        for (int j = 0; j < nr; j += V) {
                            FloatVector.fromArray(S, b, src + j).intoArray(bp, dst + j);
                        }
                    } else {
                        for (int j = 0; j < nr; j++) {
                            bp[dst + j] = j < cols ? b[src + j] : 0f;
                        }
                    }
                }
            } else if (cols == nr) {
                // b (n,k): column j of op(B) is row j of b; one gather reads V of them at step p
                for (int p = 0; p < kc; p++) {
                    int src = j0 * k + pc + p;
                    int dst = sb + p * nr;
                    for (int j = 0; j < nr; j += V) {
                        FloatVector.fromArray(S, b, src + j * k, rowStarts, 0).intoArray(bp, dst + j);
                    }
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    int src = (j0 + j) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[sb + p * nr + j] = j < cols ? b[src + p] : 0f;
                    }
                }
            }
        }
    }

    /** rowStarts[q] = q·k: the gather offsets of V consecutive rows of a (·, k) matrix. */
    static void rowStarts(int k, int[] rowStarts) {
        for (int q = 0; q < V; q++) {
            rowStarts[q] = q * k;
        }
    }
}
