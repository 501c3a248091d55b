package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.Update;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A training step on the CPU allocates nothing once it runs compiled: no objects per step on the
 * calling thread (HotSpot's count of the bytes it allocated) for each kind of step the presets
 * take: sigmoid layers with quadratic loss and plain descent (classic), ReLU layers with softmax
 * cross-entropy and Adam, split across two threads (mlp-large), and convolution with pooling
 * (LeNet), in small sizes so that thousands of steps take seconds.
 *
 * <p>Zero depends on the JIT: the Vector API boxes every vector until C2 compiles the kernels,
 * and some of the step's short-lived objects (the array of a varargs shape check) only vanish by
 * C2's escape analysis. So the test steps in rounds and passes at the first round whose steps
 * allocated at most {@value #TOLERANCE} B each, within {@value #BUDGET_SECONDS} s; a step that
 * allocates an object (16 B at the least) fails every round, so it fails the test. It skips on a
 * JVM without C2 (interpreter only, or C1 only).
 */
class SteadyStateAllocationTest {
    private static final int ROUND = 200;
    /** Bytes a step may average over a round: a compilation the step requests resolves string constants once. */
    private static final double TOLERANCE = 2;
    private static final int BUDGET_SECONDS = 60;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeEach
    void needsC2() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(vm != null, "needs HotSpot's per-thread allocation counts");
        assumeTrue(Boolean.parseBoolean(vm.getVMOption("UseCompiler").getValue()), "JIT off (-Xint): steps allocate until C2 compiles them");
        assumeTrue(Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4,
                "C2 off (TieredStopAtLevel < 4): steps allocate until C2 compiles them");
        assumeFalse(Boolean.getBoolean("jazzer.hooks"), "fuzzing build: the instrumented classes are not the ones users run");
    }

    @Test
    void sigmoidQuadraticDescentStepAllocatesNothing() {
        try (Backend backend = Backends.open("cpu", BackendOptions.builder().set(BackendOptions.CPU_THREADS, "1").build())) {
            Shape in = Shape.flat(64);
            Network.Builder b = Network.builder(in).dense(15, Init.NORMAL, Activation.SIGMOID)
                    .dense(10, Init.NORMAL, Activation.SIGMOID);
            assertNoAllocation("sigmoid 64-15-10, quadratic, SGD, batch 10", backend, in, b, Loss.QUADRATIC,
                    Optimizer.sgd(3f), 10);
        }
    }

    @Test
    void reluSoftmaxAdamStepSplitAcrossThreadsAllocatesNothing() {
        // 64x2048 outputs and a 16x2048 weight are big enough that activations, the update and the
        // multiplies split across both threads
        try (Backend backend = Backends.open("cpu", BackendOptions.builder().set(BackendOptions.CPU_THREADS, "2").build())) {
            Shape in = Shape.flat(16);
            Network.Builder b = Network.builder(in).dense(2048, Init.HE, Activation.RELU).dense(10, Init.XAVIER);
            assertNoAllocation("ReLU 16-2048-10, softmax CE, Adam, batch 64, 2 threads", backend, in, b,
                    Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 1e-3f), 64);
        }
    }

    @Test
    void convolutionPoolingAdamStepAllocatesNothing() {
        try (Backend backend = Backends.open("cpu", BackendOptions.builder().set(BackendOptions.CPU_THREADS, "1").build())) {
            Shape in = Shape.image(1, 12, 12);
            Network.Builder b = Network.builder(in).conv(4, 3, Init.HE).activation(Activation.RELU).maxPool(2).flatten()
                    .dense(10, Init.XAVIER);
            assertNoAllocation("conv 3x3x4, ReLU, max-pool 2, dense, softmax CE, Adam, batch 16", backend, in, b,
                    Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 1e-3f), 16);
        }
    }

    private void assertNoAllocation(String what, Backend backend, Shape in, Network.Builder builder, Loss loss,
                                    Optimizer optimizer, int batch) {
        Dataset data = random(in, batch * 8);
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        try (Network net = builder.build(backend, 1);
             Trainer trainer = new Trainer(net, loss, optimizer, batch, 1)) {
            List<String> rounds = new ArrayList<>();
            long end = System.nanoTime() + BUDGET_SECONDS * 1_000_000_000L;
            int step = 0;
            while (System.nanoTime() < end) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int s = 0; s < ROUND; s++, step++) {
                    int from = step * batch % data.rows();
                    trainer.step(data, order, from, from + batch);
                }
                double perStep = (threads.getCurrentThreadAllocatedBytes() - before) / (double) ROUND;
                if (perStep <= TOLERANCE) {
                    return;
                }
                rounds.add(String.format(Locale.ROOT, "%.1f", perStep));
            }
            List<String> last = rounds.subList(Math.max(0, rounds.size() - 8), rounds.size());
            fail(what + ": every round of " + ROUND + " steps allocated more than " + TOLERANCE + " B a step in "
                    + BUDGET_SECONDS + " s (" + step + " steps); B/step in the last rounds: " + String.join(", ", last));
        }
    }

    /** Random samples of {@code shape} in [0, 1), with random labels of 10 classes. */
    private static Dataset random(Shape shape, int rows) {
        Random rnd = new Random(7);
        float[] x = new float[rows * shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        return new Dataset(x, rnd.ints(rows, 0, 10).toArray(), shape, 10);
    }
}
