package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Tests that share one CPU backend for the whole class, opened before the first test and closed after the last. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnCpu {
    protected Backend backend;

    @BeforeAll
    void openBackend() {
        backend = Backends.open("cpu");
    }

    @AfterAll
    void closeBackend() {
        backend.close();
    }
}
