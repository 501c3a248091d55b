package dev.neurite.backend;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings a backend opens with, immutable; built with {@link #builder()} and passed to
 * {@link Backends#open(String, BackendOptions)}. Options are named {@code BACKEND.SETTING}:
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>option</th><th>backend reads it as</th><th>default</th></tr>
 *   <tr><td>{@value #CPU_THREADS}</td><td>threads of the CPU backend's pool</td><td>all cores</td></tr>
 *   <tr><td>{@value #CPU_GEMM}</td><td>matrix-multiply variant of the CPU backend</td><td>{@code auto}</td></tr>
 *   <tr><td>{@value #OPENCL_GEMM_TILE}, {@value #OPENCL_GEMM_WPT}</td><td>OpenCL GEMM tile (T x T outputs a
 *       work-group) and outputs a work-item (W x W)</td><td>from the device</td></tr>
 *   <tr><td>{@value #OPENCL_WORK_GROUP}</td><td>work-items a group of the element-wise kernels</td>
 *       <td>256, or the device's limit</td></tr>
 *   <tr><td>{@value #CUDA_GEMM}</td><td>CUDA matrix multiply: {@code auto}, {@code cublas} or
 *       {@code kernel}</td><td>{@code auto}</td></tr>
 *   <tr><td>{@value #DEVICE}</td><td>device index (as {@code opencl:1})</td><td>0</td></tr>
 * </table>
 *
 * <p>Each backend reads only its own options: one set of options can configure every backend a
 * program may end up with. An option set here wins; else the system property {@code neurite.NAME}
 * (e.g. {@code -Dneurite.cpu.threads=2}) is the default; else the backend's own. A backend that
 * does not understand one of its options ({@code cpu.tile}), or gets a bad value, throws
 * {@link IllegalArgumentException} naming the option and the backend when it opens.
 */
public final class BackendOptions {
    public static final String DEVICE = "device";
    public static final String CPU_THREADS = "cpu.threads";
    public static final String CPU_GEMM = "cpu.gemm";
    public static final String OPENCL_GEMM_TILE = "opencl.gemm.tile";
    public static final String OPENCL_GEMM_WPT = "opencl.gemm.wpt";
    public static final String OPENCL_WORK_GROUP = "opencl.workgroup";
    public static final String CUDA_GEMM = "cuda.gemm";
    /** The prefix that turns an option name into the system property giving its default. */
    public static final String PROPERTY_PREFIX = "neurite.";

    private static final Pattern NAME = Pattern.compile("device|[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+");
    private static final BackendOptions DEFAULTS = new BackendOptions(new TreeMap<>());
    private final Map<String, String> values;

    private BackendOptions(TreeMap<String, String> values) {
        this.values = java.util.Collections.unmodifiableMap(values);
    }

    /** No option set: every backend opens with its system properties, else its defaults. */
    public static BackendOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder(new TreeMap<>());
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(new TreeMap<>(values));
    }

    /** The options set explicitly, by name, sorted. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The value set explicitly for {@code name}, if any (system properties not consulted). */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The device index, if set here (the request's {@code :N} otherwise gives it, no property). */
    public OptionalInt device() {
        String d = values.get(DEVICE);
        if (d == null) {
            return OptionalInt.empty();
        }
        try {
            int index = Integer.parseInt(d);
            if (index >= 0) {
                return OptionalInt.of(index);
            }
        } catch (NumberFormatException ignored) {
            // reported below with the text as given
        }
        throw new IllegalArgumentException("option device must be a whole number ≥ 0, got '" + d + "'");
    }

    // ---- for backends, when they open ------------------------------------------------------

    /** The value in force for {@code name}: set here, else the property {@code neurite.NAME}, else null. */
    public String value(String name) {
        String v = values.get(name);
        if (v == null) {
            String p = System.getProperty(PROPERTY_PREFIX + name);
            v = p == null || p.isBlank() ? null : p.trim();
        }
        return v;
    }

    /**
     * {@code name} as a whole number ≥ {@code min}, or {@code fallback} when neither set nor
     * given as a property; anything else throws naming the option, its source and {@code backend}.
     */
    public int integer(String backend, String name, int fallback, int min) {
        String v = value(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the text as given
        }
        throw bad(backend, name, "must be a whole number ≥ " + min + ", got '" + v + "'");
    }

    /** {@code name} as one of {@code allowed}, or {@code fallback} when neither set nor given as a property. */
    public String choice(String backend, String name, String fallback, Collection<String> allowed) {
        String v = value(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw bad(backend, name, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    /** Throws when an option of {@code backend} (named {@code backend.*}) is not among {@code understood}. */
    public void requireUnderstood(String backend, Collection<String> understood) {
        for (String name : values.keySet()) {
            if (name.startsWith(backend + ".") && !understood.contains(name)) {
                throw new IllegalArgumentException("backend '" + backend + "' does not understand option " + name
                        + (understood.isEmpty() ? "; it takes none" : "; it understands " + String.join(", ", understood)));
            }
        }
    }

    /** The exception for a bad value of {@code name}, naming the option, where it came from and the backend. */
    public IllegalArgumentException bad(String backend, String name, String problem) {
        String source = values.containsKey(name) ? "" : " (from -D" + PROPERTY_PREFIX + name + ")";
        return new IllegalArgumentException("backend '" + backend + "': option " + name + source + " " + problem);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code name=value, ...}, or {@code defaults}. */
    @Override
    public String toString() {
        return values.isEmpty() ? "defaults" : String.join(", ",
                values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** Collects options; each setter replaces an earlier value of the same option. */
    public static final class Builder {
        private final TreeMap<String, String> values;

        private Builder(TreeMap<String, String> values) {
            this.values = values;
        }

        /** {@value #CPU_THREADS}: threads of the CPU backend's own ForkJoinPool. */
        public Builder cpuThreads(int threads) {
            return set(CPU_THREADS, Integer.toString(threads));
        }

        /** {@value #CPU_GEMM}: the CPU matrix-multiply variant ({@code auto} lets the backend choose). */
        public Builder cpuGemm(String variant) {
            return set(CPU_GEMM, variant);
        }

        /** {@value #OPENCL_GEMM_TILE} and {@value #OPENCL_GEMM_WPT}: T x T outputs a work-group, W x W a work-item. */
        public Builder openclGemmTiling(int tile, int workPerItem) {
            return set(OPENCL_GEMM_TILE, Integer.toString(tile)).set(OPENCL_GEMM_WPT, Integer.toString(workPerItem));
        }

        /** {@value #OPENCL_WORK_GROUP}: work-items a group for the one-dimensional kernels. */
        public Builder openclWorkGroup(int size) {
            return set(OPENCL_WORK_GROUP, Integer.toString(size));
        }

        /** {@value #CUDA_GEMM}: {@code auto}, {@code cublas} or {@code kernel}. */
        public Builder cudaGemm(String path) {
            return set(CUDA_GEMM, path);
        }

        /** {@value #DEVICE}: the device index, as {@code opencl:1} gives it. */
        public Builder device(int index) {
            return set(DEVICE, Integer.toString(index));
        }

        /**
         * Any option by name, as text (from a command line or a file): {@code device} or
         * {@code BACKEND.SETTING} in lower case. The backend checks the value when it opens.
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value of option " + name);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("option name '" + name + "' must be 'device' or BACKEND.SETTING "
                        + "in lower case, as cpu.threads");
            }
            values.put(name, value.trim());
            return this;
        }

        public BackendOptions build() {
            return values.isEmpty() ? DEFAULTS : new BackendOptions(new TreeMap<>(values));
        }
    }
}
