package dev.neurite.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.KernelArgs;
import dev.neurite.backend.KernelBuildException;
import dev.neurite.kernels.KernelSources;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The kernel sources built once for one context, their kernels, and the launches. Tile sizes
 * of the matrix multiply come from the options or from the device's work-group and local-memory
 * limits ({@link #tiling}).
 */
final class OpenClProgram implements AutoCloseable {
    /**
     * Launch geometry.
     *
     * @param tile  GEMM tile: TSM x TSN outputs a work-group
     * @param wpt   WPT x WPT outputs a work-item
     * @param group work-items a group for the one-dimensional kernels
     */
    record Tiling(int tile, int wpt, int group) {
    }

    final Tiling tiling;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final cl_command_queue queue;

    /** Builds the Neurite kernels for {@code device}. */
    OpenClProgram(OpenClDevice device, cl_context context, cl_command_queue queue, Tiling tiling) {
        this(device, context, queue, tiling, KernelSources.assemble(KernelSources.Dialect.OPENCL,
                KernelSources.Family.values()));
    }

    /** Builds {@code source}; a failed build throws {@link KernelBuildException} with the log. */
    OpenClProgram(OpenClDevice device, cl_context context, cl_command_queue queue, Tiling tiling, String source) {
        this.queue = queue;
        this.tiling = tiling;
        this.program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        String options = "-DTSM=" + tiling.tile() + " -DTSN=" + tiling.tile() + " -DTSK=16 -DWPTM=" + tiling.wpt()
                + " -DWPTN=" + tiling.wpt();
        try {
            CL.clBuildProgram(program, 1, new org.jocl.cl_device_id[] {device.id()}, options, null, null);
        } catch (RuntimeException e) {
            String log = buildLog(device);
            CL.clReleaseProgram(program);
            throw new KernelBuildException("opencl: building the Neurite kernels for " + device.name()
                    + " failed (" + e.getMessage() + ", options " + options + ")", log);
        }
    }

    /**
     * The tiling {@code options} ask for ({@value BackendOptions#OPENCL_GEMM_TILE},
     * {@value BackendOptions#OPENCL_GEMM_WPT}, {@value BackendOptions#OPENCL_WORK_GROUP}, their
     * properties as defaults), else the device's ({@link #defaultTiling}); a tiling the device
     * cannot run throws naming the options and the backend.
     */
    static Tiling tiling(OpenClDevice device, BackendOptions options) {
        int[] preferred = defaultTiling(device);
        int tile = options.integer("opencl", BackendOptions.OPENCL_GEMM_TILE, preferred[0], 16);
        int wpt = options.integer("opencl", BackendOptions.OPENCL_GEMM_WPT, preferred[1], 1);
        long threads = (long) (tile / wpt) * (tile / wpt);
        if (tile % wpt != 0 || tile % 16 != 0 || threads > device.maxWorkGroup()) {
            throw new IllegalArgumentException("backend 'opencl': options " + BackendOptions.OPENCL_GEMM_TILE + "/"
                    + BackendOptions.OPENCL_GEMM_WPT + " = " + tile + "/" + wpt + ": the tile must be a multiple of 16 "
                    + "that the work per item divides, with at most " + device.maxWorkGroup()
                    + " work-items a group on " + device.name());
        }
        int group = options.integer("opencl", BackendOptions.OPENCL_WORK_GROUP,
                (int) Math.min(256, device.maxWorkGroup()), 1);
        if (group > device.maxWorkGroup()) {
            throw options.bad("opencl", BackendOptions.OPENCL_WORK_GROUP, "must be at most "
                    + device.maxWorkGroup() + " on " + device.name() + ", got " + group);
        }
        return new Tiling(tile, wpt, group);
    }

    /**
     * GEMM tile and outputs a work-item for a device. A GPU wants many light work-items:
     * 64x64 tiles at 4x4 each (256 work-items, 8 KiB local). A CPU device (pocl) runs a
     * work-group as loops vectorised across work-items and wants few heavy ones: 128x128 at
     * 32x32 each (16 work-items, 16 KiB local) measured 33 GFLOP/s on pocl against 7 for 64/4.
     * Devices short of either fall back to 16x16 at 2x2 (64 work-items, 2 KiB).
     */
    static int[] defaultTiling(OpenClDevice device) {
        if (device.gpu() && device.maxWorkGroup() >= 256 && device.localMemory() >= 16 * 1024) {
            return new int[] {64, 4};
        }
        if (!device.gpu() && device.maxWorkGroup() >= 16 && device.localMemory() >= 32 * 1024) {
            return new int[] {128, 32};
        }
        return new int[] {16, 2};
    }

    private String buildLog(OpenClDevice device) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    /** Launches {@code name} over n work-items (rounded up to the group size). */
    void launch1d(String name, int n, KernelArgs args) {
        if (n <= 0) {
            return;
        }
        int group = tiling.group();
        long global = (n + group - 1L) / group * group;
        enqueue(name, new long[] {global}, new long[] {group}, args);
    }

    /** Launches a 2D kernel with the given global and local sizes. */
    void launch2d(String name, long[] global, long[] local, KernelArgs args) {
        enqueue(name, global, local, args);
    }

    private void enqueue(String name, long[] global, long[] local, KernelArgs args) {
        cl_kernel k = kernels.computeIfAbsent(name, n -> CL.clCreateKernel(program, n, null));
        for (int i = 0; i < args.size(); i++) {
            switch (args.type(i)) {
                case INT -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {args.intAt(i)}));
                case FLOAT -> CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {args.floatAt(i)}));
                case BUFFER -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(((OpenClMatrix) args.bufferAt(i)).mem));
            }
        }
        CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    @Override
    public void close() {
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        CL.clReleaseProgram(program);
    }
}
