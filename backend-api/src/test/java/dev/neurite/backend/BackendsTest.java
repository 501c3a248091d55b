package dev.neurite.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The selection rules of {@link Backends}, on fake providers. */
class BackendsTest {

    /** A provider whose probe answers as told and counts its calls. */
    static final class FakeProvider implements BackendProvider {
        final String name;
        final int priority;
        final Availability availability;
        final int devices;
        int probes;

        FakeProvider(String name, int priority, Availability availability, int devices) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
            this.devices = devices;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability probe() {
            probes++;
            if (availability == null) {
                throw new UnsatisfiedLinkError("libfake.so: cannot open shared object file");
            }
            return availability;
        }

        @Override
        public int deviceCount() {
            return devices;
        }

        @Override
        public Backend open(int deviceIndex, BackendOptions options) {
            throw new UnsupportedOperationException("fake providers are never opened in these tests");
        }
    }

    private final FakeProvider cpu = new FakeProvider("cpu", 100, Availability.available("2 threads"), 1);
    private final FakeProvider cuda = new FakeProvider("cuda", 300,
            Availability.unavailable("libcuda.so.1 not found"), 0);
    private final FakeProvider opencl = new FakeProvider("opencl", 50, Availability.available("pocl CPU"), 2);
    private final List<Backends.ProviderStatus> all = Backends.probeAll(List.of(cpu, cuda, opencl));

    @Test
    void providersAreProbedOnceAndSortedByPriority() {
        assertEquals(List.of("cuda", "cpu", "opencl"), all.stream().map(Backends.ProviderStatus::name).toList());
        Backends.select(all, "auto");
        Backends.select(all, "cpu");
        assertEquals(1, cpu.probes);
        assertEquals(1, cuda.probes);
    }

    @Test
    void autoPicksTheHighestAvailableAndSaysWhyOthersWereSkipped() {
        Backends.Selection s = Backends.select(all, "auto");
        assertEquals("cpu", s.provider().name());
        assertTrue(s.explanation().contains("auto chose cpu"), s.explanation());
        assertTrue(s.explanation().contains("skipped cuda: unavailable: libcuda.so.1 not found"), s.explanation());
        assertTrue(s.explanation().contains("skipped opencl: lower priority"), s.explanation());
    }

    @Test
    void explicitRequestForAnUnavailableBackendFailsWithTheReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(all, "cuda"));
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e.getMessage());
    }

    @Test
    void unknownBackendListsTheKnownOnes() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(all, "tpu"));
        assertTrue(e.getMessage().contains("unknown backend 'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("cuda, cpu, opencl"), e.getMessage());
    }

    @Test
    void deviceIndexIsParsedAndChecked() {
        Backends.Selection s = Backends.select(all, "OpenCL:1");
        assertEquals("opencl", s.provider().name());
        assertEquals(1, s.deviceIndex());
        assertThrows(BackendUnavailableException.class, () -> Backends.select(all, "opencl:2"));
        assertThrows(BackendUnavailableException.class, () -> Backends.select(all, "opencl:x"));
    }

    @Test
    void theDeviceComesFromTheRequestOrTheOptionsAndBothMustAgree() {
        BackendOptions one = BackendOptions.builder().device(1).build();
        assertEquals(1, Backends.select(all, "opencl", one).deviceIndex());
        assertEquals(1, Backends.select(all, "opencl:1", one).deviceIndex());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.select(all, "opencl:0", one));
        assertTrue(e.getMessage().contains("'opencl:0'") && e.getMessage().contains("option device is 1"),
                e.getMessage());
        BackendUnavailableException none = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(all, "auto", one));
        assertTrue(none.getMessage().contains("backend 'cpu' has 1 device(s)"), none.getMessage());
    }

    @Test
    void aProbeThatThrowsBecomesTheReason() {
        FakeProvider broken = new FakeProvider("broken", 500, null, 1);
        List<Backends.ProviderStatus> withBroken = Backends.probeAll(List.of(broken, cpu));
        assertFalse(withBroken.get(0).availability().available());
        assertTrue(withBroken.get(0).availability().detail().contains("libfake.so"));
        assertEquals("cpu", Backends.select(withBroken, "auto").provider().name());
    }

    @Test
    void nothingAvailableIsAClearError() {
        List<Backends.ProviderStatus> none = Backends.probeAll(List.of(cuda));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(none, "auto"));
        assertTrue(e.getMessage().contains("no backend is available"), e.getMessage());
    }

    @Test
    void requestComesFromThePropertyFirst() {
        String before = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, "opencl:1");
            assertEquals("opencl:1", Backends.requested());
            System.setProperty(Backends.PROPERTY, " ");
            assertEquals(System.getenv(Backends.ENV) == null ? "auto" : System.getenv(Backends.ENV).trim(),
                    Backends.requested());
        } finally {
            if (before == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, before);
            }
        }
    }

    @Test
    void activationsParseAsUsersWriteThem() {
        assertEquals(Activation.leakyRelu(0.2f), Activation.parse("Leaky-ReLU:0.2"));
        assertEquals(Activation.elu(1f), Activation.parse("elu"));
        assertEquals(Activation.SIGMOID, Activation.parse("sigmoid"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("binary-step"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Activation(Activation.Kind.RELU, 1f));
    }
}
