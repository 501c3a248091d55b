package dev.neurite.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} flags (and {@code --name=value}), checked against the names a command knows. */
final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final boolean help;

    private Flags(Map<String, String> values, boolean help) {
        this.values.putAll(values);
        this.help = help;
    }

    static Flags parse(String[] args, int from, Set<String> known) throws UsageException {
        return parse(args, from, known, Set.of());
    }

    /** As above, with {@code switches}: flags that take no value (present or not). */
    static Flags parse(String[] args, int from, Set<String> known, Set<String> switches) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            String bare = eq >= 0 ? name.substring(0, eq) : name;
            if (!known.contains(bare) && !switches.contains(bare)) {
                // before looking for its value: an unknown flag last on the line is unknown, not valueless
                throw new UsageException("unknown flag --" + bare);
            }
            if (switches.contains(name)) {
                value = "true";
            } else if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            values.put(name, value);
        }
        return new Flags(values, help);
    }

    boolean help() {
        return help;
    }

    /** Every flag given, name (without "--") to value. */
    Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The flags given among {@code names}, as "--a, --b", or "" when none. */
    String given(Set<String> names) {
        return String.join(", ", values.keySet().stream().filter(names::contains).sorted().map(n -> "--" + n).toList());
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int integer(String name, int otherwise, int min) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    long longValue(String name, long otherwise) throws UsageException {
        String v = values.get(name);
        try {
            return v == null ? otherwise : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    /**
     * A number in [0, {@code below}), or {@code otherwise} when absent: 0 turns the thing off
     * (a fraction of no rows, a patience of none).
     */
    double fraction(String name, double otherwise, double below) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x >= 0 && x < below)) {
                throw new UsageException("--" + name + " must be in [0, " + (below == 1 ? "1" : below) + "), got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    float decimal(String name, float otherwise) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            float f = Float.parseFloat(v.trim());
            if (!(f > 0) || Float.isInfinite(f)) {
                throw new UsageException("--" + name + " must be a positive number, got " + v);
            }
            return f;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }
}
