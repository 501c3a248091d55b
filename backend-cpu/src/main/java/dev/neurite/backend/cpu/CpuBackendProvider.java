package dev.neurite.backend.cpu;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendProvider;

/**
 * The CPU backend: Vector API kernels on a ForkJoinPool of its own. Available wherever the JVM
 * resolves {@code jdk.incubator.vector}; threads from {@value #THREADS_PROPERTY}, default all cores.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String THREADS_PROPERTY = "neurite.cpu.threads";

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
        return Availability.available(CpuBackend.describe(threads()));
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Backend open(int deviceIndex) {
        if (deviceIndex != 0) {
            throw new IllegalArgumentException("cpu has one device (index 0), not " + deviceIndex);
        }
        return new CpuBackend(threads());
    }

    /** Threads from the property, else every available core. */
    static int threads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value the user gave
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + " must be a whole number ≥ 1, got '" + value + "'");
    }
}
