package dev.neurite.backend.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The first code to touch jcuda, run once from the provider's probe. jcuda's driver class
 * cannot initialise again after its native library failed to load, so nothing else may call
 * into jcuda before this has succeeded.
 */
final class CudaDriverProbe {
    private CudaDriverProbe() {
    }

    /** Initialises the driver API and lists the devices. */
    static List<CudaDevice> devices() {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] version = new int[1];
        JCudaDriver.cuDriverGetVersion(version);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        List<CudaDevice> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice d = new CUdevice();
            JCudaDriver.cuDeviceGet(d, i);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, d);
            int[] major = new int[1];
            int[] minor = new int[1];
            JCudaDriver.cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
            JCudaDriver.cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
            long[] memory = new long[1];
            JCudaDriver.cuDeviceTotalMem(memory, d);
            devices.add(new CudaDevice(i, cString(name), major[0], minor[0], memory[0], version[0]));
        }
        return devices;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
