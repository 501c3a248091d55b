package dev.neurite.cli;

import dev.neurite.nn.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work, that a file a command will write ({@code --save}, {@code --checkpoint},
 * {@code --plot}, {@code --metrics}, {@code --out}) can be written: its folder exists and takes a
 * new file (tried by creating and removing one), and the path is not a folder. Training for an
 * hour and then failing to save is what this prevents.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Throws IOException naming {@code flag}, the file and the reason when {@code file} cannot be written. */
    static void check(String flag, Path file) throws IOException {
        String where = "--" + flag + " " + file + ": ";
        if (Files.isDirectory(file)) {
            throw new IOException(where + "is a folder; give a file name in it");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException(where + "cannot be written: the folder " + parent + " does not exist");
        }
        try {
            Files.delete(Files.createTempFile(parent, ".neurite-write-check", ".tmp"));
        } catch (IOException e) {
            throw new IOException(where + "cannot be written: the folder " + parent + " does not take new files ("
                    + e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(java.util.Locale.ROOT) + ")", e);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code file} atomically ({@link AtomicFile}: a new file takes the user's umask). */
    static void replace(Path file, String text) throws IOException {
        AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks a file a command reads ({@code --model}, {@code --resume}): there, and not a folder. */
    static void checkReadable(String flag, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("--" + flag + " " + file + ": is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new IOException("--" + flag + " " + file + ": no such file (it does not exist)");
        }
    }
}
