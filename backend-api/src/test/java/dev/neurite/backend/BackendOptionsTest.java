package dev.neurite.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Options as a backend reads them: set values first, system properties as defaults, errors by name. */
class BackendOptionsTest {

    @Test
    void typedSettersNameTheirOptionsAndBuildAnImmutableValue() {
        BackendOptions.Builder b = BackendOptions.builder().cpuThreads(3).cpuGemm("auto").openclGemmTiling(64, 4)
                .openclWorkGroup(128).cudaGemm("kernel").device(1);
        BackendOptions o = b.build();
        assertEquals(Map.of("cpu.threads", "3", "cpu.gemm", "auto", "opencl.gemm.tile", "64", "opencl.gemm.wpt", "4",
                "opencl.workgroup", "128", "cuda.gemm", "kernel", "device", "1"), o.asMap());
        assertEquals(OptionalInt.of(1), o.device());
        b.cpuThreads(5);
        assertEquals("3", o.get("cpu.threads").orElseThrow(), "building again does not change what was built");
        assertEquals(o, o.toBuilder().build());
        assertNotEquals(o, o.toBuilder().cpuThreads(4).build());
        assertEquals("defaults", BackendOptions.defaults().toString());
        assertTrue(o.toString().contains("cpu.threads=3"), o.toString());
        assertThrows(UnsupportedOperationException.class, () -> o.asMap().put("cpu.threads", "9"));
    }

    @Test
    void aSetValueWinsOverThePropertyWhichWinsOverTheDefault() {
        String key = "neurite.test.level";
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            assertNull(BackendOptions.defaults().value("test.level"));
            assertEquals(7, BackendOptions.defaults().integer("test", "test.level", 7, 1));
            System.setProperty(key, "5");
            assertEquals(5, BackendOptions.defaults().integer("test", "test.level", 7, 1));
            BackendOptions set = BackendOptions.builder().set("test.level", "2").build();
            assertEquals(2, set.integer("test", "test.level", 7, 1));
            System.setProperty(key, "zero");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BackendOptions.defaults().integer("test", "test.level", 7, 1));
            assertEquals("backend 'test': option test.level (from -Dneurite.test.level) must be a whole number ≥ 1, "
                    + "got 'zero'", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void badValuesAndUnknownOptionsNameTheOptionAndTheBackend() {
        BackendOptions o = BackendOptions.builder().cpuThreads(0).cpuGemm("fastest").set("cpu.tile", "8").build();
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> o.integer("cpu", BackendOptions.CPU_THREADS, 2, 1));
        assertEquals("backend 'cpu': option cpu.threads must be a whole number ≥ 1, got '0'", threads.getMessage());
        IllegalArgumentException gemm = assertThrows(IllegalArgumentException.class,
                () -> o.choice("cpu", BackendOptions.CPU_GEMM, "auto", List.of("auto", "reference")));
        assertEquals("backend 'cpu': option cpu.gemm must be one of auto, reference, got 'fastest'", gemm.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> o.requireUnderstood("cpu", List.of(BackendOptions.CPU_THREADS, BackendOptions.CPU_GEMM)));
        assertEquals("backend 'cpu' does not understand option cpu.tile; it understands cpu.threads, cpu.gemm",
                unknown.getMessage());
        o.requireUnderstood("opencl", List.of(BackendOptions.OPENCL_GEMM_TILE));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.builder().set("Threads", "2"));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.builder().set("threads", "2"));
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> BackendOptions.builder().device(-1).build().device());
        assertTrue(device.getMessage().contains("option device"), device.getMessage());
    }
}
