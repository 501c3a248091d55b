package dev.neurite.bench;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
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
 * Activations forward and backward on a (1000, 1000) matrix. {@link BenchMain} reports GB/s of
 * bytes read plus written, next to {@link ReductionBenchmark}'s copy baseline of the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ActivationBenchmark {
    static final int ROWS = 1000;
    static final int COLS = 1000;

    @Param({"sigmoid", "relu", "tanh", "gelu", "softmax"})
    public String activation;

    @Param({""})
    public String threads;

    private Backend backend;
    private Activation f;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix dy;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        f = Activation.parse(activation);
        Random rnd = new Random(3);
        float[] host = new float[ROWS * COLS];
        for (int i = 0; i < host.length; i++) {
            host[i] = rnd.nextFloat() * 8 - 4;
        }
        x = backend.upload(host, ROWS, COLS);
        y = backend.allocate(ROWS, COLS);
        dy = backend.upload(host, ROWS, COLS);
        backend.activationForward(f, x, y);
    }

    /** 8 bytes per element: read x, write y. */
    @Benchmark
    public DeviceMatrix activationForward() {
        backend.activationForward(f, x, y);
        backend.finish();
        return y;
    }

    /** 16 bytes per element: read x, y, dy, write dx. */
    @Benchmark
    public DeviceMatrix activationBackward() {
        backend.activationBackward(f, x, y, dy, dy);
        backend.finish();
        return dy;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (DeviceMatrix m : new DeviceMatrix[] {x, y, dy}) {
            m.close();
        }
        backend.close();
    }
}
