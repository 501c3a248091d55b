package dev.neurite.backend.cuda;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.BackendProvider;
import dev.neurite.backend.NativeSignals;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA backend, first in {@code auto} when a device is there (priority 300). Without a
 * driver ({@code libcuda.so.1}) or without a device it reports the reason and the JVM carries
 * on; the probe runs once and its result is kept, because jcuda cannot retry a failed load.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** Per JVM, not per provider instance: jcuda gives one chance to load. */
    private static List<CudaDevice> devices;
    private static String reason;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Availability probe() {
        discover();
        if (devices == null) {
            return Availability.unavailable(reason);
        }
        StringBuilder sb = new StringBuilder();
        for (CudaDevice d : devices) {
            sb.append(sb.isEmpty() ? "" : "; ").append(d.index()).append(": ").append(d.describe());
        }
        return Availability.available(sb.toString());
    }

    @Override
    public int deviceCount() {
        discover();
        return devices == null ? 0 : devices.size();
    }

    /** Options: {@value BackendOptions#CUDA_GEMM} ({@code auto}, {@code cublas} or {@code kernel}). */
    @Override
    public Backend open(int deviceIndex, BackendOptions options) {
        options.requireUnderstood(name(), List.of(BackendOptions.CUDA_GEMM));
        String gemm = options.choice(name(), BackendOptions.CUDA_GEMM, "auto", CudaGemm.PATHS);
        discover();
        if (devices == null) {
            throw new IllegalStateException("cuda is unavailable: " + reason);
        }
        return NativeSignals.keep(name(), () -> new CudaBackend(devices.get(deviceIndex), gemm));
    }

    private static synchronized void discover() {
        if (devices != null || reason != null) {
            return;
        }
        try {
            // a driver that installs signal handlers on load must not keep the JVM's
            List<CudaDevice> found = NativeSignals.keep("cuda", CudaDriverProbe::devices);
            if (found.isEmpty()) {
                reason = "a CUDA driver is installed but reports no device";
            } else {
                devices = found;
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            reason = "no CUDA driver: " + nativeCause(e) + " (the NVIDIA driver provides libcuda.so.1)";
        } catch (RuntimeException e) {
            reason = "CUDA initialisation failed: " + firstLine(e);
        }
    }

    /**
     * jcuda's load error is a page of nested traces; the line that matters names the shared
     * object the dynamic linker could not open (libcuda.so.1 on a machine without the driver).
     */
    static String nativeCause(Throwable t) {
        String m = String.valueOf(t.getMessage());
        Matcher missing = Pattern.compile("([\\w.+-]+\\.so[\\w.]*: cannot open shared object file[^\\n]*)").matcher(m);
        String last = null;
        while (missing.find()) {
            last = missing.group(1);
        }
        return last != null ? last : firstLine(t);
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
