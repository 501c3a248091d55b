package dev.neurite.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Data cache sizes in bytes, as the OS reports them for cpu0
 * ({@code /sys/devices/system/cpu/cpu0/cache/index*}{@code /{level,type,size}}); a level the OS
 * does not report keeps its default, so the GEMM blocking stays sane in containers and on other
 * systems.
 */
record CpuCaches(int l1d, int l2, int l3) {
    static final CpuCaches DEFAULT = new CpuCaches(32 << 10, 512 << 10, 8 << 20);
    static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** The caches of this machine, or {@link #DEFAULT} for whatever cannot be read. */
    static CpuCaches detect() {
        return read(SYSFS);
    }

    /** Reads every {@code index*} folder under {@code dir}; instruction caches are skipped. */
    static CpuCaches read(Path dir) {
        int l1 = DEFAULT.l1d();
        int l2 = DEFAULT.l2();
        int l3 = DEFAULT.l3();
        for (int i = 0; i < 16; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) {
                continue;
            }
            String type = text(index.resolve("type"));
            int level = (int) Math.min(Integer.MAX_VALUE, parseSize(text(index.resolve("level"))));
            long size = parseSize(text(index.resolve("size")));
            if (type.equalsIgnoreCase("Instruction") || size <= 0) {
                continue;
            }
            int bytes = (int) Math.min(size, 1L << 30);
            switch (level) {
                case 1 -> l1 = bytes;
                case 2 -> l2 = bytes;
                case 3 -> l3 = bytes;
                default -> { }
            }
        }
        return new CpuCaches(l1, l2, l3);
    }

    /** "48K", "2048K", "260M", "32768" -> bytes; anything else -> -1. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            return -1;
        }
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
