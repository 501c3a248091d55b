package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The backends of one executor JVM. A task borrows one for its round and gives it back, so
 * tasks running side by side (local[N], or an executor with several cores) each have their own
 * and none waits on another's thread pool; the backends stay open for the executor's life, so
 * a round pays no start-up. Each is opened as {@link Backends#open(String)} asks (the request,
 * else the property or environment of the executor: a GPU executor opens CUDA, the others the
 * CPU) with the CPU backend's threads set to the task's share of cores.
 */
final class ExecutorBackends {
    /** The CPU backend reads its thread count from here when it opens. */
    private static final String CPU_THREADS = "neurite.cpu.threads";
    private static final Map<String, Queue<Backend>> IDLE = new ConcurrentHashMap<>();

    private ExecutorBackends() {
    }

    /**
     * A backend for this task.
     *
     * @param spec    backend request, or null for the executor's own (property, environment, auto)
     * @param threads CPU backend threads
     */
    static Backend borrow(String spec, int threads) {
        String key = key(spec, threads);
        Backend b = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return b != null ? b : open(spec, threads);
    }

    /** Returns {@code backend}, borrowed with the same request, for the next task. */
    static void release(String spec, int threads, Backend backend) {
        IDLE.computeIfAbsent(key(spec, threads), k -> new ConcurrentLinkedQueue<>()).add(backend);
    }

    private static String key(String spec, int threads) {
        return (spec == null ? Backends.requested() : spec) + "/" + threads;
    }

    /** Opens with the thread property set for the call only: the JVM may be the driver's (local mode). */
    private static synchronized Backend open(String spec, int threads) {
        String before = System.getProperty(CPU_THREADS);
        System.setProperty(CPU_THREADS, String.valueOf(threads));
        try {
            return spec == null ? Backends.open() : Backends.open(spec);
        } finally {
            if (before == null) {
                System.clearProperty(CPU_THREADS);
            } else {
                System.setProperty(CPU_THREADS, before);
            }
        }
    }
}
