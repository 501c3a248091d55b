package dev.neurite.backend.cpu;

import java.util.Locale;

/**
 * How this machine runs a GEMM: the micro-kernel (register tile), whether skinny products take
 * the direct path, and the cache blocking. {@link #choose} is the rule, a pure function of the
 * vector width, the register count and the cache sizes, so it is tested for every register file
 * whatever machine the tests run on.
 *
 * @param variant the name {@code neurite.cpu.gemm} accepts for this plan
 * @param kernel  the micro-kernel of the packed path
 * @param direct  whether skinny products with op(B) = B read B in place (the direct kernels)
 * @param directAccumulators accumulators of the direct kernels' one-vector tiles: 16 (a tile
 *                of 16 rows, or 8 rows with a second set for odd k) or 8
 * @param lanes   floats per vector
 * @param kc      depth of one packed step: an A sliver (MR, kc) stays in L1 while B slivers pass
 * @param mc      rows of a packed A block (mc, kc), which stays in L3
 * @param nc      columns of a packed B block (kc, nc), which stays in L2: the B slivers one A
 *                sliver meets in a row
 * @param batchKc depth of a step when all of op(A) is a batch that L2 keeps ({@code batchA}
 *                floats at most): an A sliver then takes up to half of L1. Such a product (a
 *                layer's, m = the batch) passes over C and packs once a step whatever k is, and
 *                few rows share each step's cost; 784 deep in two steps instead of four ran the
 *                128x512x784 forward product 1.05-1.1x faster on two threads (Xeon, a timing
 *                loop), while a 1024³ product, whose A does not stay in L2, ran 0.92-0.94x as
 *                fast on one thread with steps of 512
 * @param batchA  floats of op(A) up to which a product takes {@code batchKc}: a quarter of L2
 */
record CpuGemmPlan(String variant, Kernel kernel, boolean direct, int directAccumulators, int lanes, int kc, int mc,
                   int nc, int batchKc, int batchA) {
    /** Values of {@code neurite.cpu.gemm}. */
    static final String AUTO = "auto";
    static final String REFERENCE = "reference";

    /** Micro-kernels, largest tile first: MR rows of C by {@code vectors} vectors of columns. */
    enum Kernel {
        /** 24 accumulators: fits the 32 registers of AVX-512 (190 GFLOP/s in L1, Xeon SPR). */
        TILE_12X2(12, 2),
        /** 8 accumulators: the tile that fits AVX2's 16 registers (97 GFLOP/s in L1, Zen 3). */
        TILE_4X2(4, 2),
        /** The plain scalar loops of {@link CpuGemmReference}: obviously right, slow. */
        REFERENCE(0, 0);

        final int mr;
        final int vectors;

        Kernel(int mr, int vectors) {
            this.mr = mr;
            this.vectors = vectors;
        }

        /**
         * Vector registers the kernel's loop keeps live: the accumulators, the B vectors of one
         * step and the broadcast A element.
         */
        int registers() {
            return mr * vectors + vectors + 1;
        }

        /** The name {@code neurite.cpu.gemm} takes to force this kernel: "12x2", "4x2", "reference". */
        String variant() {
            return this == REFERENCE ? CpuGemmPlan.REFERENCE : mr + "x" + vectors;
        }
    }

    /**
     * Registers C2 needs beside the kernel's own: addresses are in general registers, but it keeps
     * a few vector temporaries. Measured with 16 registers (Zen 3 and this rule's AVX2 path): 4x2
     * (11 live) runs at 97 GFLOP/s while 6x2 (15) and 4x3 (16) spill and drop to 44-58; with 32
     * (Xeon SPR): 12x2 (27) and 8x3 (28) 178-190, 6x4 (29) 150.
     */
    static final int REGISTER_HEADROOM = 4;

    /** Vector registers of the architecture behind a species of this size: AVX-512 has 32, AVX2/SSE 16. */
    static int registersFor(int vectorBits) {
        return vectorBits >= 512 ? 32 : 16;
    }

    /** The largest tile whose live registers fit in {@code registers} less the headroom. */
    static Kernel tileFor(int registers) {
        for (Kernel k : Kernel.values()) {
            if (k != Kernel.REFERENCE && k.registers() <= registers - REGISTER_HEADROOM) {
                return k;
            }
        }
        return Kernel.TILE_4X2;
    }

    /**
     * Accumulators of the direct one-vector tiles for a register file: 16 where they fit beside a
     * B vector, a broadcast and the headroom (32 registers), else 8. Two FMA ports of latency 4
     * need 8 chains in flight; 8 leave no slack for a late B load, 16 do (128x15x784 37.8 ->
     * 31.7 µs and 784x15x128:TN 35.7 -> 26.0 µs, Xeon AVX-512).
     */
    static int directAccumulatorsFor(int registers) {
        return 16 + 2 <= registers - REGISTER_HEADROOM ? 16 : 8;
    }

    /** The automatic plan: the tile for the register file, blocking for the caches. */
    static CpuGemmPlan choose(int lanes, int registers, CpuCaches caches) {
        return blocked(AUTO, tileFor(registers), true, directAccumulatorsFor(registers), lanes, caches);
    }

    /**
     * The plan {@code neurite.cpu.gemm} asks for: "auto" (or empty), "reference", or a tile
     * ("12x2", "4x2"), which then runs every shape, the skinny ones included, so that a forced
     * variant exercises its kernel on every edge.
     */
    static CpuGemmPlan forVariant(String variant, int lanes, int registers, CpuCaches caches) {
        String v = variant == null ? "" : variant.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals(AUTO)) {
            return choose(lanes, registers, caches);
        }
        for (Kernel k : Kernel.values()) {
            if (k.variant().equals(v)) {
                return blocked(v, k, false, directAccumulatorsFor(registers), lanes, caches);
            }
        }
        throw new IllegalArgumentException("neurite.cpu.gemm must be auto, reference, 12x2 or 4x2, got '" + variant + "'");
    }

    /** The packed-block sizes for a tile: KC from L1, NC from L2, MC from L3. */
    private static CpuGemmPlan blocked(String variant, Kernel kernel, boolean direct, int directAccumulators, int lanes,
                                       CpuCaches caches) {
        int mr = Math.max(1, kernel.mr);
        int nr = Math.max(1, kernel.vectors) * lanes;
        // An A sliver (MR, kc) takes a quarter of L1, beside the lines of the B slivers streaming past.
        int kc = clamp(caches.l1d() / 4 / (mr * Float.BYTES) / 16 * 16, 64, 512);
        // The B block (kc, nc) those slivers come from takes three quarters of L2.
        int nc = clamp(caches.l2() * 3 / 4 / (kc * Float.BYTES) / nr * nr, nr, 4096 / nr * nr);
        // Packed A blocks of (mc, kc) floats take a quarter of L3, which the cores share.
        int mc = clamp(caches.l3() / 4 / (kc * Float.BYTES) / mr * mr, mr, 8192 / mr * mr);
        // A batch's A that a quarter of L2 holds whole takes slivers of up to half of L1.
        int batchKc = clamp(caches.l1d() / 2 / (mr * Float.BYTES) / 16 * 16, kc, 512);
        int batchA = caches.l2() / 4 / Float.BYTES;
        return new CpuGemmPlan(variant, kernel, direct, directAccumulators, lanes, kc, mc, nc, batchKc, batchA);
    }

    private static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    /** MR: rows of C per micro-tile. */
    int mr() {
        return kernel.mr;
    }

    /** NR: columns of C per micro-tile. */
    int nr() {
        return kernel.vectors * lanes;
    }

    /** One line for the backend's device description. */
    String describe() {
        if (kernel == Kernel.REFERENCE) {
            return "gemm reference (scalar)";
        }
        return "gemm " + variant + ": " + kernel.variant() + " tile (" + mr() + "x" + nr() + "), KC " + kc + " (" + batchKc
                + " for an A of at most " + batchA + " floats), MC " + mc + ", NC " + nc
                + (direct ? ", direct path for skinny shapes (" + directAccumulators + " accumulators)" : "");
    }
}
