package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Network;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The backends of one executor JVM. A task borrows a slot (a backend, and the network the last
 * task on it built) for its round and gives it back, so tasks running side by side (local[N], or
 * an executor with several cores) each have their own backend and none waits on another's thread
 * pool; backends stay open for the executor's life, so a round pays no start-up. Each is opened as
 * {@link Backends#open(String)} asks (the request, else the executor's property or environment:
 * a GPU executor opens CUDA, the others the CPU) with the CPU backend's threads set to the task's
 * share of cores.
 */
final class ExecutorBackends {
    private static final Map<String, Queue<Slot>> IDLE = new ConcurrentHashMap<>();

    private ExecutorBackends() {
    }

    /** A backend and the network of the run that used it last. */
    static final class Slot {
        final Backend backend;
        final String key;
        String run;
        Network network;

        private Slot(Backend backend, String key) {
            this.backend = backend;
            this.key = key;
        }
    }

    /**
     * A slot for this task.
     *
     * @param spec    backend request, or null for the executor's own (property, environment, auto)
     * @param threads CPU backend threads
     */
    static Slot borrow(String spec, int threads) {
        String key = (spec == null ? Backends.requested() : spec) + "/" + threads;
        Slot s = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return s != null ? s : new Slot(open(spec, threads), key);
    }

    /** Returns {@code slot} for the next task. */
    static void release(Slot slot) {
        IDLE.computeIfAbsent(slot.key, k -> new ConcurrentLinkedQueue<>()).add(slot);
    }

    /** Opens with the task's share of cores as the CPU backend's threads (other backends ignore the option). */
    private static Backend open(String spec, int threads) {
        BackendOptions options = BackendOptions.builder().cpuThreads(threads).build();
        return Backends.open(spec == null ? Backends.requested() : spec, options);
    }
}
