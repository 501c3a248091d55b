package dev.neurite.backend.cuda;

import java.util.Locale;

/**
 * One CUDA device as the probe found it.
 *
 * @param index         device ordinal
 * @param name          cuDeviceGetName
 * @param major         compute capability, major
 * @param minor         compute capability, minor
 * @param memory        cuDeviceTotalMem, bytes
 * @param driverVersion cuDriverGetVersion, e.g. 12040 for 12.4
 */
record CudaDevice(int index, String name, int major, int minor, long memory, int driverVersion) {

    String describe() {
        return String.format(Locale.ROOT, "%s (compute capability %d.%d, %.1f GiB, driver API %d.%d)", name, major,
                minor, memory / (double) (1L << 30), driverVersion / 1000, driverVersion % 1000 / 10);
    }
}
