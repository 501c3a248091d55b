package dev.neurite.backend.opencl;

import java.util.Locale;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovery found it.
 *
 * @param platform      its platform
 * @param id            the device
 * @param platformName  CL_PLATFORM_NAME
 * @param name          CL_DEVICE_NAME
 * @param vendor        CL_DEVICE_VENDOR
 * @param gpu           CL_DEVICE_TYPE includes GPU
 * @param computeUnits  CL_DEVICE_MAX_COMPUTE_UNITS
 * @param globalMemory  CL_DEVICE_GLOBAL_MEM_SIZE, bytes
 * @param localMemory   CL_DEVICE_LOCAL_MEM_SIZE, bytes
 * @param maxWorkGroup  CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param maxAllocation CL_DEVICE_MAX_MEM_ALLOC_SIZE, bytes
 */
record OpenClDevice(cl_platform_id platform, cl_device_id id, String platformName, String name, String vendor,
                    boolean gpu, int computeUnits, long globalMemory, long localMemory, long maxWorkGroup,
                    long maxAllocation) {

    /** One line: name, platform, type, compute units, memory, work-group limit. */
    String describe() {
        return String.format(Locale.ROOT, "%s (%s, %s, %s, %d compute units, %s global, %s local, max work-group %d)",
                name, platformName, vendor, gpu ? "GPU" : "CPU/other", computeUnits, bytes(globalMemory),
                bytes(localMemory), maxWorkGroup);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
}
