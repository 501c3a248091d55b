package dev.neurite.bench;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Update;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Init;
import dev.neurite.nn.Loss;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Trainer;
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
 * One training step at a given batch size, of {@code classic} 784-15-10 (sigmoid, quadratic
 * loss, SGD η = 3) or {@code mlp-large} 784-512-512-10 (ReLU, softmax cross-entropy, Adam): upload
 * the batch, forward, loss gradient, backward, update; run with {@code -prof gc} for the
 * allocation per step.
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
    private Network net;
    private Trainer trainer;
    private Dataset step;
    private int[] order;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        Random rnd = new Random(1);
        float[] x = new float[batch * 784];
        int[] y = new int[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(10);
        }
        step = new Dataset(x, y, 784, 10);
        order = new int[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i;
        }
        if (model.equals("mlp-large")) {
            net = Network.builder(784).dense(512, Init.HE, Activation.RELU).dense(512, Init.HE, Activation.RELU)
                    .dense(10, Init.HE).build(backend, 1);
            trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.of(Update.Kind.ADAM, 0.001f), batch, 1);
        } else if (model.equals("classic")) {
            net = Network.builder(784).dense(15, Init.NORMAL, Activation.SIGMOID)
                    .dense(10, Init.NORMAL, Activation.SIGMOID).build(backend, 1);
            trainer = new Trainer(net, Loss.QUADRATIC, Optimizer.sgd(3f), batch, 1);
        } else {
            throw new IllegalArgumentException("model must be classic or mlp-large, got " + model);
        }
    }

    @Benchmark
    public void step() {
        trainer.step(step, order, 0, batch);
        backend.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        net.close();
        backend.close();
    }
}
