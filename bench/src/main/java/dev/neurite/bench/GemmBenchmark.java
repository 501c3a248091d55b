package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
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
 * C = op(A) · op(B): op(A) (M,K) · op(B) (K,N) -> C (M,N), shape given as "MxNxK" with the
 * transposes as "NN", "TN", "NT", "TT". {@link BenchMain} turns the time into GFLOP/s (2·M·N·K).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    @Param({"1024x1024x1024", "128x15x784", "10x15x784"})
    public String shape;

    @Param({"NN"})
    public String trans;

    @Param({"1", "2"})
    public String threads;

    private Backend backend;
    private DeviceMatrix a;
    private DeviceMatrix b;
    private DeviceMatrix c;
    private Transpose ta;
    private Transpose tb;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads);
        String[] mnk = shape.split("x");
        int m = Integer.parseInt(mnk[0]);
        int n = Integer.parseInt(mnk[1]);
        int k = Integer.parseInt(mnk[2]);
        ta = trans.charAt(0) == 'T' ? Transpose.TRANSPOSE : Transpose.NONE;
        tb = trans.charAt(1) == 'T' ? Transpose.TRANSPOSE : Transpose.NONE;
        Random rnd = new Random(1);
        a = ta == Transpose.NONE ? random(rnd, m, k) : random(rnd, k, m);
        b = tb == Transpose.NONE ? random(rnd, k, n) : random(rnd, n, k);
        c = backend.allocate(m, n);
    }

    private DeviceMatrix random(Random rnd, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return backend.upload(x, rows, cols);
    }

    @Benchmark
    public DeviceMatrix gemm() {
        backend.gemm(ta, tb, 1f, a, b, 0f, c);
        backend.finish();
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        backend.close();
    }
}
