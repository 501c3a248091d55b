package dev.neurite.backend;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user-defined element-wise op y = f(x), pluggable into every backend: the device backends
 * compile {@code deviceExpression} (a C expression of the float {@code x}, in the subset OpenCL C
 * and CUDA C share, e.g. {@code x / (1.0f + fabs(x))}), the CPU backend calls {@code function}.
 * Both must compute the same f. A custom activation is two of these: f and f'.
 *
 * @param name             a C identifier, unique per expression within a backend
 * @param deviceExpression f(x) as a C expression
 * @param function         f(x) in Java
 */
public record CustomOp(String name, String deviceExpression, Function function) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** f(x) for the CPU backend. */
    @FunctionalInterface
    public interface Function {
        /** f(x). */
        float apply(float x);
    }

    /** Checks the name is a C identifier and nothing is null. */
    public CustomOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deviceExpression, "deviceExpression");
        Objects.requireNonNull(function, "function");
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("custom op name '" + name + "' must be a C identifier");
        }
        if (deviceExpression.isBlank() || deviceExpression.contains(";") || deviceExpression.contains("}")) {
            throw new IllegalArgumentException("custom op '" + name + "': the device expression must be one C "
                    + "expression of x, got '" + deviceExpression + "'");
        }
    }
}
