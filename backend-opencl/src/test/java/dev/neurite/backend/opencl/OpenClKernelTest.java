package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.CustomOp;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.conformance.ConformanceBase;
import dev.neurite.backend.KernelBuildException;
import dev.neurite.backend.Reduction;
import dev.neurite.kernels.KernelSources;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.junit.jupiter.api.Test;

/** The kernel sources agree with the SPI's enums, and a broken kernel reports the compiler log. */
class OpenClKernelTest {

    @Test
    void activationAndReductionCodesMatchTheEnumOrdinals() {
        String elementwise = KernelSources.Family.ELEMENTWISE.source();
        for (Activation.Kind kind : Activation.Kind.values()) {
            assertEquals(kind.ordinal(), define(elementwise, "ACT_" + kind.name()), kind.name());
        }
        for (dev.neurite.backend.Update.Kind kind : dev.neurite.backend.Update.Kind.values()) {
            assertEquals(kind.ordinal(), define(elementwise, "UPD_" + kind.name()), kind.name());
        }
        String reduce = KernelSources.Family.REDUCE.source();
        for (Reduction op : Reduction.values()) {
            assertEquals(op.ordinal(), define(reduce, "RED_" + op.name()), op.name());
        }
    }

    @Test
    void aKernelThatFailsToBuildCarriesTheCompilerLog() {
        Availability a = new OpenClBackendProvider().probe();
        ConformanceBase.assumeAvailable("opencl", a);
        OpenClDevice device = OpenClDiscovery.devices().get(0);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        cl_context context = CL.clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
        cl_command_queue queue = CL.clCreateCommandQueue(context, device.id(), 0, null);
        try {
            KernelBuildException e = assertThrows(KernelBuildException.class, () -> new OpenClProgram(device, context,
                    queue, OpenClProgram.tiling(device, BackendOptions.defaults()),
                    "__kernel void broken(__global float* x) { x[0] = undefined_name; }"));
            assertTrue(e.log().contains("undefined_name"), e.log());
            assertTrue(e.getMessage().contains("compiler log") && e.getMessage().contains(device.name()), e.getMessage());
        } finally {
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }
    }

    @Test
    void aCustomOpWithABadExpressionShowsTheCompilerLog() {
        Availability a = new OpenClBackendProvider().probe();
        ConformanceBase.assumeAvailable("opencl", a);
        try (Backend backend = new OpenClBackendProvider().open(0);
             DeviceMatrix x = backend.allocate(2, 2)) {
            CustomOp bad = new CustomOp("bad_op", "x * no_such_function(x)", v -> v);
            KernelBuildException e = assertThrows(KernelBuildException.class, () -> backend.apply(bad, x, x));
            assertTrue(e.log().contains("no_such_function"), e.log());
            CustomOp twice = new CustomOp("twice", "2.0f * x", v -> 2 * v);
            backend.apply(twice, x, x);
            assertThrows(IllegalArgumentException.class,
                    () -> backend.apply(new CustomOp("twice", "3.0f * x", v -> 3 * v), x, x));
        }
    }

    private static int define(String source, String name) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(source);
        assertTrue(m.find(), name + " is not defined in the kernel source");
        return Integer.parseInt(m.group(1));
    }

}
