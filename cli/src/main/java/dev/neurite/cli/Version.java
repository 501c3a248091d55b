package dev.neurite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What {@code neurite --version} prints: Neurite's version and the JVM it runs on. */
final class Version {

    private Version() {
    }

    /** The version the build wrote into version.properties. */
    static String neurite() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the neurite jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("reading version.properties", e);
        }
    }

    /** "neurite VERSION" then "Java VERSION (VENDOR VM) at JAVA_HOME". */
    static String text() {
        return "neurite " + neurite() + "\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home") + "\n";
    }
}
