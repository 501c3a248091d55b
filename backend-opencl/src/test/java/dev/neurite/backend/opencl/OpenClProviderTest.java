package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, priority and the unavailable path, with and without an OpenCL platform. */
class OpenClProviderTest {

    @Test
    void withoutAnyPlatformTheProviderSaysWhyAndAutoRunsOnTheCpu(@TempDir Path emptyVendors) throws Exception {
        // The ICD loader reads vendor files from OCL_ICD_VENDORS: an empty folder means no platform.
        String out = runChild(emptyVendors);
        assertTrue(out.contains("provider opencl (priority 50): unavailable: no OpenCL platform is installed"), out);
        assertTrue(out.contains("auto neurite: auto chose cpu"), out);
        assertTrue(out.contains("skipped opencl: unavailable: no OpenCL platform"), out);
        assertTrue(out.contains("opened cpu"), out);
        assertTrue(out.contains("explicit refused: backend 'opencl' is unavailable: no OpenCL platform"), out);
    }

    @Test
    void aCpuDeviceRanksBelowTheCpuBackendButCanBeAskedFor() {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        Availability a = provider.probe();
        Assumptions.assumeTrue(a.available(), "no OpenCL here: " + a.detail());
        assertTrue(a.detail().contains("compute units") && a.detail().contains("max work-group"), a.detail());
        if (!a.detail().contains("GPU")) {
            assertEquals(50, provider.priority());
            Backends.Selection auto = Backends.select("auto");
            assertEquals("cpu", auto.provider().name(), auto.explanation());
            assertTrue(auto.explanation().contains("skipped opencl: lower priority (50)"), auto.explanation());
        }
        assertEquals("opencl", Backends.select("opencl:0").provider().name());
    }

    private static String runChild(Path vendors) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ProbeMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
        pb.environment().remove("NEURITE_BACKEND");
        Path log = Files.createTempFile("probe", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
