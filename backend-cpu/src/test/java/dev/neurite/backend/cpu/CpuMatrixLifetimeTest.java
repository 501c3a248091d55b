package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * CPU matrices are heap arrays: the backend counts them without keeping dropped ones alive, and
 * closing it frees those still open, saying how many at DEBUG.
 */
class CpuMatrixLifetimeTest {

    @Test
    void aDroppedMatrixIsCollectedAndStopsCounting() throws InterruptedException {
        try (CpuBackend backend = (CpuBackend) Backends.open("cpu")) {
            WeakReference<DeviceMatrix> dropped = new WeakReference<>(backend.allocate(512, 512));
            DeviceMatrix kept = backend.allocate(2, 2);
            for (int i = 0; i < 50 && dropped.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(dropped.get(), "the backend must not keep a dropped matrix alive");
            assertEquals(1, backend.liveMatrices());
            kept.close();
            assertEquals(0, backend.liveMatrices());
        }
    }

    @Test
    void closingTheBackendLogsHowManyMatricesItFreed() {
        Logger log = Logger.getLogger("dev.neurite.backend");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = log.getLevel();
        log.setLevel(Level.FINE);
        log.addHandler(handler);
        try {
            CpuBackend backend = (CpuBackend) Backends.open("cpu");
            List<DeviceMatrix> open = List.of(backend.allocate(3, 3), backend.allocate(1, 4), backend.allocate(5, 1));
            backend.allocate(2, 2).close();
            backend.close();
            assertTrue(open.stream().allMatch(DeviceMatrix::isClosed));
            LogRecord r = records.stream().filter(x -> x.getMessage().contains("closing the backend")).findFirst()
                    .orElseThrow(() -> new AssertionError("no DEBUG line on close: " + records));
            assertEquals(Level.FINE, r.getLevel());
            assertEquals("cpu: closing the backend freed 3 matrices still open",
                    java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
        } finally {
            log.removeHandler(handler);
            log.setLevel(before);
        }
    }
}
