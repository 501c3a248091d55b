package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opening a backend is quiet by default and says what it chose once the logger is turned up,
 * through java.util.logging, the System.Logger binding a program without a logging library has.
 */
class SelectionLoggingTest {
    private final Logger logger = Logger.getLogger(Backends.LOGGER);
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level saved;

    @BeforeEach
    void capture() {
        saved = logger.getLevel();
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        logger.setLevel(saved);
    }

    @Test
    void openLogsNothingAtTheDefaultLevel() {
        logger.setLevel(null);   // inherit the root's INFO, as in a JVM nobody configured
        try (Backend b = Backends.open("cpu")) {
            assertEquals("cpu", b.name());
        }
        assertEquals(List.of(), records.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void openSaysWhatItChoseAtDebug() {
        logger.setLevel(Level.FINE);
        try (Backend b = Backends.open("cpu")) {
            assertEquals("cpu", b.name());
        }
        assertEquals(1, records.size(), records.toString());
        assertEquals(Level.FINE, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("backend cpu:0 (requested explicitly)"),
                records.get(0).getMessage());
    }

    @Test
    void theAutoExplanationIsAtHandWithoutLogging() {
        String line = Backends.select("auto").explanation();
        assertTrue(line.startsWith("neurite: auto chose "), line);
    }
}
