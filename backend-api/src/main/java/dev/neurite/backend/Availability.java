package dev.neurite.backend;

import java.util.Objects;

/**
 * The result of a provider's availability probe.
 *
 * @param available whether {@link BackendProvider#open} can succeed
 * @param detail    the devices found when available, the reason when not
 */
public record Availability(boolean available, String detail) {

    /** Checks there is a detail. */
    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    /** Available, with the devices found. */
    public static Availability available(String devices) {
        return new Availability(true, devices);
    }

    /** Unavailable, with the reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail;
    }
}
