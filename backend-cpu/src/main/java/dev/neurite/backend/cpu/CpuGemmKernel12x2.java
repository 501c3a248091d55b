package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import jdk.incubator.vector.FloatVector;

/**
 * The 12 x 2-vector packed micro-kernel, for register files of 32 vectors (AVX-512): 24
 * accumulators, two B vectors a step and one broadcast A element, 27 registers live. Per step
 * of k it does 24 FMAs for 14 loads, against 8 for 6 in the 4 x 2 tile, which is what lifts a
 * core from 160 to 190 GFLOP/s in L1 on a Xeon (Sapphire Rapids class). As in
 * {@link CpuGemmKernels}, no vector crosses a method boundary: the stores are written out.
 */
final class CpuGemmKernel12x2 {
    static final int MR = 12;

    private CpuGemmKernel12x2() {
    }

    /**
     * ap (kc, MR) · bp (kc, NR) -> acc (MR, NR), NR = 2·V, then c[co + r·ldc + j] += alpha · acc[r][j]
     * for r < rows, j < cols, or = alpha · acc[r][j] when {@code overwrite} (C is then not read: the
     * tile goes out through {@code tile}, as a partial one does, and is copied over C by vectors).
     * A is a packed sliver, k-major and zero-padded; row p of B starts at bo + p·ldb (ldb = NR in
     * a packed sliver); a partial tile goes out
     * through {@code tile} (MR·NR floats of scratch), which also keeps this method too large for
     * C2 to inline into the block loop (inlined, the 4 x 2 kernel ran 15% slower).
     */
    static void packed(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float alpha, float[] c, int co,
                       int ldc, int rows, int cols, float[] tile, boolean overwrite) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z, c100 = z, c101 = z, c110 = z, c111 = z;
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
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, ap[ao + 10]);
            c100 = a.fma(b0, c100);
            c101 = a.fma(b1, c101);
            a = FloatVector.broadcast(S, ap[ao + 11]);
            c110 = a.fma(b0, c110);
            c111 = a.fma(b1, c111);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (rows == MR && cols == 2 * V && !overwrite) {
            c00.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.fma(al, FloatVector.fromArray(S, c, co + V)).intoArray(c, co + V);
            c10.fma(al, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.fma(al, FloatVector.fromArray(S, c, co + ldc + V)).intoArray(c, co + ldc + V);
            c20.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc + V)).intoArray(c, co + 2 * ldc + V);
            c30.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc + V)).intoArray(c, co + 3 * ldc + V);
            c40.fma(al, FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.fma(al, FloatVector.fromArray(S, c, co + 4 * ldc + V)).intoArray(c, co + 4 * ldc + V);
            c50.fma(al, FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.fma(al, FloatVector.fromArray(S, c, co + 5 * ldc + V)).intoArray(c, co + 5 * ldc + V);
            c60.fma(al, FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c61.fma(al, FloatVector.fromArray(S, c, co + 6 * ldc + V)).intoArray(c, co + 6 * ldc + V);
            c70.fma(al, FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
            c71.fma(al, FloatVector.fromArray(S, c, co + 7 * ldc + V)).intoArray(c, co + 7 * ldc + V);
            c80.fma(al, FloatVector.fromArray(S, c, co + 8 * ldc)).intoArray(c, co + 8 * ldc);
            c81.fma(al, FloatVector.fromArray(S, c, co + 8 * ldc + V)).intoArray(c, co + 8 * ldc + V);
            c90.fma(al, FloatVector.fromArray(S, c, co + 9 * ldc)).intoArray(c, co + 9 * ldc);
            c91.fma(al, FloatVector.fromArray(S, c, co + 9 * ldc + V)).intoArray(c, co + 9 * ldc + V);
            c100.fma(al, FloatVector.fromArray(S, c, co + 10 * ldc)).intoArray(c, co + 10 * ldc);
            c101.fma(al, FloatVector.fromArray(S, c, co + 10 * ldc + V)).intoArray(c, co + 10 * ldc + V);
            c110.fma(al, FloatVector.fromArray(S, c, co + 11 * ldc)).intoArray(c, co + 11 * ldc);
            c111.fma(al, FloatVector.fromArray(S, c, co + 11 * ldc + V)).intoArray(c, co + 11 * ldc + V);
            return;
        }
        c00.mul(al).intoArray(tile, 0);
        c01.mul(al).intoArray(tile, 0 + V);
        c10.mul(al).intoArray(tile, 1 * 2 * V);
        c11.mul(al).intoArray(tile, 1 * 2 * V + V);
        c20.mul(al).intoArray(tile, 2 * 2 * V);
        c21.mul(al).intoArray(tile, 2 * 2 * V + V);
        c30.mul(al).intoArray(tile, 3 * 2 * V);
        c31.mul(al).intoArray(tile, 3 * 2 * V + V);
        c40.mul(al).intoArray(tile, 4 * 2 * V);
        c41.mul(al).intoArray(tile, 4 * 2 * V + V);
        c50.mul(al).intoArray(tile, 5 * 2 * V);
        c51.mul(al).intoArray(tile, 5 * 2 * V + V);
        c60.mul(al).intoArray(tile, 6 * 2 * V);
        c61.mul(al).intoArray(tile, 6 * 2 * V + V);
        c70.mul(al).intoArray(tile, 7 * 2 * V);
        c71.mul(al).intoArray(tile, 7 * 2 * V + V);
        c80.mul(al).intoArray(tile, 8 * 2 * V);
        c81.mul(al).intoArray(tile, 8 * 2 * V + V);
        c90.mul(al).intoArray(tile, 9 * 2 * V);
        c91.mul(al).intoArray(tile, 9 * 2 * V + V);
        c100.mul(al).intoArray(tile, 10 * 2 * V);
        c101.mul(al).intoArray(tile, 10 * 2 * V + V);
        c110.mul(al).intoArray(tile, 11 * 2 * V);
        c111.mul(al).intoArray(tile, 11 * 2 * V + V);
        if (cols == 2 * V && overwrite) {
            // the first step with beta 0: C is written, never read
            for (int r = 0; r < rows; r++) {
                FloatVector.fromArray(S, tile, r * 2 * V).intoArray(c, co + r * ldc);
                FloatVector.fromArray(S, tile, r * 2 * V + V).intoArray(c, co + r * ldc + V);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[co + r * ldc + j] = (overwrite ? 0f : c[co + r * ldc + j]) + tile[r * 2 * V + j];
            }
        }
    }
}
