package dev.neurite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.conformance.ConformanceBase;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenCL options: each backend its own tiling, the same products either way, bad tilings refused by name. */
class OpenClOptionsTest {

    @BeforeEach
    void needsOpenCl() {
        ConformanceBase.assumeAvailable("opencl", new OpenClBackendProvider().probe());
    }

    @Test
    void twoBackendsWithDifferentTilingsLiveSideBySideAndAgree() {
        BackendOptions small = BackendOptions.builder().openclGemmTiling(16, 2).openclWorkGroup(64).build();
        BackendOptions large = BackendOptions.builder().openclGemmTiling(32, 4).build();
        try (Backend a = Backends.open("opencl", small); Backend b = Backends.open("opencl", large)) {
            assertTrue(a.device().contains("gemm tile 16x16 (2x2 a work-item), work-group 64"), a.device());
            assertTrue(b.device().contains("gemm tile 32x32 (4x4 a work-item)"), b.device());
            assertArrayEquals(product(a), product(b), "the tiling changes the schedule, not the sums");
        }
    }

    /** x (37,50) · w (50,29), partial tiles at both tilings; small integers, so every sum is exact in any order. */
    private static float[] product(Backend backend) {
        Random rnd = new Random(5);
        float[] x = new float[37 * 50];
        float[] w = new float[50 * 29];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(7) - 3;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextInt(5) - 2;
        }
        try (DeviceMatrix dx = backend.upload(x, 37, 50); DeviceMatrix dw = backend.upload(w, 50, 29);
             DeviceMatrix y = backend.allocate(37, 29)) {
            backend.gemm(Transpose.NONE, Transpose.NONE, 1f, dx, dw, 0f, y);
            return backend.download(y);
        }
    }

    @Test
    void aTilingTheDeviceCannotRunIsRefusedByName() {
        IllegalArgumentException tiling = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("opencl", BackendOptions.builder().openclGemmTiling(48, 5).build()));
        assertTrue(tiling.getMessage().startsWith("backend 'opencl': options opencl.gemm.tile/opencl.gemm.wpt = 48/5"),
                tiling.getMessage());
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("opencl", BackendOptions.builder().openclWorkGroup(1 << 20).build()));
        assertTrue(group.getMessage().startsWith("backend 'opencl': option opencl.workgroup must be at most"),
                group.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("opencl", BackendOptions.builder().set("opencl.threads", "2").build()));
        assertEquals("backend 'opencl' does not understand option opencl.threads; it understands opencl.gemm.tile, "
                + "opencl.gemm.wpt, opencl.workgroup", unknown.getMessage());
    }
}
