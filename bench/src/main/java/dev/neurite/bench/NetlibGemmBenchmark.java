package dev.neurite.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU peer for {@link GemmBenchmark}: SGEMM of the same shapes through
 * {@code dev.ludovic.netlib:blas}, which calls the system BLAS by JNI when {@code libblas.so.3}
 * loads (OpenBLAS on Debian with {@code libopenblas0-pthread}; its threads follow
 * {@code OPENBLAS_NUM_THREADS}) and otherwise falls back to Java. Setup prints which one it got,
 * and {@code -p impl=native} refuses to run on a Java fallback.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class NetlibGemmBenchmark {
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "10x15x784", "784x15x10:TN", "10x784x15:NT", "128x15x784", "784x15x128:TN", "128x784x15:NT",
            "128x512x784", "784x512x128:TN", "128x784x512:NT", "128x512x512", "512x512x128:TN",
            "128x512x512:NT", "128x10x512", "512x10x128:TN", "128x512x10:NT"})
    public String shape;

    /** "native" insists on the JNI path to the system BLAS; "any" takes what netlib picked. */
    @Param({"any"})
    public String impl;

    /**
     * OpenBLAS threads, set through {@code openblas_set_num_threads} so that one JMH run compares
     * both libraries at each thread count ({@code -p threads=1,2}); "" keeps the library's own.
     */
    @Param({""})
    public String threads;

    private BLAS blas;
    private float[] a;
    private float[] b;
    private float[] c;
    private int m;
    private int n;
    private int k;
    private String ta;
    private String tb;

    @Setup(Level.Trial)
    public void setUp() {
        blas = BLAS.getInstance();
        String picked = blas.getClass().getName();
        System.out.println("# netlib BLAS implementation: " + picked);
        if (impl.equals("native") && !picked.contains("JNIBLAS")) {
            throw new IllegalStateException("netlib picked " + picked + ", not the system BLAS (install libopenblas0-pthread)");
        }
        if (!threads.isEmpty()) {
            setOpenBlasThreads(Integer.parseInt(threads));
        }
        printOpenBlasCore();
        GemmBenchmark.Shape s = GemmBenchmark.Shape.parse(shape, "NN");
        m = s.m();
        n = s.n();
        k = s.k();
        ta = s.transA() ? "T" : "N";
        tb = s.transB() ? "T" : "N";
        Random rnd = new Random(1);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
    }

    /** Calls OpenBLAS's own setter in the library netlib loaded; refuses a BLAS that has none. */
    private static void setOpenBlasThreads(int n) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libblas.so.3", Arena.global());
        MemorySegment setter = lib.find("openblas_set_num_threads").orElseThrow(() -> new IllegalStateException(
                "-p threads needs OpenBLAS: libblas.so.3 has no openblas_set_num_threads"));
        try {
            linker.downcallHandle(setter, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)).invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads(" + n + ") failed", e);
        }
        System.out.println("# OpenBLAS threads: " + n);
    }

    /**
     * OpenBLAS picks its kernels by CPU model and falls back to generic SSE3 ones ("Prescott")
     * on a model it does not know; {@code OPENBLAS_CORETYPE} overrides that. The report needs it.
     */
    private static void printOpenBlasCore() {
        SymbolLookup lib = SymbolLookup.libraryLookup("libblas.so.3", Arena.global());
        lib.find("openblas_get_corename").ifPresent(f -> {
            try {
                MemorySegment name = (MemorySegment) Linker.nativeLinker()
                        .downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
                System.out.println("# OpenBLAS core: " + name.reinterpret(64).getString(0));
            } catch (Throwable e) {
                throw new IllegalStateException("openblas_get_corename failed", e);
            }
        });
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /**
     * Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: the same call with the
     * operands swapped. op(A) (m,k), op(B) (k,n) -> C (m,n), all row-major.
     */
    @Benchmark
    public float[] gemm() {
        int lda = ta.equals("N") ? k : m;
        int ldb = tb.equals("N") ? n : k;
        blas.sgemm(tb, ta, n, m, k, 1f, b, ldb, a, lda, 0f, c, n);
        return c;
    }
}
