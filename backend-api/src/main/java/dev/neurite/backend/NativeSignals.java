package dev.neurite.backend;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * For providers that call into native drivers: keeps the JVM's signal handlers in place.
 *
 * <p>The JVM handles signals itself: SIGSEGV for its null checks and safepoint polls, SIGQUIT for
 * thread dumps, SIGTERM and SIGINT for shutdown hooks, and more. A driver that installs its own
 * handlers takes them from the JVM: pocl's CPU device, on its first device query, installs 15
 * handlers (the JVM's SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGINT, SIGTERM and SIGQUIT among those it
 * replaces, most with LLVM's crash handler), and a JVM that had only probed OpenCL and then
 * trained LeNet on the CPU backend died with SIGSEGV in 4 runs of 12, with no error report.
 * {@link #keep} runs such a call and then puts back every handler the call changed, and says so
 * on the {@code dev.neurite.backend} logger (DEBUG); {@link #restored()} lists them.
 *
 * <p>This narrows the risk rather than removing it: while the call runs, the driver's handlers
 * are in place for every thread, and a handler a driver installs later, outside such a call,
 * stays. The JDK's {@code libjsig}, preloaded ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}),
 * removes it: the JVM then keeps its handlers and passes on to the driver's the signals that are
 * not its own. Where libc's {@code sigaction} cannot be reached (no such function, or native
 * access denied), the call just runs. Signal names are Linux's.
 */
public final class NativeSignals {
    private static final System.Logger LOG = System.getLogger("dev.neurite.backend");
    /** Bytes kept per signal: more than any libc's {@code struct sigaction} (glibc x86-64: 152). */
    private static final long ACTION_BYTES = 256;
    /** Signals 1-31; SIGKILL (9) and SIGSTOP (19) have no handlers. */
    private static final int LAST_SIGNAL = 31;
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    private static final MethodHandle SIGACTION = sigaction();
    private static final List<String> RESTORED = new CopyOnWriteArrayList<>();
    private static final Object LOCK = new Object();

    private NativeSignals() {
    }

    /**
     * Runs {@code call} (which loads or initialises native code for {@code what}, e.g. "opencl")
     * and restores the handler of every signal the call replaced; returns what the call returned.
     */
    public static <T> T keep(String what, Supplier<T> call) {
        if (SIGACTION == null) {
            return call.get();
        }
        synchronized (LOCK) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment before = arena.allocate(ACTION_BYTES * (LAST_SIGNAL + 1), 16);
                boolean[] read = new boolean[LAST_SIGNAL + 1];
                for (int s = 1; s <= LAST_SIGNAL; s++) {
                    read[s] = query(s, before.asSlice(s * ACTION_BYTES, ACTION_BYTES));
                }
                try {
                    return call.get();
                } finally {
                    restore(what, before, read, arena);
                }
            }
        }
    }

    /** Signals whose handlers a driver replaced and {@link #keep} put back, in the order found. */
    public static List<String> restored() {
        return List.copyOf(RESTORED);
    }

    private static void restore(String what, MemorySegment before, boolean[] read, Arena arena) {
        MemorySegment now = arena.allocate(ACTION_BYTES, 16);
        List<String> changed = new ArrayList<>();
        for (int s = 1; s <= LAST_SIGNAL; s++) {
            MemorySegment old = before.asSlice(s * ACTION_BYTES, ACTION_BYTES);
            // the handler's address leads every libc's struct sigaction; the rest holds padding
            // and mask words the kernel does not fill, which differ from one read to the next
            if (read[s] && query(s, now) && now.get(ValueLayout.JAVA_LONG, 0) != old.get(ValueLayout.JAVA_LONG, 0)
                    && set(s, old)) {
                changed.add(NAMES[s]);
            }
        }
        if (!changed.isEmpty()) {
            RESTORED.addAll(changed);
            LOG.log(System.Logger.Level.DEBUG, what + ": the native driver replaced the JVM's handlers of "
                    + String.join(", ", changed) + "; put them back (left to the driver, they crashed the JVM)");
        }
    }

    private static boolean query(int signal, MemorySegment into) {
        if (signal == 9 || signal == 19) {
            return false;
        }
        try {
            return (int) SIGACTION.invokeExact(signal, MemorySegment.NULL, into) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static boolean set(int signal, MemorySegment action) {
        try {
            return (int) SIGACTION.invokeExact(signal, action, MemorySegment.NULL) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** int sigaction(int, const struct sigaction *, struct sigaction *), or null where there is none. */
    private static MethodHandle sigaction() {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> address = linker.defaultLookup().find("sigaction");
            if (address.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "no sigaction in libc: native driver calls run unguarded");
                return null;
            }
            return linker.downcallHandle(address.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot call libc's sigaction (" + e + "): native driver calls run unguarded");
            return null;
        }
    }
}
