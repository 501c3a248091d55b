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
     * ap[at + (t·kc + p)·mr + r] = op(A)[ic + t·mr + r, pc + p]. op(A) is (m,k). For op(A) = A,
     * {@code steps} holds {@link #stepOffsets} of k and mr.
     */
    static void packA(Transpose ta, float[] a, int m, int k, int ic, int mc, int pc, int kc, float[] ap, int at, int mr,
                      int[] steps) {
        for (int t = 0; t * mr < mc; t++) {
            int base = at + t * kc * mr;
            int rows = Math.min(mr, mc - t * mr);
            int i0 = ic + t * mr;
            if (ta == Transpose.NONE && rows == mr) {
                rowsOfA(a, k, i0 * k + pc, kc, ap, base, mr, steps);
            } else if (ta == Transpose.NONE) {
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < mr; r++) {
                        ap[base + p * mr + r] = r < rows ? a[(i0 + r) * k + pc + p] : 0f;
                    }
                }
            } else if (rows == mr) {
                stepsOfA(a, m, pc * m + i0, kc, ap, base, mr);
            } else {
                // a (k,m): the elements of one step p are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * m + i0;
                    for (int r = 0; r < mr; r++) {
                        ap[base + p * mr + r] = r < rows ? a[src + r] : 0f;
                    }
                }
            }
        }
    }

    /**
     * A full sliver of op(A) = A, a (m,k) from row offset {@code src}: the sliver stores step by
     * step what A holds row by row, so each vector of it is gathered, by the table of
     * {@link #stepOffsets}, from the rows at the steps it covers (lcm(mr, V) / mr steps per pass
     * of the table). Scalar copies of four rows side by side packed a 1024x1024 A at 3.5 cycles a
     * float, an eighth of a single-thread 1024³ product's time on a Xeon.
     */
    private static void rowsOfA(float[] a, int k, int src, int kc, float[] ap, int base, int mr, int[] steps) {
        int group = lcm(mr, V) / mr;
        int vectors = group * mr / V;
        int p = 0;
        for (; p + group <= kc; p += group) {
            for (int v = 0, d = base + p * mr; v < vectors; v++, d += V) {
                FloatVector.fromArray(S, a, src + p, steps, v * V).intoArray(ap, d);
            }
        }
        for (; p < kc; p++) {
            for (int r = 0; r < mr; r++) {
                ap[base + p * mr + r] = a[src + r * k + p];
            }
        }
    }

    /**
     * steps[e] = (e mod mr)·k + e / mr for e &lt; lcm(mr, V): where element e of a run of a
     * packed A sliver comes from, relative to the sliver's first row at the run's first step, for
     * a (·, k). {@code steps} has room for mr·V entries.
     */
    static void stepOffsets(int k, int mr, int[] steps) {
        int run = lcm(mr, V);
        for (int e = 0; e < run; e++) {
            steps[e] = e % mr * k + e / mr;
        }
    }

    private static int lcm(int x, int y) {
        int g = x;
        for (int r = y; r != 0; ) {
            int t = g % r;
            g = r;
            r = t;
        }
        return x / g * y;
    }

    /**
     * A full sliver of op(A) = Aᵀ, a (k,m) from {@code src}: step p is mr contiguous floats at
     * src + p·m, copied by vectors. Where a vector is longer than mr, each step's store runs into
     * the following steps' places, which they then overwrite; the last steps, whose store would
     * pass the end of the sliver, and a read that would pass the end of a, go element by element.
     */
    private static void stepsOfA(float[] a, int m, int src, int kc, float[] ap, int base, int mr) {
        for (int p = 0; p < kc; p++, src += m) {
            int dst = base + p * mr;
            if (V <= mr) {
                for (int r = 0; r < mr; r += V) {
                    int at = Math.min(r, mr - V);
                    FloatVector.fromArray(S, a, src + at).intoArray(ap, dst + at);
                }
            } else if (p * mr + V <= kc * mr && src + V <= a.length) {
                FloatVector.fromArray(S, a, src).intoArray(ap, dst);
            } else {
                for (int r = 0; r < mr; r++) {
                    ap[dst + r] = a[src + r];
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

    /**
     * Packs rows [p0, p1) of the KC step at pc of slivers [s0, s1) of op(B) = B, b (k,n), the
     * block's columns starting at jc, nc of them (laid out as {@link #packB} does, from
     * {@code base}): each row's run of the slivers is read left to right, which the prefetchers
     * follow even when B comes cold from another core's cache (weights just updated), where
     * reading B sliver by sliver went down the rows at a stride of n floats.
     */
    static void packBRows(float[] b, int n, int pc, int kc, int p0, int p1, int jc, int nc, int s0, int s1, float[] bp,
                          int base, int nr) {
        int full = Math.min(s1, nc / nr);
        for (int p = p0; p < p1; p++) {
            int src = (pc + p) * n + jc + s0 * nr;
            int dst = base + (s0 * kc + p) * nr;
            int s = s0;
            for (; s < full; s++, src += nr, dst += kc * nr) {
                for (int j = 0; j < nr; j += V) {
                    FloatVector.fromArray(S, b, src + j).intoArray(bp, dst + j);
                }
            }
            if (s < s1) {
                int cols = nc - s * nr;
                for (int j = 0; j < nr; j++) {
                    bp[dst + j] = j < cols ? b[src + j] : 0f;
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
