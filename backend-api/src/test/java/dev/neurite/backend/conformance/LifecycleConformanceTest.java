package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.AbstractBackend;
import dev.neurite.backend.Activation;
import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Transpose;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Memory: upload/download round trips, zero-filled allocation, close, ownership. */
class LifecycleConformanceTest extends ConformanceBase {

    @Test
    void uploadDownloadRoundTripsAndAllocateIsZero() {
        float[] host = {1, -2, 3.5f, Float.MAX_VALUE, Float.MIN_VALUE, -0f};
        DeviceMatrix m = up(host, 2, 3);
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(host, backend.download(m));
        float[] again = {6, 5, 4, 3, 2, 1};
        backend.upload(again, m);
        float[] larger = new float[8];
        backend.download(m, larger);
        assertArrayEquals(again, java.util.Arrays.copyOf(larger, 6));
        assertArrayEquals(new float[12], backend.download(zeros(4, 3)));
    }

    @Test
    void hostArrayOfTheWrongLengthIsRejected() {
        DeviceMatrix m = zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.upload(new float[5], m));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.download(m, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(-1, 3));
    }

    @Test
    void aViewSharesMemoryUnderAnotherShapeAndEndsWithItsBase() {
        float[] values = {1, 2, 3, 4, 5, 6};
        DeviceMatrix base = backend.upload(values, 2, 3);
        DeviceMatrix view = backend.view(base, 3, 2);
        assertEquals(3, view.rows());
        assertArrayEquals(values, backend.download(view));
        // an op on the view writes the base's memory
        backend.scale(2f, view, view);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, backend.download(base));
        DeviceMatrix ofView = backend.view(view, 1, 6);
        assertTrue(ofView.isView());
        view.close();
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, backend.download(ofView), "closing a view frees nothing");
        base.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.download(ofView));
        assertTrue(e.getMessage().contains("base was closed"), e.getMessage());
        DeviceMatrix other = track(backend.allocate(2, 3));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> backend.view(other, 4, 2));
        assertTrue(bad.getMessage().contains("2x3") && bad.getMessage().contains("4x2"), bad.getMessage());
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        DeviceMatrix m = backend.allocate(3, 3);
        DeviceMatrix other = zeros(3, 3);
        m.close();
        m.close();
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> backend.download(m));
        assertThrows(IllegalStateException.class, () -> backend.upload(new float[9], m));
        assertThrows(IllegalStateException.class,
                () -> backend.gemm(Transpose.NONE, Transpose.NONE, 1f, m, other, 0f, zeros(3, 3)));
        assertThrows(IllegalStateException.class, () -> backend.activationForward(Activation.RELU, m, other));
        assertThrows(IllegalStateException.class, () -> backend.add(other, m, other));
        assertThrows(IllegalStateException.class, () -> backend.fill(m, 1f));
        assertThrows(IllegalStateException.class, () -> backend.reduce(Reduction.SUM, Axis.ALL, m, zeros(1, 1)));
        assertFalse(other.isClosed());
    }

    @Test
    void closingTheBackendFreesTheMatricesItStillOwns() {
        Backend second = openUnderTest();
        AbstractBackend counted = assertInstanceOf(AbstractBackend.class, second, "backends extend AbstractBackend");
        assertEquals(0, counted.liveMatrices());
        List<DeviceMatrix> kept = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            kept.add(second.allocate(64, 64 + i));
        }
        DeviceMatrix view = second.view(kept.get(0), 1, 64 * 64);
        kept.get(4).close();
        assertEquals(4, counted.liveMatrices(), "views do not count, closed matrices no longer do");
        assertThrows(IllegalArgumentException.class, () -> second.upload(new float[5], 2, 3));
        assertEquals(4, counted.liveMatrices(), "an upload of the wrong length frees the matrix it made");
        second.close();
        assertEquals(0, counted.liveMatrices());
        for (DeviceMatrix m : kept) {
            assertTrue(m.isClosed(), m.toString());
            m.close();
        }
        assertTrue(view.isClosed(), "a view ends with its base");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.download(view));
        assertTrue(e.getMessage().contains("backend is closed"), e.getMessage());
    }

    @Test
    void anOptionTheBackendDoesNotUnderstandIsRefusedByName() {
        String spec = System.getProperty(PROPERTY);
        BackendOptions unknown = BackendOptions.builder().set(backendName + ".nosuchoption", "1").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open(spec, unknown));
        assertTrue(e.getMessage().contains("'" + backendName + "'") && e.getMessage().contains(backendName
                + ".nosuchoption"), e.getMessage());
        BackendOptions others = BackendOptions.builder().set("elsewhere.threads", "1").build();
        try (Backend b = Backends.open(spec, others)) {
            assertEquals(backendName, b.name(), "options of other backends are left to them");
        }
    }

    @Test
    void closedBackendRefusesWorkAndForeignMatricesAreRejected() {
        try (Backend second = openUnderTest()) {
            DeviceMatrix foreign = second.allocate(2, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.add(zeros(2, 2), foreign, zeros(2, 2)));
            assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
            foreign.close();
        }
        Backend third = openUnderTest();
        DeviceMatrix m = third.allocate(2, 2);
        third.close();
        third.close();
        assertThrows(IllegalStateException.class, () -> third.allocate(1, 1));
        assertThrows(IllegalStateException.class, () -> third.fill(m, 1f));
    }
}
