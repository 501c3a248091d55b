package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backends;
import dev.neurite.backend.conformance.ConformanceBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, priority and the unavailable paths: no platform, no ICD loader at all, and a CPU device. */
class OpenClProviderTest {
    private static final String NO_PLATFORM = "no OpenCL platform is installed";
    private static final String NO_LIBRARY = "the OpenCL library could not be loaded";

    @Test
    void withoutAnyPlatformTheProviderSaysWhyAndAutoRunsOnTheCpu(@TempDir Path emptyVendors) throws Exception {
        // The ICD loader reads vendor files from OCL_ICD_VENDORS: an empty folder means no platform. On a
        // machine without the loader itself, the library is what is missing, and the reason says that.
        String detail = new OpenClBackendProvider().probe().detail();
        String why = detail.startsWith(NO_LIBRARY) ? NO_LIBRARY : NO_PLATFORM;
        String out = runChild(List.of(), Map.of("OCL_ICD_VENDORS", emptyVendors.toString()));
        assertCpuRunsAndOpenClSays(out, why);
    }

    /**
     * The machine without an ICD loader, reproduced: the child JVM runs in a private mount namespace
     * where every {@code libOpenCL.so.1} the dynamic linker knows is /dev/null, so loading it fails
     * as on a machine that never installed it. Needs {@code unshare} and the right to mount.
     */
    @Test
    void withoutTheIcdLoaderTheProviderSaysSoAndAutoRunsOnTheCpu() throws Exception {
        List<String> libraries = loaderCopies();
        Assumptions.assumeFalse(libraries.isEmpty(), "no libOpenCL.so.1 here: the test above meets its absence");
        Assumptions.assumeTrue(canUnshare(), "cannot make a mount namespace here (unshare -m needs root or "
                + "user namespaces), so the loader cannot be hidden");
        List<String> hide = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "for f in " + String.join(" ", libraries) + "; do mount --bind /dev/null \"$f\" || exit 97; done; "
                        + "exec \"$0\" \"$@\""));
        String out = runChild(hide, Map.of());
        assertCpuRunsAndOpenClSays(out, NO_LIBRARY);
        assertTrue(out.contains("install an OpenCL ICD loader (libOpenCL.so.1"), out);
    }

    @Test
    void aCpuDeviceRanksBelowTheCpuBackendButCanBeAskedFor() {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        Availability a = provider.probe();
        ConformanceBase.assumeAvailable("opencl", a);
        assertTrue(a.detail().contains("compute units") && a.detail().contains("max work-group"), a.detail());
        if (!a.detail().contains("GPU")) {
            assertEquals(50, provider.priority());
            Backends.Selection auto = Backends.select("auto");
            assertEquals("cpu", auto.provider().name(), auto.explanation());
            assertTrue(auto.explanation().contains("skipped opencl: lower priority (50)"), auto.explanation());
        }
        assertEquals("opencl", Backends.select("opencl:0").provider().name());
    }

    private static void assertCpuRunsAndOpenClSays(String out, String why) {
        assertTrue(out.contains("provider opencl (priority 50): unavailable: " + why), out);
        assertTrue(out.contains("auto neurite: auto chose cpu"), out);
        assertTrue(out.contains("skipped opencl: unavailable: " + why), out);
        assertTrue(out.contains("opened cpu"), out);
        assertTrue(out.contains("explicit refused: backend 'opencl' is unavailable: " + why), out);
    }

    /** Every path of libOpenCL.so.1 in the dynamic linker's cache, with symbolic links resolved. */
    private static List<String> loaderCopies() throws IOException, InterruptedException {
        List<String> found = new ArrayList<>();
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
            String cache = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            for (String line : cache.lines().toList()) {
                int arrow = line.indexOf("=> ");
                if (line.trim().startsWith("libOpenCL.so.1 ") && arrow > 0) {
                    String real = Path.of(line.substring(arrow + 3).trim()).toRealPath().toString();
                    if (!found.contains(real)) {
                        found.add(real);
                    }
                }
            }
            break;
        }
        return found;
    }

    private static boolean canUnshare() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException noUnshare) {
            return false;
        }
    }

    /** Runs {@link ProbeMain} in a child JVM started through {@code prefix}, with {@code env} added. */
    private static String runChild(List<String> prefix, Map<String, String> env) throws IOException, InterruptedException {
        return ChildJvm.run(ProbeMain.class, prefix, env, 60);
    }
}
