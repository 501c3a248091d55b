package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Update;
import java.util.Locale;
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
 * One fused optimizer update of a 784x512 weight matrix (the first layer of 784-512-512-10):
 * θ, g and the rule's state read, θ and the state written. {@link BenchMain} reports GB/s of the
 * bytes the rule touches (θ, g and its states read, θ and its states written).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class UpdateBenchmark {
    static final int ROWS = 784;
    static final int COLS = 512;

    @Param({"momentum", "rmsprop", "adam", "amsgrad"})
    public String rule;

    @Param({""})
    public String threads;

    private Backend backend;
    private Update update;
    private DeviceMatrix theta;
    private DeviceMatrix grad;
    private DeviceMatrix[] state = new DeviceMatrix[3];

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        Update.Kind kind = Update.Kind.valueOf(rule.toUpperCase(Locale.ROOT));
        update = new Update(kind, 0.9f, 0.999f, 1e-8f);
        Random rnd = new Random(5);
        float[] host = new float[ROWS * COLS];
        for (int i = 0; i < host.length; i++) {
            host[i] = rnd.nextFloat() - 0.5f;
        }
        theta = backend.upload(host, ROWS, COLS);
        grad = backend.upload(host, ROWS, COLS);
        for (int s = 0; s < 3; s++) {
            state[s] = backend.allocate(ROWS, COLS);
        }
    }

    /** Bytes one update moves: θ and g read, θ written, each state read and written. */
    static double bytes(String rule) {
        int states = Update.Kind.valueOf(rule.toUpperCase(Locale.ROOT)).states();
        return (3.0 + 2 * states) * ROWS * COLS * Float.BYTES;
    }

    @Benchmark
    public void update() {
        backend.update(update, 1e-3f, 1, theta, grad, state[0], state[1], state[2]);
        backend.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }
}
