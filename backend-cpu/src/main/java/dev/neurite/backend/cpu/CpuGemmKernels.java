package dev.neurite.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernels: MR rows of C by one or two vectors of columns,
 * accumulated in registers over k, then added to C once: C[tile] += alpha · acc.
 * No vector crosses a method boundary: the stores to C are written out in each kernel, because a
 * helper taking vectors that C2 declines to inline (it judges call sites by their profile, and a
 * JVM that first ran only small edge tiles sees the full-tile store as cold) boxes every vector:
 * that made LeNet's training step 4.5x slower after a run of small gradient checks.
 *
 * <p>The packed kernel reads A and B from packed panels; {@link CpuGemmDirectKernels} read B in
 * place for the skinny shapes where packing would cost more than it saves.
 */
final class CpuGemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    /**
     * Rows of C per micro-tile. MR x 2 vectors = 8 accumulators: with the B vectors and the
     * broadcasts C2 hoists, that is what fits AVX2's sixteen registers. Measured in L1 on
     * Zen 3: 4x2 97 GFLOP/s, 8x1 82, 6x2 44 and 4x3 40 (those two spill).
     */
    static final int MR = 4;
    /** Columns of C per micro-tile: two vectors. */
    static final int NR = 2 * V;

    private CpuGemmKernels() {
    }

    /**
     * Packed micro-kernel: ap (kc, MR) · bp (kc, NR) -> acc (MR, NR), then
     * c[co + r·ldc + j] += alpha · acc[r][j] for r < rows, j < cols, or = when {@code overwrite} (C
     * is then not read: it goes out through {@code tile}). A is a packed sliver, k-major with zero
     * padding; row p of B starts at bo + p·ldb (ldb = NR in a packed sliver). A partial tile
     * (rows < MR or cols < NR) goes out through {@code tile}
     * (MR·NR floats of scratch). Keeping the edge case in here also keeps this method above
     * C2's inlining size: inlined into its caller's loop it ran about 15% slower.
     */
    static void packed4x2(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float alpha, float[] c, int co,
                          int ldc, int rows, int cols, float[] tile, boolean overwrite) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int p = 0; p < kc; p++, ao += MR, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (rows == MR && cols == NR && !overwrite) {
            c00.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.fma(al, FloatVector.fromArray(S, c, co + V)).intoArray(c, co + V);
            c10.fma(al, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.fma(al, FloatVector.fromArray(S, c, co + ldc + V)).intoArray(c, co + ldc + V);
            c20.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc + V)).intoArray(c, co + 2 * ldc + V);
            c30.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc + V)).intoArray(c, co + 3 * ldc + V);
            return;
        }
        c00.mul(al).intoArray(tile, 0);
        c01.mul(al).intoArray(tile, V);
        c10.mul(al).intoArray(tile, NR);
        c11.mul(al).intoArray(tile, NR + V);
        c20.mul(al).intoArray(tile, 2 * NR);
        c21.mul(al).intoArray(tile, 2 * NR + V);
        c30.mul(al).intoArray(tile, 3 * NR);
        c31.mul(al).intoArray(tile, 3 * NR + V);
        if (cols == NR && overwrite) {
            // the first step with beta 0: C is written, never read
            for (int r = 0; r < rows; r++) {
                FloatVector.fromArray(S, tile, r * NR).intoArray(c, co + r * ldc);
                FloatVector.fromArray(S, tile, r * NR + V).intoArray(c, co + r * ldc + V);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[co + r * ldc + j] = (overwrite ? 0f : c[co + r * ldc + j]) + tile[r * NR + j];
            }
        }
    }
}
