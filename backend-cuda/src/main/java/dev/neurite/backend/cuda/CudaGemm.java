package dev.neurite.backend.cuda;

import dev.neurite.backend.Transpose;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * The matrix multiply on CUDA: cuBLAS when its library loads, the shared tiled kernel otherwise;
 * {@value #PROPERTY} = {@code cublas} or {@code kernel} forces one (and fails if cuBLAS is asked
 * for but absent).
 */
final class CudaGemm {
    static final String PROPERTY = "neurite.cuda.gemm";
    /** The kernel's tile, as compiled into the PTX: 64x64 outputs a block of 16x16 threads. */
    private static final int TILE = 64;
    private static final int THREADS = 16;

    private final CudaModule module;
    private final cublasHandle cublas;
    private final String path;

    CudaGemm(CudaModule module) {
        this.module = module;
        String wanted = System.getProperty(PROPERTY, "auto").trim();
        if (!wanted.equals("auto") && !wanted.equals("kernel") && !wanted.equals("cublas")) {
            throw new IllegalArgumentException(PROPERTY + " must be auto, cublas or kernel, got '" + wanted + "'");
        }
        cublasHandle handle = null;
        String why = "";
        if (!wanted.equals("kernel")) {
            try {
                JCublas2.setExceptionsEnabled(true);
                handle = new cublasHandle();
                JCublas2.cublasCreate(handle);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError | RuntimeException e) {
                handle = null;
                why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                if (wanted.equals("cublas")) {
                    throw new IllegalStateException(PROPERTY + "=cublas but cuBLAS could not be loaded: " + why, e);
                }
            }
        }
        this.cublas = handle;
        this.path = handle != null ? "cuBLAS" : "tiled kernel" + (why.isEmpty() ? "" : " (cuBLAS unavailable: " + why + ")");
    }

    String path() {
        return path;
    }

    /** C = alpha · op(A) · op(B) + beta · C: op(A) (m,k) · op(B) (k,n) -> C (m,n), row-major. */
    void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, CUdeviceptr a, CUdeviceptr b, float beta,
              CUdeviceptr c) {
        if (cublas != null) {
            // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
            int lda = ta == Transpose.NONE ? k : m;
            int ldb = tb == Transpose.NONE ? n : k;
            JCublas2.cublasSgemm(cublas, op(tb), op(ta), n, m, k, Pointer.to(new float[] {alpha}), b, ldb, a, lda,
                    Pointer.to(new float[] {beta}), c, n);
            return;
        }
        module.launch("gemm", (n + TILE - 1) / TILE, (m + TILE - 1) / TILE, THREADS, THREADS, m, n, k, alpha, a,
                ta == Transpose.TRANSPOSE ? 1 : 0, b, tb == Transpose.TRANSPOSE ? 1 : 0, beta, c);
    }

    private static int op(Transpose t) {
        return t == Transpose.NONE ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T;
    }

    void close() {
        if (cublas != null) {
            JCublas2.cublasDestroy(cublas);
        }
    }
}
