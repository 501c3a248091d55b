package dev.neurite.backend.cuda;

import dev.neurite.backend.KernelArgs;
import dev.neurite.backend.KernelBuildException;
import dev.neurite.kernels.KernelSources;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * The kernels of one context and their launches. Two ways in: compile the CUDA-dialect sources
 * with NVRTC when jcuda's NVRTC binding loads (it needs a CUDA 12 toolkit's libnvrtc.so.12), else
 * load the PTX shipped in the kernels jar (built by nvcc 13: needs a CUDA 13 driver, R580+).
 * {@link #path()} says which one ran.
 */
final class CudaModule {
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String path;

    /** Builds the Neurite kernels for a device of compute capability major.minor. */
    CudaModule(int major, int minor) {
        this(KernelSources.cudaProgram(), KernelSources.ptx(), major, minor);
    }

    /** Builds {@code source} with NVRTC, or loads {@code shippedPtx} (may be null) without it. */
    CudaModule(String source, String shippedPtx, int major, int minor) {
        String ptx = null;
        String how;
        try {
            ptx = nvrtc(source, "--gpu-architecture=compute_" + major + minor);
            how = "NVRTC for compute_" + major + minor;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            if (shippedPtx == null) {
                throw new KernelBuildException("cuda: NVRTC is not available to compile a custom kernel",
                        String.valueOf(e.getMessage()));
            }
            ptx = shippedPtx;
            how = "shipped PTX (compute_75, CUDA 13; NVRTC unavailable: " + firstLine(e) + ")";
        }
        JCudaDriver.cuModuleLoadData(module, (ptx + "\0").getBytes(StandardCharsets.UTF_8));
        this.path = how;
    }

    private static String nvrtc(String source, String arch) {
        JNvrtc.setExceptionsEnabled(true);
        nvrtcProgram program = new nvrtcProgram();
        JNvrtc.nvrtcCreateProgram(program, source, "neurite.cu", 0, null, null);
        try {
            JNvrtc.nvrtcCompileProgram(program, 1, new String[] {arch});
            String[] ptx = new String[1];
            JNvrtc.nvrtcGetPTX(program, ptx);
            return ptx[0];
        } catch (RuntimeException e) {
            String[] log = new String[1];
            JNvrtc.nvrtcGetProgramLog(program, log);
            throw new KernelBuildException("cuda: NVRTC failed to compile the kernels (" + arch + ")", log[0]);
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** How the kernels were obtained: NVRTC or shipped PTX, and why. */
    String path() {
        return path;
    }

    /** Launches {@code name} on a grid of blocks with {@code args}, in order. */
    void launch(String name, int gridX, int gridY, int blockX, int blockY, KernelArgs args) {
        CUfunction f = functions.computeIfAbsent(name, n -> {
            CUfunction fn = new CUfunction();
            JCudaDriver.cuModuleGetFunction(fn, module, n);
            return fn;
        });
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = switch (args.type(i)) {
                case INT -> Pointer.to(new int[] {args.intAt(i)});
                case FLOAT -> Pointer.to(new float[] {args.floatAt(i)});
                case BUFFER -> Pointer.to(CudaBackend.ptr(args.bufferAt(i)));
            };
        }
        JCudaDriver.cuLaunchKernel(f, gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
    }

    /** One thread an element over n elements, blocks of 256. */
    void launch1d(String name, int n, KernelArgs args) {
        if (n > 0) {
            launch(name, (n + 255) / 256, 1, 256, 1, args);
        }
    }

    void unload() {
        JCudaDriver.cuModuleUnload(module);
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
