package dev.neurite.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.BackendOptions;
import dev.neurite.backend.cpu.CpuGemmPlan.Kernel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tile and blocking rule, for both register files whatever machine runs the test. */
class CpuGemmPlanTest {
    /** Xeon (Sapphire Rapids class) as its OS reports it: L1d 48K, L2 2M, L3 260M. */
    private static final CpuCaches XEON = new CpuCaches(48 << 10, 2 << 20, 260 << 20);
    /** Zen 3: L1d 32K, L2 512K, L3 32M. */
    private static final CpuCaches ZEN3 = new CpuCaches(32 << 10, 512 << 10, 32 << 20);

    @Test
    void avx512RegisterFileGetsTheTwelveByTwoTile() {
        assertEquals(32, CpuGemmPlan.registersFor(512));
        CpuGemmPlan p = CpuGemmPlan.choose(16, CpuGemmPlan.registersFor(512), XEON);
        assertEquals(Kernel.TILE_12X2, p.kernel());
        assertEquals(12, p.mr());
        assertEquals(32, p.nr());
        // A sliver (12, kc) in a quarter of 48K: kc 256; a B block (256, nc) in 3/4 of 2M: 1536
        // columns; A blocks of (mc, 256) in a quarter of 260M: capped at 8192 rows, in rows of 12
        assertEquals(256, p.kc());
        assertEquals(1536, p.nc());
        assertEquals(8184, p.mc());
        // a batch's A in a quarter of L2 (131072 floats) takes slivers of half of L1: 512 deep
        assertEquals(512, p.batchKc());
        assertEquals(131072, p.batchA());
        assertTrue(p.direct());
        assertEquals(16, p.directAccumulators(), "16 direct accumulators + B + broadcast fit 32 registers");
    }

    @Test
    void avx2RegisterFileGetsTheFourByTwoTile() {
        assertEquals(16, CpuGemmPlan.registersFor(256));
        CpuGemmPlan p = CpuGemmPlan.choose(8, CpuGemmPlan.registersFor(256), ZEN3);
        assertEquals(Kernel.TILE_4X2, p.kernel());
        assertEquals(4, p.mr());
        assertEquals(16, p.nr());
        // A sliver (4, kc) in a quarter of 32K: 512; (512, nc) in 3/4 of 512K: 192; a quarter of 32M: 4096 rows
        assertEquals(512, p.kc());
        assertEquals(192, p.nc());
        assertEquals(4096, p.mc());
        assertEquals(512, p.batchKc(), "half of L1 would be 1024 deep: capped at 512, as kc");
        assertEquals(32768, p.batchA());
        assertEquals(8, p.directAccumulators(), "16 direct accumulators would spill 16 registers");
    }

    @Test
    void avx2TileOnAnAvx512CacheAndSseStayWithinSixteenRegisters() {
        assertEquals(Kernel.TILE_4X2, CpuGemmPlan.choose(8, 16, XEON).kernel());
        assertEquals(512, CpuGemmPlan.choose(8, 16, XEON).kc(), "kc is capped at 512");
        assertEquals(16, CpuGemmPlan.registersFor(128));
        assertEquals(Kernel.TILE_4X2, CpuGemmPlan.choose(4, CpuGemmPlan.registersFor(128), CpuCaches.DEFAULT).kernel());
    }

    @Test
    void tileRuleKeepsHeadroomForTheCompiler() {
        // 12x2 keeps 27 registers live: too many for 16, fits 32 with 4 to spare
        assertEquals(27, Kernel.TILE_12X2.registers());
        assertEquals(11, Kernel.TILE_4X2.registers());
        assertEquals(Kernel.TILE_4X2, CpuGemmPlan.tileFor(16));
        assertEquals(Kernel.TILE_4X2, CpuGemmPlan.tileFor(30));
        assertEquals(Kernel.TILE_12X2, CpuGemmPlan.tileFor(31));
    }

    @Test
    void variantsByName() {
        assertEquals(Kernel.TILE_12X2, CpuGemmPlan.forVariant("auto", 16, 32, XEON).kernel());
        assertEquals(Kernel.TILE_4X2, CpuGemmPlan.forVariant("", 8, 16, XEON).kernel());
        CpuGemmPlan forced = CpuGemmPlan.forVariant("4x2", 16, 32, XEON);
        assertEquals(Kernel.TILE_4X2, forced.kernel());
        assertEquals(false, forced.direct(), "a forced tile runs every shape");
        assertEquals(Kernel.TILE_12X2, CpuGemmPlan.forVariant(" 12X2 ", 8, 16, ZEN3).kernel());
        assertEquals(Kernel.REFERENCE, CpuGemmPlan.forVariant("reference", 16, 32, XEON).kernel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuGemmPlan.forVariant("8x3", 16, 32, XEON));
        assertTrue(e.getMessage().contains("neurite.cpu.gemm") && e.getMessage().contains("8x3"), e.getMessage());
    }

    @Test
    void cachesFromSysfsSkipInstructionCaches(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "48K");
        cache(dir, 1, "1", "Instruction", "32K");
        cache(dir, 2, "2", "Unified", "2048K");
        cache(dir, 3, "3", "Unified", "266240K");
        assertEquals(new CpuCaches(48 << 10, 2 << 20, 260 << 20), CpuCaches.read(dir));
    }

    @Test
    void missingOrUnreadableCachesKeepTheDefaults(@TempDir Path dir) throws IOException {
        assertEquals(CpuCaches.DEFAULT, CpuCaches.read(dir.resolve("absent")));
        cache(dir, 0, "1", "Data", "garbage");
        cache(dir, 2, "2", "Unified", "1M");
        assertEquals(new CpuCaches(CpuCaches.DEFAULT.l1d(), 1 << 20, CpuCaches.DEFAULT.l3()), CpuCaches.read(dir));
        assertEquals(-1, CpuCaches.parseSize(""));
        assertEquals(32768, CpuCaches.parseSize("32768\n"));
    }

    /** The variant a build execution forces is the one the backend runs, and -XX:UseAVX=2 gives 256-bit vectors. */
    @Test
    void backendRunsTheVariantThisJvmAsksFor() {
        String forced = System.getProperty(CpuBackendProvider.GEMM_PROPERTY, "auto");
        boolean avx2 = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:UseAVX=2");
        if (avx2) {
            assertTrue(CpuGemmKernels.S.vectorBitSize() <= 256, "UseAVX=2 but " + CpuGemmKernels.S);
        }
        try (CpuBackend backend = (CpuBackend) new CpuBackendProvider().open(0,
                BackendOptions.builder().cpuThreads(1).build())) {
            String device = backend.device();
            assertTrue(device.contains("gemm " + forced), device);
            if (avx2 && forced.equals("auto")) {
                assertTrue(device.contains("4x2 tile"), device);
            }
        }
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
