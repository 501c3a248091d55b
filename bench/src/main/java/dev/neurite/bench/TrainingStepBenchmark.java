package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import dev.neurite.nn.Trainer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step at a given batch size of a {@link Preset} model — {@code classic} 784-15-10
 * (sigmoid, quadratic loss, SGD η = 3), {@code mlp-large} 784-512-512-10 (ReLU, softmax CE, Adam)
 * or {@code lenet} (conv 5x5x20, pool, conv 5x5x50, pool, dense 500, softmax CE, Adam): upload the
 * batch, forward, loss gradient, backward, update; run with {@code -prof gc} for the allocation
 * per step. {@code gemmOnly} replays just the matrix multiplies of one such step, on the same
 * matrices, so the share of the step spent outside them is the difference.
 * {@link BenchMain} reports samples/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainingStepBenchmark {
    @Param({"classic"})
    public String model;

    @Param({"10", "128"})
    public int batch;

    @Param({""})
    public String threads;

    private Backend backend;
    private GemmRecorder recorder;
    private Network net;
    private Trainer trainer;
    /** The same model on the recording backend, whose multiplies {@link #gemmOnly} replays. */
    private Network recordedNet;
    private Trainer recordedTrainer;
    private Dataset step;
    private int[] order;
    private List<GemmRecorder.Call> gemms;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        recorder = new GemmRecorder(backend);
        Preset preset = Preset.named(model);
        Shape shape = preset == Preset.LENET ? Shape.image(1, 28, 28) : Shape.flat(784);
        Random rnd = new Random(1);
        float[] x = new float[batch * 784];
        int[] y = new int[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(10);
        }
        step = new Dataset(x, y, shape, 10);
        order = new int[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i;
        }
        // the timed network runs on the backend itself: the recording proxy allocates per call
        net = preset.network(backend, shape, 10, 1);
        trainer = new Trainer(net, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1);
        recordedNet = preset.network(recorder.backend(), shape, 10, 1);
        recordedTrainer = new Trainer(recordedNet, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1);
        gemms = recorder.record(() -> recordedTrainer.step(step, order, 0, batch));
        closeOnce(preset, shape);
    }

    /**
     * Trains and closes a throwaway copy of the model: JMH runs the trial's {@link #tearDown} inside
     * the last measured iteration, and the first close of a network and a trainer links their
     * lambdas and string concatenations, some 200 KB that {@code -prof gc} would otherwise divide
     * among that iteration's steps.
     */
    private void closeOnce(Preset preset, Shape shape) {
        try (Network n = preset.network(backend, shape, 10, 2);
             Trainer t = new Trainer(n, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1)) {
            t.step(step, order, 0, batch);
        }
    }

    @Benchmark
    public void step() {
        trainer.step(step, order, 0, batch);
        backend.finish();
    }

    /** The matrix multiplies of one step alone. */
    @Benchmark
    public void gemmOnly() {
        recorder.replay(gemms);
        backend.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        net.close();
        recordedTrainer.close();
        recordedNet.close();
        backend.close();
    }
}
