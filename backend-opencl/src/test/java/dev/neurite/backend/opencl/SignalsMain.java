package dev.neurite.backend.opencl;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.NativeSignals;
import dev.neurite.backend.Transpose;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Run in a child JVM by {@link OpenClSignalsTest}: the handler of every signal before OpenCL is
 * touched, then after every provider is probed and an OpenCL backend (if any) has built its
 * programs and run; prints "changed" for each that differs, and what was put back.
 */
public final class SignalsMain {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SIGACTION = LINKER.downcallHandle(
            LINKER.defaultLookup().find("sigaction").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private SignalsMain() {
    }

    public static void main(String[] args) throws Throwable {
        long[] before = handlers();
        Backends.describe().forEach(s -> System.out.println("provider " + s));
        if (Backends.describe().stream().anyMatch(s -> s.name().equals("opencl") && s.availability().available())) {
            try (Backend b = Backends.open("opencl")) {
                DeviceMatrix a = b.upload(new float[] {1, 2, 3, 4}, 2, 2);
                DeviceMatrix c = b.allocate(2, 2);
                b.gemm(Transpose.NONE, Transpose.NONE, 1f, a, a, 0f, c);
                System.out.println("opencl ran: " + java.util.Arrays.toString(b.download(c)));
            }
        }
        long[] after = handlers();
        for (int s = 1; s < before.length; s++) {
            if (before[s] != after[s]) {
                System.out.println("changed " + s + ": " + Long.toHexString(before[s]) + " -> " + Long.toHexString(after[s]));
            }
        }
        System.out.println("restored " + NativeSignals.restored());
        System.out.println("done");
    }

    /** The handler (or action) address of signals 1-31, 0 where there is none to read. */
    private static long[] handlers() throws Throwable {
        long[] h = new long[32];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = arena.allocate(256, 16);
            for (int s = 1; s < h.length; s++) {
                if (s != 9 && s != 19 && (int) SIGACTION.invokeExact(s, MemorySegment.NULL, action) == 0) {
                    h[s] = action.get(ValueLayout.JAVA_LONG, 0);
                }
            }
        }
        return h;
    }
}
