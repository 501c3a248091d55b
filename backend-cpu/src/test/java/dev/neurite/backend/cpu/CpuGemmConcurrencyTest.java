package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One backend shared by several threads: every product equals the one computed alone. The shapes
 * mix the direct path, the packed path on one part and on two, every transpose and edge tiles,
 * so concurrent calls overlap in every kind of scratch a call uses.
 */
class CpuGemmConcurrencyTest {
    private static final int THREADS = 6;
    private static final int ROUNDS = 4;
    private static final int[][] SHAPES = {
        {10, 15, 784}, {128, 15, 784}, {33, 17, 31}, {128, 512, 784}, {784, 40, 128}, {128, 100, 512},
        {257, 129, 300}, {3, 1000, 100}, {61, 70, 90},
    };

    private record Case(Transpose ta, Transpose tb, int m, int n, int k, float[] a, float[] b, float[] c0,
                        float beta) {
    }

    @Test
    void sharedBackendGivesTheSequentialResults() throws Exception {
        List<Case> cases = cases();
        try (CpuBackend backend = (CpuBackend) new CpuBackendProvider().open(0,
                BackendOptions.builder().cpuThreads(2).build())) {
            List<float[]> expected = new ArrayList<>();
            for (Case x : cases) {
                expected.add(run(backend, x));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int r = 0; r < ROUNDS; r++) {
                            // each thread walks the cases from its own offset, so different shapes overlap
                            for (int i = 0; i < cases.size(); i++) {
                                int idx = (first + i + r) % cases.size();
                                Case x = cases.get(idx);
                                assertArrayEquals(expected.get(idx), run(backend, x),
                                        () -> "concurrent " + x.ta() + x.tb() + " " + x.m() + "x" + x.n() + "x" + x.k());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** op(A) (m,k) · op(B) (k,n) -> C (m,n), through the backend's own matrices. */
    private static float[] run(Backend backend, Case x) {
        int m = x.m();
        int n = x.n();
        int k = x.k();
        try (DeviceMatrix a = x.ta() == Transpose.NONE ? backend.upload(x.a(), m, k) : backend.upload(x.a(), k, m);
             DeviceMatrix b = x.tb() == Transpose.NONE ? backend.upload(x.b(), k, n) : backend.upload(x.b(), n, k);
             DeviceMatrix c = backend.upload(x.c0(), m, n)) {
            backend.gemm(x.ta(), x.tb(), 0.75f, a, b, x.beta(), c);
            return backend.download(c);
        }
    }

    private static List<Case> cases() {
        Random rnd = new Random(12);
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (int[] s : SHAPES) {
            Transpose ta = Transpose.values()[i % 2];
            Transpose tb = Transpose.values()[(i / 2) % 2];
            cases.add(new Case(ta, tb, s[0], s[1], s[2], random(rnd, s[0] * s[2]), random(rnd, s[2] * s[1]),
                    random(rnd, s[0] * s[1]), i % 3 == 0 ? 0f : 0.5f));
            cases.add(new Case(Transpose.NONE, Transpose.NONE, s[0], s[1], s[2], random(rnd, s[0] * s[2]),
                    random(rnd, s[2] * s[1]), random(rnd, s[0] * s[1]), 1f));
            i++;
        }
        return cases;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
