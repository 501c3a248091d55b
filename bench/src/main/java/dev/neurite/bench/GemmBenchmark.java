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
    /** One shape parameter: sizes and transposes. */
    record Shape(int m, int n, int k, boolean transA, boolean transB) {
        static Shape parse(String spec, String trans) {
            String[] parts = spec.split(":");
            String t = parts.length > 1 ? parts[1] : trans;
            String[] mnk = parts[0].split("x");
            return new Shape(Integer.parseInt(mnk[0]), Integer.parseInt(mnk[1]), Integer.parseInt(mnk[2]),
                    t.charAt(0) == 'T', t.charAt(1) == 'T');
        }
    }

    /**
     * Square sizes 64 to 2048, then the products of the 784-15-10 layers at batch 10 and 128 and
     * of 784-512-512-10 at batch 128: forward x·W (NN), weight gradient xᵀ·dy (TN), input
     * gradient dy·Wᵀ (NT). "MxNxK" is op(A) (M,K) · op(B) (K,N); a ":TN" suffix sets the
     * transposes (else the {@code trans} parameter). {@link NetlibGemmBenchmark} lists the same.
     */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "10x15x784", "784x15x10:TN", "10x784x15:NT", "128x15x784", "784x15x128:TN", "128x784x15:NT",
            "128x512x784", "784x512x128:TN", "128x784x512:NT", "128x512x512", "512x512x128:TN",
            "128x512x512:NT", "128x10x512", "512x10x128:TN", "128x512x10:NT"})
    public String shape;

    @Param({"NN"})
    public String trans;

    @Param({"1", "2"})
    public String threads;

    /**
     * The CPU GEMM variant (option {@code cpu.gemm}: auto, reference, 12x2, 4x2), so that variants
     * are compared in one run; "" keeps the backend's default ({@code -Dneurite.cpu.gemm}, else auto).
     */
    @Param({""})
    public String variant;

    private Backend backend;
    private DeviceMatrix a;
    private DeviceMatrix b;
    private DeviceMatrix c;
    private Transpose ta;
    private Transpose tb;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchBackend.open(threads, variant);
        Shape s = Shape.parse(shape, trans);
        int m = s.m();
        int n = s.n();
        int k = s.k();
        ta = s.transA() ? Transpose.TRANSPOSE : Transpose.NONE;
        tb = s.transB() ? Transpose.TRANSPOSE : Transpose.NONE;
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
