package dev.neurite.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer's settings as named text values, as a {@link LayerCodec} writes and reads them. Numbers
 * are stored exactly (a float as its shortest round-tripping decimal) and read back with the
 * name of the setting in every error.
 */
public final class LayerSettings {
    private final Map<String, String> values = new LinkedHashMap<>();

    public LayerSettings put(String key, String value) {
        if (key.isEmpty() || values.containsKey(key)) {
            throw new IllegalArgumentException("layer setting '" + key + "' is empty or given twice");
        }
        values.put(key, value);
        return this;
    }

    public LayerSettings put(String key, int value) {
        return put(key, Integer.toString(value));
    }

    public LayerSettings put(String key, long value) {
        return put(key, Long.toString(value));
    }

    public LayerSettings put(String key, float value) {
        return put(key, Float.toString(value));
    }

    /** The text of setting {@code key}; IllegalArgumentException when it is missing. */
    public String text(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("setting '" + key + "' is missing");
        }
        return v;
    }

    public int integer(String key) {
        return (int) integer(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longValue(String key) {
        return integer(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long integer(String key, long min, long max) {
        String v = text(key);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        throw new IllegalArgumentException("setting '" + key + "' is '" + v + "', not an integer in [" + min + ", " + max
                + "]");
    }

    /** A finite float. */
    public float decimal(String key) {
        String v = text(key);
        float f;
        try {
            f = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' is '" + v + "', not a number");
        }
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("setting '" + key + "' is '" + v + "', not a finite number");
        }
        return f;
    }

    /** Every setting, in the order put. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
