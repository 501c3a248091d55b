package dev.neurite.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Hands a device backend the kernel source for its dialect: the dialect's prelude (qualifier,
 * index and barrier macros) followed by the op families asked for. The family sources are
 * written once, in the C subset OpenCL C and CUDA C share.
 */
public final class KernelSources {

    /** The device languages a family source compiles as. */
    public enum Dialect {
        /** OpenCL C, compiled at run time by the OpenCL backend. */
        OPENCL("prelude-opencl.h"),
        /** CUDA C, compiled to PTX by nvcc at build time or by NVRTC at run time. */
        CUDA("prelude-cuda.h");

        private final String prelude;

        Dialect(String prelude) {
            this.prelude = prelude;
        }
    }

    /** One source per op family. */
    public enum Family {
        /** gemm: C = alpha · op(A) · op(B) + beta · C, tiled through local memory. */
        GEMM("gemm.cl"),
        /** activations forward/backward, softmax, arithmetic, random masks, optimizer updates, fill. */
        ELEMENTWISE("elementwise.cl"),
        /** reductions along rows, columns and over all. */
        REDUCE("reduce.cl"),
        /** im2col / col2im and pooling over channels-last images. */
        WINDOW("window.cl");

        private final String resource;

        Family(String resource) {
            this.resource = resource;
        }

        /** The family's source without a prelude. */
        public String source() {
            return read(resource);
        }
    }

    /** Resource holding the PTX built from {@link #cudaProgram()} by {@code kernels/generate-ptx.sh}. */
    public static final String PTX_RESOURCE = "neurite.ptx";

    private KernelSources() {
    }

    /** Every family in the CUDA dialect: the source the checked-in PTX is built from. */
    public static String cudaProgram() {
        return assemble(Dialect.CUDA, Family.values());
    }

    /** The checked-in PTX (nvcc -ptx -arch=compute_75 of {@link #cudaProgram()}). */
    public static String ptx() {
        return read(PTX_RESOURCE);
    }

    /** Prints {@link #cudaProgram()}, for {@code generate-ptx.sh}. */
    public static void main(String[] args) {
        System.out.print(cudaProgram());
    }

    /** The prelude of {@code dialect} followed by each family's source, in order. */
    public static String assemble(Dialect dialect, Family... families) {
        StringBuilder sb = new StringBuilder(read(dialect.prelude));
        for (Family f : families) {
            sb.append("\n/* ---- ").append(f.resource).append(" ---- */\n").append(f.source());
        }
        return sb.toString();
    }

    /**
     * A one-kernel program for a user's element-wise op: {@code custom_NAME(int n, const float* xs,
     * float* ys)} computing ys[i] = EXPRESSION with {@code x = xs[i]}: xs (n) -> ys (n).
     */
    public static String customElementwise(Dialect dialect, String name, String expression) {
        return read(dialect.prelude) + "\n/* x (n) -> y (n), user op " + name + " */\n"
                + "KERNEL void custom_" + name + "(int n, GLOBAL const float* xs, GLOBAL float* ys) {\n"
                + "    int i = GLOBAL_ID(0);\n"
                + "    if (i < n) {\n"
                + "        float x = xs[i];\n"
                + "        ys[i] = (" + expression + ");\n"
                + "    }\n"
                + "}\n";
    }

    private static String read(String resource) {
        try (InputStream in = KernelSources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + resource + " is missing from the kernels jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + resource, e);
        }
    }
}
