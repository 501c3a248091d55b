package dev.neurite.backend;

/** A device allocation failed; the message names the request and what the device has. */
public class DeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the request and the device's free memory in the message, and the driver's error. */
    public DeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
