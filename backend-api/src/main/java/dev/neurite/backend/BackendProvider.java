package dev.neurite.backend;

/**
 * Entry point of a backend module, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.neurite.backend.BackendProvider}.
 *
 * <p>{@link #probe()} must never throw: native libraries and drivers are touched only inside it,
 * and every failure ({@link UnsatisfiedLinkError}, {@link NoClassDefFoundError}, driver errors)
 * becomes {@link Availability#unavailable}. {@link Backends} calls it once per provider and
 * caches the result.
 */
public interface BackendProvider {

    /** Short lower-case name users select it by: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /**
     * Rank for {@code auto}: the highest available wins. CUDA 300, OpenCL on a GPU 200, CPU 100,
     * OpenCL on a CPU device 50. May depend on what {@link #probe()} found.
     */
    int priority();

    /** Whether this backend can run here, with the devices found or the reason it cannot. */
    Availability probe();

    /** Number of devices {@link #open} accepts; meaningful only when available. */
    int deviceCount();

    /**
     * Opens device {@code deviceIndex} (0-based) with {@code options}, of which it reads its own
     * ({@code NAME.*}, system properties as their defaults); the caller closes the backend. An
     * option of its own it does not understand, or a bad value, throws
     * {@link IllegalArgumentException} naming the option and the backend.
     */
    Backend open(int deviceIndex, BackendOptions options);

    /** Opens device {@code deviceIndex} with the default options (system properties, then the backend's own). */
    default Backend open(int deviceIndex) {
        return open(deviceIndex, BackendOptions.defaults());
    }
}
