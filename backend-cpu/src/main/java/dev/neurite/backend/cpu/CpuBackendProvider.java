package dev.neurite.backend.cpu;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.BackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU backend: Vector API kernels on a ForkJoinPool of its own. Available wherever the JVM
 * resolves {@code jdk.incubator.vector}. Options: {@value BackendOptions#CPU_THREADS} (default
 * all cores) and {@value BackendOptions#CPU_GEMM} (the matrix-multiply variant, default
 * {@code auto}), each defaulting to its {@code -Dneurite.*} property.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String THREADS_PROPERTY = BackendOptions.PROPERTY_PREFIX + BackendOptions.CPU_THREADS;
    public static final String GEMM_PROPERTY = BackendOptions.PROPERTY_PREFIX + BackendOptions.CPU_GEMM;
    private static final List<String> OPTIONS = List.of(BackendOptions.CPU_THREADS, BackendOptions.CPU_GEMM);

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Availability.unavailable("module jdk.incubator.vector is not resolved; "
                    + "run java with --add-modules jdk.incubator.vector");
        }
        int threads;
        try {
            threads = threads(BackendOptions.defaults());
        } catch (IllegalArgumentException badProperty) {
            // said when the backend opens; the probe only describes the machine
            threads = Runtime.getRuntime().availableProcessors();
        }
        return Availability.available(CpuBackend.describe(threads));
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Backend open(int deviceIndex, BackendOptions options) {
        if (deviceIndex != 0) {
            throw new IllegalArgumentException("cpu has one device (index 0), not " + deviceIndex);
        }
        options.requireUnderstood(name(), OPTIONS);
        String gemm = options.choice(name(), BackendOptions.CPU_GEMM, CpuGemmPlan.AUTO, gemmVariants());
        return new CpuBackend(threads(options), gemm);
    }

    /**
     * The values of {@value BackendOptions#CPU_GEMM}: {@code auto} (the tile for this machine's
     * registers, and the direct path for skinny products), then each kernel by name, which then
     * runs every shape: {@code 12x2}, {@code 4x2}, {@code reference}.
     */
    static List<String> gemmVariants() {
        List<String> variants = new ArrayList<>(List.of(CpuGemmPlan.AUTO));
        for (CpuGemmPlan.Kernel k : CpuGemmPlan.Kernel.values()) {
            variants.add(k.variant());
        }
        return variants;
    }

    /** Threads from the options (or the property), else every available core. */
    private static int threads(BackendOptions options) {
        return options.integer("cpu", BackendOptions.CPU_THREADS, Runtime.getRuntime().availableProcessors(), 1);
    }
}
