package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.blast.CLBlast;
import org.jocl.blast.CLBlastLayout;
import org.jocl.blast.CLBlastTranspose;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
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
 * Square SGEMM on OpenCL device 0: Neurite's tiled kernel next to CLBlast (JOCLBlast, which
 * bundles libclblast) on the same device in the same run. C (n,n) = A (n,n) · B (n,n); both
 * wait for the queue to drain, so the times are kernel times. GFLOP/s = 2n³ / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class OpenClGemmBenchmark {
    @Param({"1024"})
    public int size;

    private Backend backend;
    private DeviceMatrix a;
    private DeviceMatrix b;
    private DeviceMatrix c;
    private cl_context context;
    private cl_command_queue queue;
    private cl_mem blastA;
    private cl_mem blastB;
    private cl_mem blastC;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.open("opencl:0");
        if (!backend.name().equals("opencl")) {
            throw new IllegalStateException("asked for opencl but " + backend.name() + " opened");
        }
        System.err.println("# backend: " + backend.device());
        float[] x = random(size * size, 1);
        float[] y = random(size * size, 2);
        a = backend.upload(x, size, size);
        b = backend.upload(y, size, size);
        c = backend.allocate(size, size);

        CL.setExceptionsEnabled(true);
        CLBlast.setExceptionsEnabled(true);
        cl_platform_id[] platforms = new cl_platform_id[1];
        CL.clGetPlatformIDs(1, platforms, null);
        cl_device_id[] devices = new cl_device_id[1];
        CL.clGetDeviceIDs(platforms[0], CL.CL_DEVICE_TYPE_ALL, 1, devices, null);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, platforms[0]);
        context = CL.clCreateContext(props, 1, devices, null, null, null);
        queue = CL.clCreateCommandQueue(context, devices[0], 0, null);
        long bytes = (long) size * size * Sizeof.cl_float;
        blastA = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR, bytes, Pointer.to(x), null);
        blastB = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR, bytes, Pointer.to(y), null);
        blastC = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
    }

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Benchmark
    public void neurite() {
        backend.gemm(Transpose.NONE, Transpose.NONE, 1f, a, b, 0f, c);
        backend.finish();
    }

    @Benchmark
    public void clblast() {
        CLBlast.CLBlastSgemm(CLBlastLayout.CLBlastLayoutRowMajor, CLBlastTranspose.CLBlastTransposeNo,
                CLBlastTranspose.CLBlastTransposeNo, size, size, size, 1f, blastA, 0, size, blastB, 0, size, 0f,
                blastC, 0, size, queue, null);
        CL.clFinish(queue);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        backend.close();
        CL.clReleaseMemObject(blastA);
        CL.clReleaseMemObject(blastB);
        CL.clReleaseMemObject(blastC);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
