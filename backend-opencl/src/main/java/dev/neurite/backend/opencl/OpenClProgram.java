package dev.neurite.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

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
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * The kernel sources built once for one context, their kernels, and the launches. Tile sizes
 * of the matrix multiply are chosen from the device's work-group and local-memory limits.
 */
final class OpenClProgram implements AutoCloseable {
    /** Work-items a group for the one-dimensional kernels, capped by the device. */
    final int groupSize;
    /** GEMM tile: TSM x TSN outputs a work-group, WPT x WPT a work-item. */
    final int tile;
    final int wpt;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final cl_command_queue queue;

    /** Builds the Neurite kernels for {@code device}. */
    OpenClProgram(OpenClDevice device, cl_context context, cl_command_queue queue) {
        this(device, context, queue, KernelSources.assemble(KernelSources.Dialect.OPENCL,
                KernelSources.Family.values()));
    }

    /** Builds {@code source}; a failed build throws {@link KernelBuildException} with the log. */
    OpenClProgram(OpenClDevice device, cl_context context, cl_command_queue queue, String source) {
        this.queue = queue;
        this.groupSize = (int) Math.min(256, device.maxWorkGroup());
        int[] tiling = defaultTiling(device);
        this.tile = Integer.getInteger("neurite.opencl.gemm.tile", tiling[0]);
        this.wpt = Integer.getInteger("neurite.opencl.gemm.wpt", tiling[1]);
        long threads = (long) (tile / Math.max(1, wpt)) * (tile / Math.max(1, wpt));
        if (wpt < 1 || tile % wpt != 0 || tile % 16 != 0 || threads > device.maxWorkGroup()) {
            throw new IllegalArgumentException("opencl gemm tiling " + tile + "/" + wpt + " (neurite.opencl.gemm.tile/"
                    + "wpt) must be a multiple of 16 split evenly, with at most " + device.maxWorkGroup()
                    + " work-items a group on " + device.name());
        }
        this.program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        String options = "-DTSM=" + tile + " -DTSN=" + tile + " -DTSK=16 -DWPTM=" + wpt + " -DWPTN=" + wpt;
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

    /** Launches {@code name} over n work-items (rounded up to the group size); args in order. */
    void launch1d(String name, int n, Object... args) {
        if (n <= 0) {
            return;
        }
        long global = (n + groupSize - 1L) / groupSize * groupSize;
        enqueue(name, new long[] {global}, new long[] {groupSize}, args);
    }

    /** Launches a 2D kernel with the given global and local sizes. */
    void launch2d(String name, long[] global, long[] local, Object... args) {
        enqueue(name, global, local, args);
    }

    private void enqueue(String name, long[] global, long[] local, Object... args) {
        cl_kernel k = kernels.computeIfAbsent(name, n -> CL.clCreateKernel(program, n, null));
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) {
                CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof cl_mem m) {
                CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            } else {
                throw new IllegalArgumentException(name + ": unsupported kernel argument " + a);
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
