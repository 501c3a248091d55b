package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker threads: every chunk runs once, failures reach the caller, callers may overlap. */
class CpuParallelTest {

    @Test
    void everyChunkOfARangeRunsExactlyOnce() {
        try (CpuParallel par = new CpuParallel(3)) {
            for (int round = 0; round < 200; round++) {
                int n = 1 + round * 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                par.forRange(n, n, 1, 1, hits, (h, from, to) -> {
                    for (int i = from; i < to; i++) {
                        h.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "element " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void chunksStartOnMultiplesOfTheAlignment() {
        try (CpuParallel par = new CpuParallel(2)) {
            par.forRange(1000, 1000, 1, 16, null, (none, from, to) -> assertEquals(0, from % 16, "chunk start " + from));
        }
    }

    @Test
    void aFailingPartReachesTheCallerAndThePoolStaysUsable() {
        try (CpuParallel par = new CpuParallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> par.forRange(100, 100, 1, 1,
                    null, (none, from, to) -> {
                        if (from > 0) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
            AtomicInteger sum = new AtomicInteger();
            par.forRange(100, 100, 1, 1, sum, (s, from, to) -> s.addAndGet(to - from));
            assertEquals(100, sum.get());
        }
    }

    @Test
    void aCallWhileTheHelpersAreBusyRunsOnItsCaller() throws Exception {
        try (CpuParallel par = new CpuParallel(2)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger claims = new AtomicInteger();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                // part 1 of this call holds the only helper until released; part 0 waits for it
                // to start, so that the call cannot take part 1 back
                Future<?> holding = other.submit(() -> par.runParts(2, part -> {
                    if (part == 1) {
                        inside.countDown();
                        await(release);
                    } else {
                        await(inside);
                    }
                }));
                assertEquals(true, inside.await(10, TimeUnit.SECONDS), "the helper took part 1");
                Thread caller = Thread.currentThread();
                par.runParts(2, part -> {
                    assertEquals(0, part, "only the caller's part runs while the helper is busy");
                    assertSame(caller, Thread.currentThread());
                    claims.incrementAndGet();
                });
                assertEquals(1, claims.get());
                release.countDown();
                holding.get(10, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                other.shutdownNow();
            }
        }
    }

    @Test
    void overlappingCallersAllGetTheirWholeRange() throws Exception {
        try (CpuParallel par = new CpuParallel(2)) {
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] done = new Future<?>[4];
                for (int c = 0; c < done.length; c++) {
                    done[c] = callers.submit(() -> {
                        for (int round = 0; round < 500; round++) {
                            AtomicInteger sum = new AtomicInteger();
                            par.forRange(1000, 1000, 1, 1, sum, (s, from, to) -> s.addAndGet(to - from));
                            assertEquals(1000, sum.get());
                        }
                    });
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
