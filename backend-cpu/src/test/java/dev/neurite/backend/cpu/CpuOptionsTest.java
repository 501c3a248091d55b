package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU options: each backend has its own thread count, bad values and unknown options are refused by name. */
class CpuOptionsTest {

    @Test
    void twoBackendsWithDifferentThreadCountsEachUseTheirOwn() throws Exception {
        try (CpuBackend one = (CpuBackend) Backends.open("cpu", BackendOptions.builder().cpuThreads(1).build());
             CpuBackend three = (CpuBackend) Backends.open("cpu", BackendOptions.builder().cpuThreads(3).build())) {
            assertEquals(1, one.threads());
            assertEquals(3, three.threads());
            assertTrue(one.device().contains("1 thread(s)") && three.device().contains("3 thread(s)"),
                    one.device() + " / " + three.device());
            // alternately, so that neither backend's pool is the other's
            assertEquals(Set.of(Thread.currentThread()), threadsRunning(one, 1));
            assertEquals(3, threadsRunning(three, 3).size());
            assertEquals(Set.of(Thread.currentThread()), threadsRunning(one, 1));
            assertEquals(3, threadsRunning(three, 3).size());
        }
    }

    /**
     * The threads that run an element-wise op large enough to split {@code expected} ways: each
     * new thread waits until {@code expected} threads have arrived, which only happens when
     * that many run the op at once.
     */
    private static Set<Thread> threadsRunning(Backend backend, int expected) throws InterruptedException {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch arrived = new CountDownLatch(expected);
        CustomOp who = new CustomOp("who", "x", v -> {
            if (seen.add(Thread.currentThread())) {
                arrived.countDown();
                try {
                    arrived.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return v;
        });
        try (DeviceMatrix x = backend.allocate(1000, 100)) {
            backend.apply(who, x, x);
        }
        assertEquals(0, arrived.getCount(), "threads that ran the op: " + seen);
        return seen;
    }

    @Test
    void badValuesAndUnknownOptionsNameTheOptionAndTheBackend() {
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("cpu", BackendOptions.builder().cpuThreads(0).build()));
        assertEquals("backend 'cpu': option cpu.threads must be a whole number ≥ 1, got '0'", threads.getMessage());
        IllegalArgumentException gemm = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("cpu", BackendOptions.builder().cpuGemm("fastest").build()));
        assertEquals("backend 'cpu': option cpu.gemm must be one of auto, 12x2, 4x2, reference, got 'fastest'",
                gemm.getMessage());
        IllegalArgumentException tile = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("cpu", BackendOptions.builder().openclGemmTiling(64, 4).set("cpu.tile", "8").build()));
        assertEquals("backend 'cpu' does not understand option cpu.tile; it understands cpu.threads, cpu.gemm",
                tile.getMessage());
        for (String variant : CpuBackendProvider.gemmVariants()) {
            try (CpuBackend b = (CpuBackend) Backends.open("cpu", BackendOptions.builder().cpuGemm(variant).build())) {
                assertEquals(variant, b.gemmVariant());
                assertTrue(b.device().contains("gemm " + variant), "the option reaches the plan: " + b.device());
            }
        }
    }

    @Test
    void thePropertyIsTheDefaultAndTheOptionWins() {
        String before = System.getProperty(CpuBackendProvider.THREADS_PROPERTY);
        try {
            System.setProperty(CpuBackendProvider.THREADS_PROPERTY, "2");
            try (CpuBackend byProperty = (CpuBackend) Backends.open("cpu");
                 CpuBackend byOption = (CpuBackend) Backends.open("cpu", BackendOptions.builder().cpuThreads(1).build())) {
                assertEquals(2, byProperty.threads());
                assertEquals(1, byOption.threads());
            }
            System.setProperty(CpuBackendProvider.THREADS_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cpu"));
            assertEquals("backend 'cpu': option cpu.threads (from -Dneurite.cpu.threads) must be a whole number ≥ 1, "
                    + "got 'many'", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(CpuBackendProvider.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuBackendProvider.THREADS_PROPERTY, before);
            }
        }
    }
}
