package dev.neurite.bench;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
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
 * Reductions of a (1000, 1000) matrix, and two copies as the bandwidth baseline of the same run:
 * plain {@code System.arraycopy} on the heap and the backend's own copy. {@link BenchMain}
 * reports GB/s of bytes read plus written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ReductionBenchmark {
    static final int ROWS = 1000;
    static final int COLS = 1000;

    @Param({""})
    public String threads;

    private Backend backend;
    private DeviceMatrix x;
    private DeviceMatrix y;
    private DeviceMatrix rowOut;
    private DeviceMatrix colOut;
    private DeviceMatrix allOut;
    private float[] hostSrc;
    private float[] hostDst;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        Random rnd = new Random(3);
        hostSrc = new float[ROWS * COLS];
        for (int i = 0; i < hostSrc.length; i++) {
            hostSrc[i] = rnd.nextFloat() * 8 - 4;
        }
        hostDst = new float[hostSrc.length];
        x = backend.upload(hostSrc, ROWS, COLS);
        y = backend.allocate(ROWS, COLS);
        rowOut = backend.allocate(ROWS, 1);
        colOut = backend.allocate(1, COLS);
        allOut = backend.allocate(1, 1);
    }

    /** 8 bytes per element: the heap bandwidth baseline. */
    @Benchmark
    public float[] arrayCopy() {
        System.arraycopy(hostSrc, 0, hostDst, 0, hostSrc.length);
        return hostDst;
    }

    /** 8 bytes per element: the backend's own copy. */
    @Benchmark
    public DeviceMatrix backendCopy() {
        backend.copy(x, y);
        backend.finish();
        return y;
    }

    /** 4 bytes per element. */
    @Benchmark
    public DeviceMatrix sumAll() {
        backend.reduce(Reduction.SUM, Axis.ALL, x, allOut);
        backend.finish();
        return allOut;
    }

    /** 4 bytes per element. */
    @Benchmark
    public DeviceMatrix maxAll() {
        backend.reduce(Reduction.MAX, Axis.ALL, x, allOut);
        backend.finish();
        return allOut;
    }

    /** 4 bytes per element. */
    @Benchmark
    public DeviceMatrix argmaxRows() {
        backend.reduce(Reduction.ARGMAX, Axis.ROW, x, rowOut);
        backend.finish();
        return rowOut;
    }

    /** 4 bytes per element. */
    @Benchmark
    public DeviceMatrix sumColumns() {
        backend.reduce(Reduction.SUM, Axis.COLUMN, x, colOut);
        backend.finish();
        return colOut;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (DeviceMatrix m : new DeviceMatrix[] {x, y, rowOut, colOut, allOut}) {
            m.close();
        }
        backend.close();
    }
}
