package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;

/**
 * Opens the backend a benchmark runs on, the way users select it ({@code -Dneurite.backend}),
 * with the benchmark's parameters as {@link BackendOptions}, and refuses to run when the backend
 * that opened is not the one asked for: a benchmark never measures a silent fallback.
 */
final class BenchBackend {
    private BenchBackend() {
    }

    /** Opens the requested backend with {@code threads} CPU threads ("" keeps the default). */
    static Backend open(String threads) {
        return open(threads, "");
    }

    /** As {@link #open(String)}, the CPU matrix multiply forced to {@code gemmVariant} ("" keeps the default). */
    static Backend open(String threads, String gemmVariant) {
        BackendOptions.Builder settings = BackendOptions.builder();
        if (!threads.isEmpty()) {
            settings.set(BackendOptions.CPU_THREADS, threads);
        }
        if (!gemmVariant.isEmpty()) {
            settings.cpuGemm(gemmVariant);
        }
        BackendOptions options = settings.build();
        String requested = Backends.requested();
        Backend b = Backends.open(requested, options);
        String expected = requested.contains(":") ? requested.substring(0, requested.indexOf(':')) : requested;
        if (!expected.equals("auto") && !expected.equals(b.name())) {
            b.close();
            throw new IllegalStateException("asked for backend " + requested + " but " + b.name() + " opened");
        }
        System.err.println("# backend: " + b.name() + " — " + b.device());
        return b;
    }
}
