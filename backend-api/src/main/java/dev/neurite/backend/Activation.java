package dev.neurite.backend;

import java.util.Locale;
import java.util.Objects;

/**
 * An activation function of the catalogue, with its parameter where it has one.
 * Every backend implements each kind forward, {@code y = f(x)}, and backward,
 * {@code dx = f'(x) ⊙ dy} (for softmax the Jacobian product {@code dx = y ⊙ (dy - Σ_row dy ⊙ y)}).
 *
 * @param kind  which function
 * @param param slope for {@link Kind#LEAKY_RELU}, alpha for {@link Kind#ELU}; 0 for the others
 */
public record Activation(Kind kind, float param) {

    /** The functions; formulas in each constant's comment. */
    public enum Kind {
        /** y = x. */
        IDENTITY,
        /** y = x ≥ 0 ? 1 : 0; derivative 0. */
        BINARY_STEP,
        /** y = 1 / (1 + e^-x); y' = y (1 - y). */
        SIGMOID,
        /** y = tanh x; y' = 1 - y². */
        TANH,
        /** y = max(0, x); y' = x > 0 ? 1 : 0. */
        RELU,
        /** y = x > 0 ? x : slope·x. */
        LEAKY_RELU,
        /** y = x > 0 ? x : alpha (e^x - 1). */
        ELU,
        /** y = λ (x > 0 ? x : α (e^x - 1)), λ = 1.0507009873554805, α = 1.6732632423543772. */
        SELU,
        /** y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), the tanh approximation. */
        GELU,
        /** y = ln(1 + e^x); y' = sigmoid(x). */
        SOFTPLUS,
        /** y_ij = e^x_ij / Σ_k e^x_ik, row by row. */
        SOFTMAX
    }

    public static final float SELU_LAMBDA = 1.0507009873554805f;
    public static final float SELU_ALPHA = 1.6732632423543772f;
    /** √(2/π), the GELU tanh-approximation constant. */
    public static final float GELU_C = 0.7978845608028654f;
    public static final float GELU_CUBIC = 0.044715f;

    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f);
    public static final Activation BINARY_STEP = new Activation(Kind.BINARY_STEP, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    public static final Activation SELU = new Activation(Kind.SELU, 0f);
    public static final Activation GELU = new Activation(Kind.GELU, 0f);
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0f);
    public static final Activation SOFTMAX = new Activation(Kind.SOFTMAX, 0f);

    /** Checks the parameter is finite (and the kind given). */
    public Activation {
        Objects.requireNonNull(kind, "kind");
        if (!Float.isFinite(param)) {
            throw new IllegalArgumentException(kind + ": parameter must be finite, got " + param);
        }
        boolean parameterised = kind == Kind.LEAKY_RELU || kind == Kind.ELU;
        if (!parameterised && param != 0f) {
            throw new IllegalArgumentException(kind + " takes no parameter, got " + param);
        }
    }

    /** Leaky ReLU: y = x > 0 ? x : slope·x. */
    public static Activation leakyRelu(float slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /** ELU: y = x > 0 ? x : alpha (e^x - 1). */
    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    /** True for softmax, whose output depends on the whole row. */
    public boolean rowWise() {
        return kind == Kind.SOFTMAX;
    }

    /**
     * Parses a name as users write it: {@code sigmoid}, {@code relu}, {@code leaky-relu:0.01},
     * {@code elu:1.0}, {@code binary-step}, ... (case-insensitive, '-' or '_').
     */
    public static Activation parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).replace('-', '_').split(":", 2);
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + text + "'; known: "
                    + String.join(", ", names()));
        }
        float defaultParam = switch (kind) {
            case LEAKY_RELU -> 0.01f;
            case ELU -> 1f;
            default -> 0f;
        };
        float param = parts.length > 1 ? Float.parseFloat(parts[1]) : defaultParam;
        return new Activation(kind, param);
    }

    /** The names {@link #parse} accepts. */
    public static String[] names() {
        Kind[] kinds = Kind.values();
        String[] names = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            names[i] = kinds[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return names;
    }

    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return kind == Kind.LEAKY_RELU || kind == Kind.ELU ? name + ":" + param : name;
    }
}
