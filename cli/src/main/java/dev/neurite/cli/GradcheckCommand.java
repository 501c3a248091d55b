package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.GradientCheck;
import dev.neurite.nn.Loss;
import dev.neurite.nn.NetSpec;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * {@code neurite gradcheck}: the numerical gradient check of the course on a network given by
 * {@code --net} or {@code --model}: back-propagation against central differences
 * (L(θ + h) − L(θ − h)) / 2h, the loss summed in float64, on a small random batch, per parameter
 * tensor; exit status 1 when a tensor's relative error ‖a − n‖ / (‖a‖ + ‖n‖) is above the threshold.
 */
final class GradcheckCommand {
    static final double THRESHOLD = 1e-2;
    /** Gradients this small are zero to float32 central differences with h = 1e-3. */
    private static final double ZERO = 5e-3;
    static final String USAGE = """
            usage: neurite gradcheck [--net SPEC | --model NAME] [flags]
              --net SPEC            the network, as neurite train --net takes it
              --model NAME          a preset's network: classic, perceptron, logistic, linear, mlp-large, lenet
                                    (default: classic, 784-15-10 sigmoid)
              --input SHAPE         one sample: N features or CxHxW   (default: 1x28x28 when the network has
                                    convolutions or pooling, else 784)
              --classes N           a preset's outputs                                 (default 10)
              --loss NAME           quadratic, softmax-ce, binary-ce, perceptron  (default: a preset's own; for
                                    --net softmax-ce when it ends in a dense layer, quadratic when in an activation)
              --batch N             rows of the random batch                           (default 3)
              --per-tensor N        values of each tensor compared, picked at random   (default 20)
              --threshold T         the largest relative error that passes             (default 0.01)
                                    (a tensor of gradients near 0, every value a within 5e-3 + 1e-2·|n| of
                                    the central difference n, passes too: its relative error is noise)
              --step H              the difference step h                              (default 0.001)
              --seed N              weights, batch and the values picked               (default 1)
              --backend SPEC        the backend whose back-propagation is checked      (default cpu)
              --quiet               print only the verdict
              --verbose             also the library's debug log
            """;
    private static final Set<String> FLAGS = Set.of("net", "model", "input", "classes", "loss", "batch", "per-tensor", "step",
            "threshold", "seed", "backend");

    private GradcheckCommand() {
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, FLAGS, Verbosity.SWITCHES);
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        if (f.has("net") && f.has("model")) {
            throw new UsageException("give --net SPEC or --model NAME, not both");
        }
        NetSpec spec = f.has("net") ? spec(f.get("net", "")) : null;
        Preset preset = spec != null ? null : preset(f.get("model", "classic"));
        if (spec != null && f.has("classes")) {
            throw new UsageException("--classes sizes a preset's output; --net names its own last layer");
        }
        boolean images = spec != null ? spec.needsImages() : preset == Preset.LENET;
        Shape input = shape(f.get("input", images ? "1x28x28" : "784"));
        int classes = f.integer("classes", 10, 1);
        Loss loss = loss(f, spec, preset);
        GradientCheck check = new GradientCheck().batch(f.integer("batch", 3, 1)).perTensor(f.integer("per-tensor", 20, 1))
                .seed(f.longValue("seed", 1)).step(f.decimal("step", 1e-3f));
        double threshold = f.fraction("threshold", THRESHOLD, Double.POSITIVE_INFINITY);
        long seed = f.longValue("seed", 1);
        try (Verbosity v = Verbosity.of(f);
             Backend backend = Backends.open(f.get("backend", "cpu"));
             Network net = build(spec, preset, backend, input, classes, seed)) {
            PrintStream info = v.info(out);
            info.println("neurite: backend " + backend.name() + " — " + backend.device());
            info.print(net.summary());
            info.printf(Locale.ROOT, "neurite: %s loss on a random batch of %d; central differences, loss summed in "
                    + "float64, h = %s; a tensor passes when its relative error ‖a − n‖ / (‖a‖ + ‖n‖) ≤ %.1e, or "
                    + "its gradients are near 0 (every a within 5e-3 + 1e-2·|n| of n)%n", loss, f.integer("batch", 3, 1),
                    f.get("step", "0.001"), threshold);
            GradientCheck.Report report = check.network(net, loss);
            int failed = 0;
            info.printf(Locale.ROOT, "%-24s %7s  %14s  %s%n", "tensor", "values", "relative error", "");
            for (GradientCheck.Tensor t : report.tensors()) {
                boolean ok = t.relativeError() <= threshold;
                // gradients of zero (a bias before batch norm) compare noise with noise: their relative error means nothing
                boolean nearZero = !ok && t.passed() && Math.abs(t.analytic()) <= ZERO && Math.abs(t.numeric()) <= ZERO;
                failed += ok || nearZero ? 0 : 1;
                info.printf(Locale.ROOT, "%-24s %7d  %14.2e  %s%n", t.name(), t.checked(), t.relativeError(),
                        ok ? "ok" : nearZero ? "ok: every value within 5e-3 + 1e-2·|n| (gradients near 0)" : "FAILED");
            }
            if (failed == 0) {
                out.printf(Locale.ROOT, "gradient check passed: %d tensors, every relative error ≤ %.1e%n",
                        report.tensors().size(), threshold);
                return 0;
            }
            out.printf(Locale.ROOT, "gradient check FAILED: %d of %d tensors have a relative error above %.1e%n", failed,
                    report.tensors().size(), threshold);
            return 1;
        }
    }

    private static Network build(NetSpec spec, Preset preset, Backend backend, Shape input, int classes, long seed)
            throws UsageException {
        try {
            return spec != null ? spec.build(backend, input, seed) : preset.network(backend, input, classes, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (--input " + input + ")");
        }
    }

    private static NetSpec spec(String text) throws UsageException {
        try {
            return NetSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--net: " + e.getMessage());
        }
    }

    private static Preset preset(String name) throws UsageException {
        try {
            return Preset.named(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model: " + e.getMessage());
        }
    }

    private static Loss loss(Flags f, NetSpec spec, Preset preset) throws UsageException {
        if (f.has("loss")) {
            Loss l = Loss.named(f.get("loss", ""));
            if (l == null) {
                throw new UsageException("--loss must be quadratic, softmax-ce, binary-ce or perceptron, got '"
                        + f.get("loss", "") + "'");
            }
            return l;
        }
        if (spec != null) {
            return spec.finalActivation() == null ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.QUADRATIC;
        }
        return preset.loss();
    }

    /** "784" or "1x28x28". */
    static Shape shape(String text) throws UsageException {
        String[] p = text.strip().toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 1) {
                return Shape.flat(Integer.parseInt(p[0]));
            }
            if (p.length == 3) {
                return Shape.image(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--input must be N or CxHxW with whole numbers of at least 1, got '" + text + "'");
        }
        throw new UsageException("--input must be N features or CxHxW (e.g. 1x28x28), got '" + text + "'");
    }
}
