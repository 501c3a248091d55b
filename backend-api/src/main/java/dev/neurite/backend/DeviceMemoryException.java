package dev.neurite.backend;

/** A device allocation failed; the message names the request and what the device has. */
public class DeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
