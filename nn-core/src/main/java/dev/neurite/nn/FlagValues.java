package dev.neurite.nn;

import java.util.Map;

/**
 * The values of {@link FlagRecipe}'s flags, each checked with a message that names the flag:
 * numbers where 0 means off, fractions in [0, 1), whole numbers of at least 1, layer widths.
 */
final class FlagValues {
    private FlagValues() {
    }

    static int[] layers(String spec) {
        String[] parts = spec.split(",");
        if (parts.length < 2) {
            throw new IllegalArgumentException("--layers needs at least an input and an output width, got '" + spec + "'");
        }
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers must be widths separated by commas, got '" + spec + "'");
            }
            if (w[i] < 1) {
                throw new IllegalArgumentException("--layers widths must be at least 1, got '" + spec + "'");
            }
        }
        return w;
    }

    /** A finite number ≥ 0 (> 0 when {@code positive}), or {@code otherwise} when the flag is absent. */
    static float number(Map<String, String> f, String name, float otherwise, boolean positive) {
        String v = f.get(name);
        if (v == null) {
            return otherwise;
        }
        float x;
        try {
            x = Float.parseFloat(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
        if (!Float.isFinite(x) || x < 0 || (positive && x == 0)) {
            throw new IllegalArgumentException("--" + name + " must be " + (positive ? "a positive number" : "a number "
                    + "≥ 0 (0 for none)") + ", got " + v);
        }
        return x;
    }

    /** A number in [0, 1). */
    static float fraction(Map<String, String> f, String name, float otherwise) {
        float x = number(f, name, otherwise, false);
        if (!(x < 1)) {
            throw new IllegalArgumentException("--" + name + " must be in [0, 1), got " + f.get(name));
        }
        return x;
    }

    /** A whole number ≥ 1, or {@code otherwise} when absent. */
    static int whole(Map<String, String> f, String name, int otherwise) {
        String v = f.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
        throw new IllegalArgumentException("--" + name + " must be at least 1, got " + v);
    }
}
