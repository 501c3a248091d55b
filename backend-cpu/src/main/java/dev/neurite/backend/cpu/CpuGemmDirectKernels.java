package dev.neurite.backend.cpu;

import static dev.neurite.backend.cpu.CpuGemmKernels.MR;
import static dev.neurite.backend.cpu.CpuGemmKernels.NR;
import static dev.neurite.backend.cpu.CpuGemmKernels.S;
import static dev.neurite.backend.cpu.CpuGemmKernels.V;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Direct micro-kernels for skinny products: a tile (rows, one or two vectors) of
 * op(A) (m,k) · B (k,n) accumulated in registers, then c[co + r·ldc + j] += alpha · tile[r][j]
 * for j < cols, or c[..] = alpha · tile[r][j] when not {@code accumulate} (C is then not read).
 * The tile's A element (r, p) is a[a0 + r·ars + p·acs], and B row p is read at b[j0 + p·ldb]:
 * offsets that start the tile at any row of C and any step of k. B row p < kSafe is read in place
 * (lanes past the block's last column read the next row, harmlessly: they are never stored);
 * rows from kSafe on come zero-padded from {@code tail} (NR floats a row).
 *
 * <p>A block narrower than the kernel ({@code cols} below its width, as the 15 columns of
 * 784-15-10's hidden layer against 16 lanes) is written through a lane mask at the tile's end
 * ({@link #putMasked}): the k loop has no masks, which are slow where AVX-512 is absent. No
 * vector crosses a method boundary (see {@link CpuGemmKernels}).
 */
final class CpuGemmDirectKernels {
    /** Rows of the one-vector tile: 8 accumulators fit AVX2's sixteen registers and keep both FMA ports busy. */
    static final int MR1 = 8;

    private CpuGemmDirectKernels() {
    }

    /** MR1 rows by one vector: tile (MR1, cols ≤ V). */
    static void direct8x1(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        int ao = a0;
        // two passes with the same body, so that neither carries a per-step choice of array
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
                c4 = FloatVector.broadcast(S, a[ao + 4 * ars]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, a[ao + 5 * ars]).fma(b0, c5);
                c6 = FloatVector.broadcast(S, a[ao + 6 * ars]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, a[ao + 7 * ars]).fma(b0, c7);
            }
        }
        if (cols < V) {
            c0.intoArray(tile, 0);
            c1.intoArray(tile, V);
            c2.intoArray(tile, 2 * V);
            c3.intoArray(tile, 3 * V);
            c4.intoArray(tile, 4 * V);
            c5.intoArray(tile, 5 * V);
            c6.intoArray(tile, 6 * V);
            c7.intoArray(tile, 7 * V);
            putMasked(tile, MR1, cols, alpha, c, co, ldc, accumulate);
            return;
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        FloatVector d0 = z, d1 = z, d2 = z, d3 = z, d4 = z, d5 = z, d6 = z, d7 = z;
        if (accumulate) {
            d0 = FloatVector.fromArray(S, c, co);
            d1 = FloatVector.fromArray(S, c, co + ldc);
            d2 = FloatVector.fromArray(S, c, co + 2 * ldc);
            d3 = FloatVector.fromArray(S, c, co + 3 * ldc);
            d4 = FloatVector.fromArray(S, c, co + 4 * ldc);
            d5 = FloatVector.fromArray(S, c, co + 5 * ldc);
            d6 = FloatVector.fromArray(S, c, co + 6 * ldc);
            d7 = FloatVector.fromArray(S, c, co + 7 * ldc);
        }
        c0.fma(al, d0).intoArray(c, co);
        c1.fma(al, d1).intoArray(c, co + ldc);
        c2.fma(al, d2).intoArray(c, co + 2 * ldc);
        c3.fma(al, d3).intoArray(c, co + 3 * ldc);
        c4.fma(al, d4).intoArray(c, co + 4 * ldc);
        c5.fma(al, d5).intoArray(c, co + 5 * ldc);
        c6.fma(al, d6).intoArray(c, co + 6 * ldc);
        c7.fma(al, d7).intoArray(c, co + 7 * ldc);
    }

    /**
     * {@link #direct8x1} with a second set of accumulators for odd k, for a register file of 32:
     * eight chains of FMAs are just what two FMA ports of latency 4 need, so any stall of the
     * shared B load stopped them all; sixteen leave slack (128x15x784 37.8 -> 31.7 µs, Xeon AVX-512).
     */
    static void direct8x1Pairs(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z, e6 = z, e7 = z;
        int ao = a0;
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? b : tail;
            int from = pass == 0 ? 0 : kSafe;
            int to = pass == 0 ? kSafe : k;
            int stride = pass == 0 ? ldb : NR;
            int bo = pass == 0 ? j0 : 0;
            int p = from;
            for (; p + 1 < to; p += 2, ao += 2 * acs, bo += 2 * stride) {
                FloatVector b0 = FloatVector.fromArray(S, src, bo);
                FloatVector b1 = FloatVector.fromArray(S, src, bo + stride);
                c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
                e0 = FloatVector.broadcast(S, a[ao + acs]).fma(b1, e0);
                c1 = FloatVector.broadcast(S, a[ao + ars]).fma(b0, c1);
                e1 = FloatVector.broadcast(S, a[ao + ars + acs]).fma(b1, e1);
                c2 = FloatVector.broadcast(S, a[ao + 2 * ars]).fma(b0, c2);
                e2 = FloatVector.broadcast(S, a[ao + 2 * ars + acs]).fma(b1, e2);
                c3 = FloatVector.broadcast(S, a[ao + 3 * ars]).fma(b0, c3);
                e3 = FloatVector.broadcast(S, a[ao + 3 * ars + acs]).fma(b1, e3);
                c4 = FloatVector.broadcast(S, a[ao + 4 * ars]).fma(b0, c4);
                e4 = FloatVector.broadcast(S, a[ao + 4 * ars + acs]).fma(b1, e4);
                c5 = FloatVector.broadcast(S, a[ao + 5 * ars]).fma(b0, c5);
                e5 = FloatVector.broadcast(S, a[ao + 5 * ars + acs]).fma(b1, e5);
                c6 = FloatVector.broadcast(S, a[ao + 6 * ars]).fma(b0, c6);
                e6 = FloatVector.broadcast(S, a[ao + 6 * ars + acs]).fma(b1, e6);
                c7 = FloatVector.broadcast(S, a[ao + 7 * ars]).fma(b0, c7);
                e7 = FloatVector.broadcast(S, a[ao + 7 * ars + acs]).fma(b1, e7);
            }
            if (p < to) {
                FloatVector b0 = FloatVector.fromArray(S, src, bo);
                c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[ao + ars]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[ao + 2 * ars]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[ao + 3 * ars]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, a[ao + 4 * ars]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, a[ao + 5 * ars]).fma(b0, c5);
                c6 = FloatVector.broadcast(S, a[ao + 6 * ars]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, a[ao + 7 * ars]).fma(b0, c7);
                ao += acs;
            }
        }
        c0 = c0.add(e0);
        c1 = c1.add(e1);
        c2 = c2.add(e2);
        c3 = c3.add(e3);
        c4 = c4.add(e4);
        c5 = c5.add(e5);
        c6 = c6.add(e6);
        c7 = c7.add(e7);
        if (cols < V) {
            c0.intoArray(tile, 0);
            c1.intoArray(tile, V);
            c2.intoArray(tile, 2 * V);
            c3.intoArray(tile, 3 * V);
            c4.intoArray(tile, 4 * V);
            c5.intoArray(tile, 5 * V);
            c6.intoArray(tile, 6 * V);
            c7.intoArray(tile, 7 * V);
            putMasked(tile, MR1, cols, alpha, c, co, ldc, accumulate);
            return;
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        FloatVector d0 = z, d1 = z, d2 = z, d3 = z, d4 = z, d5 = z, d6 = z, d7 = z;
        if (accumulate) {
            d0 = FloatVector.fromArray(S, c, co);
            d1 = FloatVector.fromArray(S, c, co + ldc);
            d2 = FloatVector.fromArray(S, c, co + 2 * ldc);
            d3 = FloatVector.fromArray(S, c, co + 3 * ldc);
            d4 = FloatVector.fromArray(S, c, co + 4 * ldc);
            d5 = FloatVector.fromArray(S, c, co + 5 * ldc);
            d6 = FloatVector.fromArray(S, c, co + 6 * ldc);
            d7 = FloatVector.fromArray(S, c, co + 7 * ldc);
        }
        c0.fma(al, d0).intoArray(c, co);
        c1.fma(al, d1).intoArray(c, co + ldc);
        c2.fma(al, d2).intoArray(c, co + 2 * ldc);
        c3.fma(al, d3).intoArray(c, co + 3 * ldc);
        c4.fma(al, d4).intoArray(c, co + 4 * ldc);
        c5.fma(al, d5).intoArray(c, co + 5 * ldc);
        c6.fma(al, d6).intoArray(c, co + 6 * ldc);
        c7.fma(al, d7).intoArray(c, co + 7 * ldc);
    }

    /**
     * Sixteen rows by one vector of op(A) = Aᵀ (A (k,m) row-major, so op(A)[i, p] = a[p·acs + i]),
     * for a register file of 32: the tile's sixteen A elements of one step are one cache line, where
     * eight took half of each line fetched down A's column stride (784x15x128:TN 35.7 -> 26.0 µs, Xeon).
     * Tile (16, cols ≤ V) goes out through {@code tile} (16·V floats).
     */
    static void direct16x1T(int k, int kSafe, float[] a, int acs, int a0, float[] b, int ldb, int j0, float[] tail,
                            float alpha, float[] c, int co, int ldc, int cols, boolean accumulate, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        FloatVector c8 = z, c9 = z, ca = z, cb = z, cc = z, cd = z, ce = z, cf = z;
        int ao = a0;
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? b : tail;
            int from = pass == 0 ? 0 : kSafe;
            int to = pass == 0 ? kSafe : k;
            int stride = pass == 0 ? ldb : NR;
            int bo = pass == 0 ? j0 : 0;
            for (int p = from; p < to; p++, ao += acs, bo += stride) {
                FloatVector b0 = FloatVector.fromArray(S, src, bo);
                c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[ao + 1]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[ao + 2]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[ao + 3]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, a[ao + 4]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, a[ao + 5]).fma(b0, c5);
                c6 = FloatVector.broadcast(S, a[ao + 6]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, a[ao + 7]).fma(b0, c7);
                c8 = FloatVector.broadcast(S, a[ao + 8]).fma(b0, c8);
                c9 = FloatVector.broadcast(S, a[ao + 9]).fma(b0, c9);
                ca = FloatVector.broadcast(S, a[ao + 10]).fma(b0, ca);
                cb = FloatVector.broadcast(S, a[ao + 11]).fma(b0, cb);
                cc = FloatVector.broadcast(S, a[ao + 12]).fma(b0, cc);
                cd = FloatVector.broadcast(S, a[ao + 13]).fma(b0, cd);
                ce = FloatVector.broadcast(S, a[ao + 14]).fma(b0, ce);
                cf = FloatVector.broadcast(S, a[ao + 15]).fma(b0, cf);
            }
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, V);
        c2.intoArray(tile, 2 * V);
        c3.intoArray(tile, 3 * V);
        c4.intoArray(tile, 4 * V);
        c5.intoArray(tile, 5 * V);
        c6.intoArray(tile, 6 * V);
        c7.intoArray(tile, 7 * V);
        c8.intoArray(tile, 8 * V);
        c9.intoArray(tile, 9 * V);
        ca.intoArray(tile, 10 * V);
        cb.intoArray(tile, 11 * V);
        cc.intoArray(tile, 12 * V);
        cd.intoArray(tile, 13 * V);
        ce.intoArray(tile, 14 * V);
        cf.intoArray(tile, 15 * V);
        put(tile, 16, cols, alpha, c, co, ldc, accumulate);
    }

    /** MR rows by two vectors: tile (MR, V < cols ≤ NR). */
    static void direct4x2(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int ao = a0;
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
        FloatVector d0 = z, d1 = z, d2 = z, d3 = z;
        if (accumulate) {
            d0 = FloatVector.fromArray(S, c, co);
            d1 = FloatVector.fromArray(S, c, co + ldc);
            d2 = FloatVector.fromArray(S, c, co + 2 * ldc);
            d3 = FloatVector.fromArray(S, c, co + 3 * ldc);
        }
        c00.fma(al, d0).intoArray(c, co);
        c10.fma(al, d1).intoArray(c, co + ldc);
        c20.fma(al, d2).intoArray(c, co + 2 * ldc);
        c30.fma(al, d3).intoArray(c, co + 3 * ldc);
        if (cols == NR) {
            FloatVector e0 = z, e1 = z, e2 = z, e3 = z;
            if (accumulate) {
                e0 = FloatVector.fromArray(S, c, co + V);
                e1 = FloatVector.fromArray(S, c, co + ldc + V);
                e2 = FloatVector.fromArray(S, c, co + 2 * ldc + V);
                e3 = FloatVector.fromArray(S, c, co + 3 * ldc + V);
            }
            c01.fma(al, e0).intoArray(c, co + V);
            c11.fma(al, e1).intoArray(c, co + ldc + V);
            c21.fma(al, e2).intoArray(c, co + 2 * ldc + V);
            c31.fma(al, e3).intoArray(c, co + 3 * ldc + V);
            return;
        }
        c01.intoArray(tile, 0);
        c11.intoArray(tile, V);
        c21.intoArray(tile, 2 * V);
        c31.intoArray(tile, 3 * V);
        putMasked(tile, MR, cols - V, alpha, c, co + V, ldc, accumulate);
    }

    /** MR rows by one vector: tile (MR, cols ≤ V), the rows a chunk has left after tiles of MR1. */
    static void direct4x1(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int ldc, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        int ao = a0;
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
        c0.intoArray(tile, 0);
        c1.intoArray(tile, V);
        c2.intoArray(tile, 2 * V);
        c3.intoArray(tile, 3 * V);
        putMasked(tile, MR, cols, alpha, c, co, ldc, accumulate);
    }

    /**
     * One row by two vectors (rows left over after tiles of MR): tile (1, V < cols ≤ NR); four
     * accumulator pairs over k hide the FMA latency one row exposes. B rows from kSafe on come
     * from {@code tail}, where kSafe allows loads of NR floats.
     */
    static void direct1x2(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, t0 = z, t1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        int ao = a0;
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
        FloatVector r0 = s0.add(t0).add(u0.add(w0));
        FloatVector r1 = s1.add(t1).add(u1.add(w1));
        r0.fma(al, accumulate ? FloatVector.fromArray(S, c, co) : z).intoArray(c, co);
        r1.intoArray(tile, 0);
        putMasked(tile, 1, cols - V, alpha, c, co + V, 0, accumulate);
    }

    /** One row by one vector: tile (1, cols ≤ V), four accumulators over k; kSafe allows loads of V floats. */
    static void direct1x1(int k, int kSafe, float[] a, int ars, int acs, int a0, float[] b, int ldb, int j0,
                          float[] tail, float alpha, float[] c, int co, int cols, boolean accumulate,
                          float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s = z, t = z, u = z, w = z;
        int ao = a0;
        int p = 0;
        for (int unrolled = kSafe & ~3; p < unrolled; p += 4, ao += 4 * acs) {
            int bo = p * ldb + j0;
            s = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, b, bo), s);
            t = FloatVector.broadcast(S, a[ao + acs]).fma(FloatVector.fromArray(S, b, bo + ldb), t);
            u = FloatVector.broadcast(S, a[ao + 2 * acs]).fma(FloatVector.fromArray(S, b, bo + 2 * ldb), u);
            w = FloatVector.broadcast(S, a[ao + 3 * acs]).fma(FloatVector.fromArray(S, b, bo + 3 * ldb), w);
        }
        for (; p < k; p++, ao += acs) {
            float[] src = p < kSafe ? b : tail;
            int bo = p < kSafe ? p * ldb + j0 : (p - kSafe) * NR;
            s = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, src, bo), s);
        }
        s.add(t).add(u.add(w)).intoArray(tile, 0);
        putMasked(tile, 1, cols, alpha, c, co, 0, accumulate);
    }

    /**
     * c[co + r·ldc + j] (+)= alpha · tile[r·V + j] for r < rows, j < cols ≤ V: a tile a kernel
     * handed over in memory (a full-width one of {@link #direct16x1T}, whose own stores would
     * take it past C1's limits, or a narrow one).
     */
    static void put(float[] tile, int rows, int cols, float alpha, float[] c, int co, int ldc, boolean accumulate) {
        if (cols < V) {
            putMasked(tile, rows, cols, alpha, c, co, ldc, accumulate);
            return;
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int r = 0; r < rows; r++) {
            FloatVector t = FloatVector.fromArray(S, tile, r * V);
            FloatVector d = accumulate ? FloatVector.fromArray(S, c, co + r * ldc) : FloatVector.zero(S);
            t.fma(al, d).intoArray(c, co + r * ldc);
        }
    }

    /**
     * c[co + r·ldc + j] (+)= alpha · tile[r·V + j] for r < rows, j < cols ≤ V, through a lane
     * mask: the kernels hand a narrow tile over in memory, as a mask in a kernel made it too large
     * for C1 (which then left it at the interpreter's speed). Every load of C comes before the
     * first store: a masked store's unwritten lanes overlap the next row, and a load behind it
     * waits for the store to retire (784x15x10:TN 10.0 -> 6.4 µs).
     */
    static void putMasked(float[] tile, int rows, int cols, float alpha, float[] c, int co, int ldc,
                          boolean accumulate) {
        VectorMask<Float> m = S.indexInRange(0, cols);
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int r = 0; r < rows; r++) {
            FloatVector t = FloatVector.fromArray(S, tile, r * V).mul(al);
            if (accumulate) {
                t = FloatVector.fromArray(S, c, co + r * ldc, m).add(t);
            }
            t.intoArray(tile, r * V);
        }
        for (int r = 0; r < rows; r++) {
            FloatVector.fromArray(S, tile, r * V).intoArray(c, co + r * ldc, m);
        }
    }
}
