package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendProvider;
import dev.neurite.nn.Network;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars executors in other JVMs need to run Neurite's tasks: where this module, nn-core, the
 * SPI and every backend on the driver's class path came from. A class folder (a build's
 * target/classes, an IDE) is packed into a temporary jar, so the same code path ships classes
 * however the driver was started. spark-submit ships its application jar itself.
 */
final class AppJars {
    private AppJars() {
    }

    static List<String> locate() throws IOException {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : List.of(AppJars.class, Network.class, Backend.class)) {
            sources.add(source(c));
        }
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            sources.add(source(p.getClass()));
        }
        for (String native_ : List.of("org.jocl.CL", "jcuda.driver.JCudaDriver", "jcuda.jcublas.JCublas2")) {
            try {
                sources.add(source(Class.forName(native_, false, AppJars.class.getClassLoader())));
            } catch (ClassNotFoundException absent) {
                // that backend's library is not on this class path; its backend reports itself unavailable
            }
        }
        List<String> jars = new java.util.ArrayList<>();
        for (Path s : sources) {
            jars.add((Files.isDirectory(s) ? pack(s) : s).toUri().toString());
        }
        return jars;
    }

    private static Path source(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot tell where " + c.getName() + " was loaded from", e);
        }
    }

    /** A temporary jar of the class folder {@code dir}, deleted when the JVM exits. */
    private static Path pack(Path dir) throws IOException {
        Path jar = Files.createTempFile("neurite-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
