import dev.neurite.kernels.KernelSources;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A build step of the kernels module, run by exec-maven-plugin as a single-file program so the
 * build needs no shell and works the same under mvnw and mvnw.cmd. With nvcc on the PATH it
 * compiles the CUDA dialect of the kernel sources to PTX over the checked-in copy in
 * target/classes; without nvcc the checked-in PTX ships as is.
 *
 * <p>Arguments: the directory for the intermediate {@code neurite.cu}, and the PTX file to write.
 */
public class PtxBuild {

    public static void main(String[] args) throws IOException, InterruptedException {
        Path work = Path.of(args[0]);
        Path ptx = Path.of(args[1]);
        Optional<Path> nvcc = onPath("nvcc");
        if (nvcc.isEmpty()) {
            System.out.println("nvcc not found: shipping the checked-in PTX");
            return;
        }
        Path cu = work.resolve("neurite.cu");
        Files.writeString(cu, KernelSources.cudaProgram());
        run(List.of(nvcc.get().toString(), "-ptx", "-arch=compute_75", "-o", ptx.toString(), cu.toString()));
        List<String> version = run(List.of(nvcc.get().toString(), "--version"));
        System.out.println("PTX built by " + (version.isEmpty() ? "nvcc" : version.get(version.size() - 1)));
    }

    /** Runs the command; its output lines, or exit status 1 with the output when it fails. */
    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0) {
            System.err.println(String.join(" ", command) + " failed:");
            lines.forEach(System.err::println);
            System.exit(1);
        }
        return lines;
    }

    private static Optional<Path> onPath(String tool) {
        List<String> names = new ArrayList<>(List.of(tool));
        if (File.separatorChar == '\\') {
            names.add(tool + ".exe");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
