package dev.neurite.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernels: MR rows of C by one or two vectors of columns,
 * accumulated in registers over k, then added to C once: C[tile] += alpha · acc.
 *
 * <p>The packed kernel reads A and B from packed panels; the direct kernels read B's rows in
 * place (op(B) = B, row stride ldb) and A by element (row stride ars, column stride acs), which
 * serves every layer shape where packing would cost more than it saves.
 */
final class CpuGemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    /** Rows of C per micro-tile. */
    static final int MR = 8;
    /** Columns of C per micro-tile: two vectors. */
    static final int NR = 2 * V;

    private CpuGemmKernels() {
    }

    /**
     * Packed micro-kernel: ap (kc, MR) · bp (kc, NR) -> tile (MR, NR), added into c at co with
     * row stride ldc as c += alpha · tile. Both panels are k-major with zero padding.
     */
    static void packed(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
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
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        accumulate(c, co, al, c00, c01);
        accumulate(c, co + ldc, al, c10, c11);
        accumulate(c, co + 2 * ldc, al, c20, c21);
        accumulate(c, co + 3 * ldc, al, c30, c31);
        accumulate(c, co + 4 * ldc, al, c40, c41);
        accumulate(c, co + 5 * ldc, al, c50, c51);
        accumulate(c, co + 6 * ldc, al, c60, c61);
        accumulate(c, co + 7 * ldc, al, c70, c71);
    }

    /** c[co .. co+NR) += alpha · (v0 | v1). */
    private static void accumulate(float[] c, int co, FloatVector alpha, FloatVector v0, FloatVector v1) {
        v0.fma(alpha, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        v1.fma(alpha, FloatVector.fromArray(S, c, co + V)).intoArray(c, co + V);
    }

    /**
     * Direct kernel, MR rows by two vectors: C[i0..i0+MR, j0..j0+2V) += alpha · op(A)[rows, :] · B[:, cols].
     * A element (i, p) is a[i·ars + p·acs]; B row p starts at b[p·ldb]; columns at or past
     * {@code n} are masked on store. B loads run full width for p < kSafe (lanes past n read
     * the next row, harmlessly, and are never stored) and masked after.
     */
    static void direct8x2(int k, int kSafe, float[] a, int ars, int acs, int i0, float[] b, int ldb, int j0,
                          int n, float alpha, float[] c, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        VectorMask<Float> m0 = S.indexInRange(j0, n);
        VectorMask<Float> m1 = S.indexInRange(j0 + V, n);
        int ao = i0 * ars;
        for (int p = 0; p < k; p++, ao += acs) {
            int bo = p * ldb + j0;
            FloatVector b0;
            FloatVector b1;
            if (p < kSafe) {
                b0 = FloatVector.fromArray(S, b, bo);
                b1 = FloatVector.fromArray(S, b, bo + V);
            } else {
                b0 = FloatVector.fromArray(S, b, bo, m0);
                b1 = FloatVector.fromArray(S, b, bo + V, m1);
            }
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
            av = FloatVector.broadcast(S, a[ao + 4 * ars]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5 * ars]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6 * ars]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7 * ars]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int co = i0 * ldc + j0;
        store2(c, co, al, c00, c01, m0, m1);
        store2(c, co + ldc, al, c10, c11, m0, m1);
        store2(c, co + 2 * ldc, al, c20, c21, m0, m1);
        store2(c, co + 3 * ldc, al, c30, c31, m0, m1);
        store2(c, co + 4 * ldc, al, c40, c41, m0, m1);
        store2(c, co + 5 * ldc, al, c50, c51, m0, m1);
        store2(c, co + 6 * ldc, al, c60, c61, m0, m1);
        store2(c, co + 7 * ldc, al, c70, c71, m0, m1);
    }

    /** Direct kernel, MR rows by one vector (for column blocks of at most V): as {@link #direct8x2}. */
    static void direct8x1(int k, int kSafe, float[] a, int ars, int acs, int i0, float[] b, int ldb, int j0,
                          int n, float alpha, float[] c, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        VectorMask<Float> m0 = S.indexInRange(j0, n);
        int ao = i0 * ars;
        for (int p = 0; p < k; p++, ao += acs) {
            int bo = p * ldb + j0;
            FloatVector b0 = p < kSafe ? FloatVector.fromArray(S, b, bo) : FloatVector.fromArray(S, b, bo, m0);
            c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ao + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ao + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ao + 3 * ars]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ao + 4 * ars]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ao + 5 * ars]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ao + 6 * ars]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ao + 7 * ars]).fma(b0, c7);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int co = i0 * ldc + j0;
        store1(c, co, al, c0, m0);
        store1(c, co + ldc, al, c1, m0);
        store1(c, co + 2 * ldc, al, c2, m0);
        store1(c, co + 3 * ldc, al, c3, m0);
        store1(c, co + 4 * ldc, al, c4, m0);
        store1(c, co + 5 * ldc, al, c5, m0);
        store1(c, co + 6 * ldc, al, c6, m0);
        store1(c, co + 7 * ldc, al, c7, m0);
    }

    /**
     * Direct kernel for one row by two vectors (the rows left over after blocks of MR). Four
     * independent accumulator pairs over k hide the FMA latency a single row would expose.
     */
    static void direct1x2(int k, int kSafe, float[] a, int ars, int acs, int i, float[] b, int ldb, int j0,
                          int n, float alpha, float[] c, int ldc) {
        VectorMask<Float> m0 = S.indexInRange(j0, n);
        VectorMask<Float> m1 = S.indexInRange(j0 + V, n);
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, t0 = z, t1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        int ao = i * ars;
        int p = 0;
        int unrolled = Math.min(kSafe, k) & ~3;
        for (; p < unrolled; p += 4, ao += 4 * acs) {
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
            int bo = p * ldb + j0;
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            if (p < kSafe) {
                s0 = x.fma(FloatVector.fromArray(S, b, bo), s0);
                s1 = x.fma(FloatVector.fromArray(S, b, bo + V), s1);
            } else {
                s0 = x.fma(FloatVector.fromArray(S, b, bo, m0), s0);
                s1 = x.fma(FloatVector.fromArray(S, b, bo + V, m1), s1);
            }
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        store2(c, i * ldc + j0, al, s0.add(t0).add(u0.add(w0)), s1.add(t1).add(u1.add(w1)), m0, m1);
    }

    /** c[co ..] += alpha · (v0 | v1), lanes outside m0/m1 untouched. */
    private static void store2(float[] c, int co, FloatVector alpha, FloatVector v0, FloatVector v1,
                               VectorMask<Float> m0, VectorMask<Float> m1) {
        if (m1.allTrue()) {
            accumulate(c, co, alpha, v0, v1);
        } else {
            store1(c, co, alpha, v0, m0);
            store1(c, co + V, alpha, v1, m1);
        }
    }

    private static void store1(float[] c, int co, FloatVector alpha, FloatVector v, VectorMask<Float> m) {
        if (m.allTrue()) {
            v.fma(alpha, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        } else if (m.anyTrue()) {
            v.fma(alpha, FloatVector.fromArray(S, c, co, m)).intoArray(c, co, m);
        }
    }
}
