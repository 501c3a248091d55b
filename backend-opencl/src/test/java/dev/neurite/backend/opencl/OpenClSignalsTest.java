package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.conformance.ConformanceBase;
import java.io.IOException;
import java.lang.foreign.Linker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM keeps its signal handlers through OpenCL discovery, context creation and program builds.
 * pocl's first device query gives SIGSEGV, SIGBUS, SIGILL and others to LLVM's crash handler; left
 * there, a JVM that went on to train on the CPU backend died with SIGSEGV in a third of runs. In a
 * fresh child JVM, so that the handlers read before are the JVM's own. Without OpenCL, the check
 * covers the failed probe alone; with {@code -Dneurite.conformance.require=opencl} OpenCL must run.
 */
class OpenClSignalsTest {
    @Test
    void everySignalHandlerIsTheJvmsAgainAfterOpenClRan() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Linker.nativeLinker().defaultLookup().find("sigaction").isPresent(),
                "no sigaction here: signal handlers are not how this platform reports faults");
        String out = ChildJvm.run(SignalsMain.class, List.of(), Map.of(), 120);
        assertTrue(out.contains("done"), out);
        if (ConformanceBase.required("opencl")) {
            assertTrue(out.contains("opencl ran"), out);
        }
        assertFalse(out.contains("changed "), out);
    }
}
