package dev.neurite.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Availability;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.BackendUnavailableException;
import dev.neurite.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Without a GPU (this project's CI): a clear reason, auto runs elsewhere, explicit cuda refuses. */
class CudaProviderTest {

    @Test
    void withoutADriverTheReasonIsClearAndAutoRunsOnTheCpu() {
        Availability a = new CudaBackendProvider().probe();
        Assumptions.assumeFalse(a.available(), "a CUDA device is present: " + a.detail());
        // no driver (this project's CI): the dynamic linker's own words; a driver without a GPU: no device
        assertTrue(a.detail().contains("libcuda.so.1: cannot open shared object file")
                || a.detail().contains("NO_DEVICE") || a.detail().contains("no device"), a.detail());

        Backends.Selection auto = Backends.select("auto");
        assertEquals("cpu", auto.provider().name(), auto.explanation());
        assertTrue(auto.explanation().contains("skipped cuda: unavailable: "), auto.explanation());

        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().contains("backend 'cuda' is unavailable"), e.getMessage());
    }

    @Test
    void optionsAreCheckedBeforeTheDeviceIsTouched() {
        CudaBackendProvider provider = new CudaBackendProvider();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> provider.open(0, BackendOptions.builder().cudaGemm("fastest").build()));
        assertEquals("backend 'cuda': option cuda.gemm must be one of auto, cublas, kernel, got 'fastest'",
                bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> provider.open(0, BackendOptions.builder().set("cuda.threads", "2").build()));
        assertEquals("backend 'cuda' does not understand option cuda.threads; it understands cuda.gemm",
                unknown.getMessage());
    }

    @Test
    void theProbeRunsOnceAndGivesTheSameAnswerAgain() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability first = provider.probe();
        assertEquals(first, provider.probe());
        assertEquals(first.available() ? provider.deviceCount() : 0, provider.deviceCount());
    }
}
