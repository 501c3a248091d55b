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
 * <p>The packed kernel reads A and B from packed panels; the direct kernels read B's rows in
 * place (op(B) = B, row stride ldb) and A by element (row stride ars, column stride acs), which
 * serves every layer shape where packing would cost more than it saves.
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
     * c[co + r·ldc + j] += alpha · acc[r][j] for r < rows, j < cols. A is a packed sliver, k-major
     * with zero padding; row p of B starts at bo + p·ldb (ldb = NR in a packed sliver). A partial tile
     * (rows < MR or cols < NR) goes out through {@code tile}
     * (MR·NR floats of scratch). Keeping the edge case in here also keeps this method above
     * C2's inlining size: inlined into its caller's loop it ran about 15% slower.
     */
    static void packed4x2(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float alpha, float[] c, int co,
                          int ldc, int rows, int cols, float[] tile) {
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
        if (rows == MR && cols == NR) {
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
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[co + r * ldc + j] += tile[r * NR + j];
            }
        }
    }

    /**
     * Direct kernel, MR rows by two vectors: tile (MR, NR) += op(A)[i0.., :] · B[:, j0..j0+NR),
     * then c[co + r·ldc ..] += alpha · tile row r. A element (i, p) is a[i·ars + p·acs]. B row
     * p < kSafe is read in place at b[p·ldb + j0] (lanes past the last column read the next
     * row, harmlessly: those lanes are never stored); rows from kSafe on come zero-padded from
     * {@code tail} (NR floats a row). No masks: masked loads are slow where AVX-512 is absent.
     */
    static void direct4x2(int k, int kSafe, float[] a, int ars, int acs, int i0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int ao = i0 * ars;
        // two passes with the same body, so that neither carries a per-step choice of array
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? b : tail;
            int from = pass == 0 ? 0 : kSafe;
            int to = pass == 0 ? kSafe : k;
            int stride = pass == 0 ? ldb : NR;
            int bo = pass == 0 ? j0 : 0;
            for (int p = from; p < to; p++, ao += acs, bo += stride) {
                FloatVector b0 = FloatVector.fromArray(S, src, bo);
                FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
                FloatVector av = FloatVector.broadcast(S, a[ao]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[ao + ars]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[ao + 2 * ars]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[ao + 3 * ars]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
            }
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        c00.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        c01.fma(al, FloatVector.fromArray(S, c, co + V)).intoArray(c, co + V);
        c10.fma(al, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
        c11.fma(al, FloatVector.fromArray(S, c, co + ldc + V)).intoArray(c, co + ldc + V);
        c20.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
        c21.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc + V)).intoArray(c, co + 2 * ldc + V);
        c30.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
        c31.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc + V)).intoArray(c, co + 3 * ldc + V);
    }

    /** Direct kernel, MR rows by one vector (column blocks of at most V): as {@link #direct4x2}. */
    static void direct4x1(int k, int kSafe, float[] a, int ars, int acs, int i0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        int ao = i0 * ars;
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? b : tail;
            int from = pass == 0 ? 0 : kSafe;
            int to = pass == 0 ? kSafe : k;
            int stride = pass == 0 ? ldb : NR;
            int bo = pass == 0 ? j0 : 0;
            for (int p = from; p < to; p++, ao += acs, bo += stride) {
                FloatVector b0 = FloatVector.fromArray(S, src, bo);
                c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[ao + ars]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[ao + 2 * ars]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[ao + 3 * ars]).fma(b0, c3);
            }
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        c0.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        c1.fma(al, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
        c2.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
        c3.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
    }

    /**
     * Direct kernel for one row by two vectors (rows left over after blocks of MR), as
     * {@link #direct4x2}; four accumulator pairs over k hide the FMA latency one row exposes.
     */
    static void direct1x2(int k, int kSafe, float[] a, int ars, int acs, int i, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, t0 = z, t1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        int ao = i * ars;
        int p = 0;
        for (int unrolled = kSafe & ~3; p < unrolled; p += 4, ao += 4 * acs) {
            int bo = p * ldb + j0;
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            s0 = x.fma(FloatVector.fromArray(S, b, bo), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, bo + V), s1);
            x = FloatVector.broadcast(S, a[ao + acs]);
            t0 = x.fma(FloatVector.fromArray(S, b, bo + ldb), t0);
            t1 = x.fma(FloatVector.fromArray(S, b, bo + ldb + V), t1);
            x = FloatVector.broadcast(S, a[ao + 2 * acs]);
            u0 = x.fma(FloatVector.fromArray(S, b, bo + 2 * ldb), u0);
            u1 = x.fma(FloatVector.fromArray(S, b, bo + 2 * ldb + V), u1);
            x = FloatVector.broadcast(S, a[ao + 3 * acs]);
            w0 = x.fma(FloatVector.fromArray(S, b, bo + 3 * ldb), w0);
            w1 = x.fma(FloatVector.fromArray(S, b, bo + 3 * ldb + V), w1);
        }
        for (; p < k; p++, ao += acs) {
            float[] src = p < kSafe ? b : tail;
            int bo = p < kSafe ? p * ldb + j0 : (p - kSafe) * NR;
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            s0 = x.fma(FloatVector.fromArray(S, src, bo), s0);
            s1 = x.fma(FloatVector.fromArray(S, src, bo + V), s1);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        s0.add(t0).add(u0.add(w0)).fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        s1.add(t1).add(u1.add(w1)).fma(al, FloatVector.fromArray(S, c, co + V)).intoArray(c, co + V);
    }
}
