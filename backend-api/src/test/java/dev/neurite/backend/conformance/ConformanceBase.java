package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.neurite.backend.Availability;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendUnavailableException;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * Opens the backend under test for a conformance class. A backend module names itself with
 * the system property {@value #PROPERTY} (its pom sets {@code conformance.backend}); when that
 * backend is unavailable here, every test of the class is skipped with the provider's reason (and
 * counted as skipped), unless the backend is listed in {@value #REQUIRE}: then the class fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceBase {
    public static final String PROPERTY = "neurite.conformance.backend";
    /**
     * Backends that must open, comma-separated ({@code -Dneurite.conformance.require=cpu,opencl}):
     * in CI, a device that went missing fails the build instead of skipping its tests.
     */
    public static final String REQUIRE = "neurite.conformance.require";
    /** Unit roundoff of float32. */
    protected static final double U = 0x1p-24;

    protected Backend backend;
    protected String backendName;
    private String skipped;
    private final List<DeviceMatrix> tracked = new ArrayList<>();

    @BeforeAll
    void openBackend() {
        try {
            backend = openUnderTest();
            backendName = backend.name();
        } catch (TestAbortedException e) {
            // Skipped per test below, so that surefire counts every test of the class as skipped.
            skipped = e.getMessage();
        }
    }

    @BeforeEach
    void needsBackend() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void closeMatrices() {
        tracked.forEach(DeviceMatrix::close);
        tracked.clear();
    }

    /** Opens the backend the property names, or skips (fails, when required) the caller with the reason. */
    public static Backend openUnderTest() {
        String spec = System.getProperty(PROPERTY, "").trim();
        Assumptions.assumeFalse(spec.isEmpty(), "no backend under test: set -D" + PROPERTY + "=NAME");
        String expected = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        Backend b;
        try {
            b = Backends.open(spec);
        } catch (BackendUnavailableException e) {
            unavailable(expected, e.getMessage());
            throw e;
        }
        // Assert which backend actually runs: a silent fallback would make the whole suite a lie.
        assertEquals(expected, b.name(), "the conformance suite must run on the backend it names");
        return b;
    }

    /** Skips the caller when {@code availability} says the backend cannot run here; fails it when required. */
    public static void assumeAvailable(String name, Availability availability) {
        if (!availability.available()) {
            unavailable(name, availability.detail());
        }
    }

    /** True when {@value #REQUIRE} lists {@code name}. */
    public static boolean required(String name) {
        for (String r : System.getProperty(REQUIRE, "").split(",")) {
            if (r.trim().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void unavailable(String name, String reason) {
        if (required(name)) {
            fail("backend " + name + " is required here (-D" + REQUIRE + "=" + System.getProperty(REQUIRE)
                    + ") but cannot run: " + reason);
        }
        // Said once a class, so that a skipped suite and its reason show in the build log.
        System.err.println(name + " tests skipped: " + reason);
        Assumptions.abort(name + " is unavailable here: " + reason);
    }

    /** Uploads {@code host} as a rows x cols matrix, closed after the test. */
    protected DeviceMatrix up(float[] host, int rows, int cols) {
        return track(backend.upload(host, rows, cols));
    }

    /** A zero matrix, closed after the test. */
    protected DeviceMatrix zeros(int rows, int cols) {
        return track(backend.allocate(rows, cols));
    }

    protected DeviceMatrix track(DeviceMatrix m) {
        tracked.add(m);
        return m;
    }

    protected static float[] random(Random rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return x;
    }

    /** Asserts |actual - expected| ≤ abs + rel · scale_i at every index, naming the first miss. */
    protected static void assertNear(String what, float[] expected, float[] actual, double[] scale,
                                     double rel, double abs) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = abs + rel * (scale == null ? Math.abs(expected[i]) : scale[i]);
            double err = Math.abs((double) actual[i] - expected[i]);
            if (!(err <= tol)) {
                fail(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]
                        + " (error " + err + " > tolerance " + tol + ")");
            }
        }
    }

    protected static void assertNear(String what, float[] expected, float[] actual, double rel, double abs) {
        assertNear(what, expected, actual, null, rel, abs);
    }
}
