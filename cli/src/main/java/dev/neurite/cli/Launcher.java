package dev.neurite.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that any JVM can run it: it checks the JVM is
 * Java 25 or newer and has the Vector API module, says plainly what is missing if not, and
 * otherwise hands over to {@link Main}. (Main itself, built for 25, would fail on an older JVM
 * with a bare UnsupportedClassVersionError.) Only Java 8 API here.
 */
public final class Launcher {
    static final int REQUIRED = 25;
    static final String FLAGS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    private Launcher() {
    }

    /** Checks the JVM, then runs {@link Main#main}. */
    public static void main(String[] args) throws Throwable {
        int feature = feature(System.getProperty("java.specification.version", "0"));
        if (feature < REQUIRED) {
            System.err.println("neurite needs Java " + REQUIRED + " or newer; this is Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ").");
            System.err.println("Run it with a JDK " + REQUIRED + ": JAVA_HOME=/path/to/jdk-" + REQUIRED
                    + " ./neurite ..., or /path/to/jdk-" + REQUIRED + "/bin/java " + FLAGS + " -jar neurite.jar ...");
            System.exit(1);
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector", false, Launcher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            System.err.println("neurite needs the Vector API module, which the JVM loads only when asked: run java "
                    + FLAGS + " -jar neurite.jar ...");
            System.exit(1);
        }
        try {
            Class.forName("dev.neurite.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The feature release from java.specification.version: "1.8" -> 8, "25" -> 25. */
    static int feature(String specification) {
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
    }
}
