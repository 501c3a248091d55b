package dev.neurite.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checked-in PTX is what nvcc makes of the current sources, and it assembles for the
 * GPU generations we target with no register spills in the matrix multiply.
 */
class PtxTest {

    @Test
    void checkedInPtxMatchesTheSources(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("nvcc"), "nvcc is not on the PATH; the checked-in PTX is used as is");
        Path cu = dir.resolve("neurite.cu");
        Files.writeString(cu, KernelSources.cudaProgram());
        Path ptx = dir.resolve("neurite.ptx");
        String log = run(List.of("nvcc", "-ptx", "-arch=compute_75", "-o", ptx.toString(), cu.toString()));
        // the checked-in file, not the classpath copy, which the build may have regenerated
        Path checkedIn = Path.of("src/main/resources/dev/neurite/kernels", KernelSources.PTX_RESOURCE);
        assertEquals(withoutComments(Files.readString(ptx)), withoutComments(Files.readString(checkedIn)),
                "the checked-in neurite.ptx is stale: run kernels/generate-ptx.sh (nvcc said: " + log + ")");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sm_75", "sm_80", "sm_90"})
    void ptxAssemblesWithoutSpillsInGemm(String arch, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("ptxas"), "ptxas is not on the PATH");
        Path ptx = dir.resolve("neurite.ptx");
        Files.writeString(ptx, KernelSources.ptx());
        String out = run(List.of("ptxas", "-arch=" + arch, "-v", "-o", dir.resolve("neurite.cubin").toString(),
                ptx.toString()));
        int entries = count(KernelSources.ptx(), "\\.entry");
        assertEquals(count(KernelSources.cudaProgram(), "KERNEL void"), entries, "kernels in neurite.ptx");
        assertEquals(entries, count(out, "Compiling entry function"), out);
        Matcher gemm = Pattern.compile("Function properties for gemm\\s+(.*?spill loads)").matcher(out);
        assertTrue(gemm.find(), out);
        assertTrue(gemm.group(1).contains("0 bytes spill stores, 0 bytes spill loads"), gemm.group(1));
    }

    private static String withoutComments(String ptx) {
        StringBuilder sb = new StringBuilder();
        for (String line : ptx.split("\n")) {
            if (!line.startsWith("//")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, fails the test on a non-zero exit, and returns what it printed. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + text);
        return text;
    }
}
