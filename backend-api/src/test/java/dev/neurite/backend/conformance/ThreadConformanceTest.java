package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Update;
import dev.neurite.backend.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One backend shared by threads: several threads run jobs at once, each a fixed mix of ops on
 * matrices of its own (matrix multiplies of several shapes and transposes, activations forward and
 * backward, reductions, optimizer updates, row vectors, sign, windows, masks, views), and every
 * result equals, bit for bit, the result of the same job run alone.
 */
class ThreadConformanceTest extends ConformanceBase {
    private static final int THREADS = 4;
    private static final int JOBS = 12;
    private static final int ROUNDS = 3;
    /** m, k, n: a skinny layer product and wider ones, large enough to split over the backend's threads. */
    private static final int[][] GEMMS = {{10, 784, 15}, {128, 160, 128}, {70, 300, 96}, {33, 65, 129}};
    private static final Activation[] ACTIVATIONS = {Activation.SIGMOID, Activation.RELU, Activation.GELU,
            Activation.SOFTMAX};
    private static final Window WINDOW = new Window(3, 12, 12, 3, 3, 1, 1);
    private static final Window POOL = new Window(3, 12, 12, 2, 2, 2, 0);

    @Test
    void concurrentJobsGiveTheResultsOfSequentialOnes() throws Exception {
        List<List<float[]>> alone = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            alone.add(job(j));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<float[]>>> together = new ArrayList<>();
                for (int j = 0; j < JOBS; j++) {
                    int job = j;
                    together.add(pool.submit(() -> {
                        start.await();
                        return job(job);
                    }));
                }
                start.countDown();
                for (int j = 0; j < JOBS; j++) {
                    List<float[]> got = together.get(j).get(5, TimeUnit.MINUTES);
                    assertEquals(alone.get(j).size(), got.size());
                    for (int r = 0; r < got.size(); r++) {
                        assertArrayEquals(alone.get(j).get(r), got.get(r), "round " + round + ", job " + j
                                + ", result " + r + " on " + backendName + " differs from the job run alone");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Job {@code j}: inputs from its seed, a fixed sequence of ops, each result downloaded. */
    private List<float[]> job(int j) {
        Random rnd = new Random(1000 + j);
        List<DeviceMatrix> own = new ArrayList<>();
        List<float[]> out = new ArrayList<>();
        try {
            DeviceMatrix c = multiply(j, rnd, own, out);
            activations(j, c, rnd, own, out);
            reductionsAndUpdates(c, rnd, own, out);
            windows(j, rnd, own, out);
            return out;
        } finally {
            own.forEach(DeviceMatrix::close);
        }
    }

    /** a (m,k) or its transpose · b (k,n) or its transpose -> c (m,n), with beta = 1. */
    private DeviceMatrix multiply(int j, Random rnd, List<DeviceMatrix> own, List<float[]> out) {
        int[] g = GEMMS[j % GEMMS.length];
        int m = g[0];
        int k = g[1];
        int n = g[2];
        Transpose ta = (j / GEMMS.length) % 2 == 0 ? Transpose.NONE : Transpose.TRANSPOSE;
        Transpose tb = j % 3 == 0 ? Transpose.TRANSPOSE : Transpose.NONE;
        DeviceMatrix a = matrix(rnd, own, ta == Transpose.NONE ? m : k, ta == Transpose.NONE ? k : m);
        DeviceMatrix b = matrix(rnd, own, tb == Transpose.NONE ? k : n, tb == Transpose.NONE ? n : k);
        DeviceMatrix c = matrix(rnd, own, m, n);
        backend.gemm(ta, tb, 0.5f, a, b, 1f, c);
        out.add(backend.download(c));
        return c;
    }

    /** f(c), its backward, a row vector, sign and the inverse square root, all (m,n) or (1,n). */
    private void activations(int j, DeviceMatrix c, Random rnd, List<DeviceMatrix> own, List<float[]> out) {
        int m = c.rows();
        int n = c.cols();
        Activation f = ACTIVATIONS[j % ACTIVATIONS.length];
        DeviceMatrix y = keep(own, backend.allocate(m, n));
        DeviceMatrix dx = keep(own, backend.allocate(m, n));
        backend.activationForward(f, c, y);
        backend.activationBackward(f, c, y, matrix(rnd, own, m, n), dx);
        out.add(backend.download(y));
        out.add(backend.download(dx));
        DeviceMatrix bias = matrix(rnd, own, 1, n);
        backend.addRowVector(dx, bias, dx);
        backend.multiplyRowVector(dx, bias, y);
        backend.sign(y, dx);
        out.add(backend.download(dx));
        backend.multiply(y, y, dx);
        backend.inverseSqrt(1e-5f, dx, dx);
        out.add(backend.download(dx));
    }

    /** Reductions along every axis, then three Adam steps and a momentum step on (m,n) parameters. */
    private void reductionsAndUpdates(DeviceMatrix c, Random rnd, List<DeviceMatrix> own, List<float[]> out) {
        int m = c.rows();
        int n = c.cols();
        DeviceMatrix rows = keep(own, backend.allocate(m, 1));
        DeviceMatrix cols = keep(own, backend.allocate(1, n));
        DeviceMatrix all = keep(own, backend.allocate(1, 1));
        backend.reduce(Reduction.SUM, Axis.ROW, c, rows);
        out.add(backend.download(rows));
        backend.reduce(Reduction.ARGMAX, Axis.ROW, c, rows);
        out.add(backend.download(rows));
        backend.reduce(Reduction.MAX, Axis.COLUMN, c, cols);
        out.add(backend.download(cols));
        backend.reduce(Reduction.SUM_OF_SQUARES, Axis.ALL, c, all);
        out.add(backend.download(all));
        backend.reduce(Reduction.ARGMAX, Axis.ALL, backend.view(c, n, m), all);
        out.add(backend.download(all));
        DeviceMatrix theta = keep(own, backend.allocate(m, n));
        backend.copy(c, theta);
        DeviceMatrix grad = matrix(rnd, own, m, n);
        DeviceMatrix s1 = keep(own, backend.allocate(m, n));
        DeviceMatrix s2 = keep(own, backend.allocate(m, n));
        DeviceMatrix s3 = keep(own, backend.allocate(m, n));
        for (int t = 1; t <= 3; t++) {
            backend.update(new Update(Update.Kind.ADAM, 0.9f, 0.999f, 1e-8f), 1e-3f, t, theta, grad, s1, s2, s3);
        }
        backend.update(new Update(Update.Kind.MOMENTUM, 0.9f, 0f, 0f), 0.1f, 1, theta, grad, s3, s2, s1);
        backend.axpy(-0.25f, grad, theta);
        out.add(backend.download(theta));
        out.add(backend.download(s2));
    }

    /** Two images 12x12x3: im2col and col2im (3x3, padding 1), max and average pools 2x2, a mask. */
    private void windows(int j, Random rnd, List<DeviceMatrix> own, List<float[]> out) {
        DeviceMatrix x = matrix(rnd, own, 2, WINDOW.imageSize());
        DeviceMatrix cols = keep(own, backend.allocate(2 * WINDOW.positions(), WINDOW.patchSize()));
        backend.im2col(WINDOW, x, cols);
        out.add(backend.download(cols));
        DeviceMatrix back = keep(own, backend.allocate(2, WINDOW.imageSize()));
        backend.col2im(WINDOW, cols, back);
        out.add(backend.download(back));
        Pooling p = j % 2 == 0 ? Pooling.MAX : Pooling.AVERAGE;
        DeviceMatrix pooled = keep(own, backend.allocate(2, POOL.positions() * POOL.channels()));
        backend.poolForward(p, POOL, x, pooled);
        backend.poolBackward(p, POOL, x, pooled, back);
        out.add(backend.download(pooled));
        out.add(backend.download(back));
        backend.bernoulli(0.5f, 2f, 77L * j, back);
        backend.scale(3f, back, back);
        out.add(backend.download(back));
        backend.fill(back, j);
        out.add(backend.download(back));
    }

    private DeviceMatrix matrix(Random rnd, List<DeviceMatrix> own, int rows, int cols) {
        return keep(own, backend.upload(random(rnd, rows * cols, -2, 2), rows, cols));
    }

    private static DeviceMatrix keep(List<DeviceMatrix> own, DeviceMatrix m) {
        own.add(m);
        return m;
    }
}
