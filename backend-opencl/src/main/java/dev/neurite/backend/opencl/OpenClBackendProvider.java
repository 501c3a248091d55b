package dev.neurite.backend.opencl;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.BackendProvider;
import dev.neurite.backend.NativeSignals;
import java.util.List;

/**
 * The OpenCL backend. Ranks above the CPU backend only when it finds a GPU (200); on CPU
 * devices only (pocl, for instance) it ranks below it (50), since the Vector API backend is
 * faster there, but {@code -Dneurite.backend=opencl[:N]} always selects it.
 */
public final class OpenClBackendProvider implements BackendProvider {
    private static final List<String> OPTIONS = List.of(BackendOptions.OPENCL_GEMM_TILE,
            BackendOptions.OPENCL_GEMM_WPT, BackendOptions.OPENCL_WORK_GROUP);
    /**
     * Per JVM, not per provider instance: once JOCL's native library failed to load, its classes
     * cannot initialise again and say only "Could not initialize class", so the first reason is kept.
     */
    private static List<OpenClDevice> devices;
    private static String reason;

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        discover();
        return devices != null && devices.stream().anyMatch(OpenClDevice::gpu) ? 200 : 50;
    }

    @Override
    public Availability probe() {
        discover();
        if (devices == null) {
            return Availability.unavailable(reason);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < devices.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(i).append(": ").append(devices.get(i).describe());
        }
        return Availability.available(sb.toString());
    }

    @Override
    public int deviceCount() {
        discover();
        return devices == null ? 0 : devices.size();
    }

    /** Options: {@value BackendOptions#OPENCL_GEMM_TILE}, {@value BackendOptions#OPENCL_GEMM_WPT}, {@value BackendOptions#OPENCL_WORK_GROUP}. */
    @Override
    public Backend open(int deviceIndex, BackendOptions options) {
        options.requireUnderstood(name(), OPTIONS);
        discover();
        if (devices == null) {
            throw new IllegalStateException("opencl is unavailable: " + reason);
        }
        OpenClDevice device = devices.get(deviceIndex);
        // the driver's first context and programs may install signal handlers too
        return NativeSignals.keep(name(), () -> new OpenClBackend(device, deviceIndex, OpenClProgram.tiling(device, options)));
    }

    /** Runs discovery once a JVM; every failure becomes the reason. */
    private static synchronized void discover() {
        if (devices != null || reason != null) {
            return;
        }
        try {
            // pocl's first device query hands the JVM's signal handlers to LLVM: put them back
            List<OpenClDevice> found = NativeSignals.keep("opencl", OpenClDiscovery::devices);
            if (found.isEmpty()) {
                reason = "no OpenCL device found on any platform";
            } else {
                devices = found;
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            reason = "the OpenCL library could not be loaded (" + e.getMessage()
                    + "); install an OpenCL ICD loader (libOpenCL.so.1, e.g. Debian's ocl-icd-libopencl1) and a driver";
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            reason = m.contains("PLATFORM_NOT_FOUND")
                    ? "no OpenCL platform is installed (" + m + "); install a driver or pocl-opencl-icd"
                    : "OpenCL discovery failed: " + e;
        }
    }
}
