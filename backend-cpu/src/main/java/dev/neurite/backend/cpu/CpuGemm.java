package dev.neurite.backend.cpu;

import dev.neurite.backend.Transpose;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * C = alpha · op(A) · op(B) + beta · C on row-major float arrays: op(A) (m,k) · op(B) (k,n) -> C (m,n).
 *
 * <p>The {@link CpuGemmPlan} says how: the reference loops, or a packed path with the register
 * tile that fits this machine (GotoBLAS/BLIS structure: B in panels of NR-wide slivers, A in
 * MC x KC blocks of MR-tall slivers) plus, for skinny products with op(B) = B (n ≤
 * {@value #DIRECT_MAX_N} or m ≤ {@value #DIRECT_MAX_M}, as in every layer of 784-15-10), the
 * direct kernels that read B in place (a small transposed B is transposed first). The backend's option {@code cpu.gemm} (default
 * {@code -Dneurite.cpu.gemm}) forces a variant.
 *
 * <p>Safe to share between threads: each call runs in a {@link CpuGemmJob} of its own, taken
 * from a few idle ones kept here, so calls share no scratch and a steady state allocates nothing.
 */
final class CpuGemm {
    static final int DIRECT_MAX_N = 64;
    static final int DIRECT_MAX_M = 32;
    /**
     * Up to this many floats, a transposed B of a narrow product (n ≤ {@value #DIRECT_MAX_N}) is
     * transposed into scratch and the product run direct: a convolution's im2col columns times its
     * filters, (N·OH·OW, KH·KW·C) · (F, KH·KW·C)ᵀ, with a few dozen filters; packed, LeNet's first
     * (36864x25 · (20x25)ᵀ) spent most of its time packing A and filled 20 of 32 tile columns
     * (43 -> 56 GFLOP/s direct, 2 threads); its second, 4096x500 · (50x500)ᵀ, is as fast packed.
     */
    static final long DIRECT_MAX_BT = 1L << 12;
    /** Below this many multiply-adds per extra thread, stay on the calling thread. */
    static final long PARALLEL_MIN_WORK = 1L << 20;
    /** Idle jobs kept for reuse: enough for a few threads calling at once. */
    private static final int IDLE_JOBS = 4;

    private final CpuParallel parallel;
    private final CpuGemmPlan plan;
    private final AtomicReferenceArray<CpuGemmJob> idle = new AtomicReferenceArray<>(IDLE_JOBS);

    CpuGemm(CpuParallel parallel, CpuGemmPlan plan) {
        this.parallel = parallel;
        this.plan = plan;
    }

    CpuGemmPlan plan() {
        return plan;
    }

    void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b,
              float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            CpuArithmetic.scaleInPlace(parallel, beta, c, m * n);
            return;
        }
        long work = (long) m * n * k;
        int parts = (int) Math.min(parallel.threads(), Math.max(1, work / PARALLEL_MIN_WORK));
        CpuGemmJob.Mode mode;
        if (plan.kernel() == CpuGemmPlan.Kernel.REFERENCE) {
            mode = CpuGemmJob.Mode.REFERENCE;
        } else if (plan.direct() && tb == Transpose.NONE && (n <= DIRECT_MAX_N || m <= DIRECT_MAX_M)
                || plan.direct() && tb == Transpose.TRANSPOSE && n <= DIRECT_MAX_N && (long) n * k <= DIRECT_MAX_BT) {
            mode = CpuGemmJob.Mode.DIRECT;
        } else {
            mode = CpuGemmJob.Mode.PACKED;
        }
        if (mode == CpuGemmJob.Mode.REFERENCE || mode == CpuGemmJob.Mode.DIRECT && beta != 0f) {
            // the packed path scales its own tiles of C, in parallel and off the caller's way; the
            // direct kernels write C without reading it when beta is 0
            CpuArithmetic.scaleInPlace(parallel, beta, c, m * n);
        }
        CpuGemmJob job = acquire();
        try {
            job.run(parallel, mode, parts, ta, tb, m, n, k, alpha, a, b, beta, c);
        } finally {
            release(job);
        }
    }

    private CpuGemmJob acquire() {
        for (int i = 0; i < IDLE_JOBS; i++) {
            CpuGemmJob job = idle.get(i);
            if (job != null && idle.compareAndSet(i, job, null)) {
                return job;
            }
        }
        return new CpuGemmJob(plan, parallel.threads());
    }

    private void release(CpuGemmJob job) {
        for (int i = 0; i < IDLE_JOBS; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, job)) {
                return;
            }
        }
    }
}
