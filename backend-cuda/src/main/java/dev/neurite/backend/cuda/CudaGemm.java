package dev.neurite.backend.cuda;

import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.KernelArgs;
import dev.neurite.backend.Transpose;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * The matrix multiply on CUDA: cuBLAS when its library loads, the shared tiled kernel otherwise;
 * the option {@value BackendOptions#CUDA_GEMM} (default {@code -Dneurite.cuda.gemm}) = {@code cublas}
 * or {@code kernel} forces one (and fails if cuBLAS is asked for but absent).
 */
final class CudaGemm {
    /** The values of {@value BackendOptions#CUDA_GEMM}. */
    static final List<String> PATHS = List.of("auto", "cublas", "kernel");
    /** The kernel's tile, as compiled into the PTX: 64x64 outputs a block of 16x16 threads. */
    private static final int TILE = 64;
    private static final int THREADS = 16;

    private final CudaModule module;
    private final cublasHandle cublas;
    private final String path;

    /** {@code wanted}: one of {@link #PATHS}, checked by the provider. */
    CudaGemm(CudaModule module, String wanted) {
        this.module = module;
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
                    throw new IllegalStateException("backend 'cuda': option " + BackendOptions.CUDA_GEMM
                            + "=cublas but cuBLAS could not be loaded: " + why, e);
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
    /** {@code args}: an empty list for the kernel's arguments. */
    void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceMatrix a, DeviceMatrix b, float beta,
              DeviceMatrix c, KernelArgs args) {
        if (cublas != null) {
            // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
            int lda = ta == Transpose.NONE ? k : m;
            int ldb = tb == Transpose.NONE ? n : k;
            JCublas2.cublasSgemm(cublas, op(tb), op(ta), n, m, k, Pointer.to(new float[] {alpha}), CudaBackend.ptr(b),
                    ldb, CudaBackend.ptr(a), lda, Pointer.to(new float[] {beta}), CudaBackend.ptr(c), n);
            return;
        }
        module.launch("gemm", (n + TILE - 1) / TILE, (m + TILE - 1) / TILE, THREADS, THREADS, args.addInt(m).addInt(n)
                .addInt(k).addFloat(alpha).addBuffer(a).addInt(ta == Transpose.TRANSPOSE ? 1 : 0).addBuffer(b)
                .addInt(tb == Transpose.TRANSPOSE ? 1 : 0).addFloat(beta).addBuffer(c));
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
