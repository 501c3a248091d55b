package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.nn.Network;
import dev.neurite.nn.Preset;
import dev.neurite.nn.Trainer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where one training step of a {@link Preset} spends its time, op by op: every backend call of the
 * step runs through a proxy that waits for the op to finish and notes its time under the op, its
 * kind (activation, rule, transposes) and its shapes. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.neurite.bench.StepProfile
 * MODEL BATCH [THREADS [STEPS]]}. STEPS steps warm up and STEPS more are timed, first without the
 * proxy, then through it; the sum of the ops is printed beside the step time measured without
 * the proxy. Timing each op alone (it waits for the op to finish) adds the proxy's own cost and
 * keeps ops from overlapping, so the sum is a little above the plain step.
 */
public final class StepProfile {
    /** Calls that are not ops of a step: metadata, memory management, synchronisation. */
    private static final Set<String> UNTIMED = Set.of("name", "device", "allocate", "view", "finish", "close",
            "toString", "hashCode", "equals", "threads");

    private final Backend inner;
    private final Map<String, long[]> ops = new LinkedHashMap<>();
    private boolean timing;

    private StepProfile(Backend inner) {
        this.inner = inner;
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: StepProfile MODEL BATCH [THREADS [STEPS]]   (MODEL: classic, mlp-large, lenet)");
            System.exit(2);
        }
        Preset preset = Preset.named(args[0]);
        int batch = Integer.parseInt(args[1]);
        String threads = args.length > 2 ? args[2] : "";
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        try (Backend backend = BenchBackend.open(threads)) {
            new StepProfile(backend).run(preset, batch, steps);
        }
    }

    private void run(Preset preset, int batch, int steps) {
        StepData data = StepData.random(preset, batch, 16);
        Backend proxy = proxy();
        double plain;
        try (Network net = preset.network(inner, data.shape(), 10, 1);
             Trainer trainer = new Trainer(net, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1)) {
            stepMicros(trainer, data, steps);
            plain = stepMicros(trainer, data, steps);
        }
        try (Network net = preset.network(proxy, data.shape(), 10, 1);
             Trainer trainer = new Trainer(net, preset.loss(), preset.optimizer(preset.learningRate()), batch, 1)) {
            stepMicros(trainer, data, steps);
            timing = true;
            stepMicros(trainer, data, steps);
            timing = false;
        }
        print(preset, batch, steps, plain);
    }

    /** Mean µs of a step over {@code steps} steps, cycling through the data's batches. */
    private double stepMicros(Trainer trainer, StepData data, int steps) {
        long t0 = System.nanoTime();
        data.steps(trainer, steps);
        inner.finish();
        return (System.nanoTime() - t0) / 1e3 / steps;
    }

    private Backend proxy() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (p, method, args) -> {
                    if (!timing || UNTIMED.contains(method.getName())) {
                        return call(method, args);
                    }
                    long t0 = System.nanoTime();
                    Object r = call(method, args);
                    inner.finish();
                    long t = System.nanoTime() - t0;
                    long[] acc = ops.computeIfAbsent(label(method, args), k -> new long[2]);
                    acc[0]++;
                    acc[1] += t;
                    return r;
                });
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inner, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** "gemm NONE TRANSPOSE 128x512 784x512 -> 128x784": the op, its kinds, its shapes. */
    private static String label(Method method, Object[] args) {
        StringBuilder s = new StringBuilder(method.getName());
        List<String> shapes = new ArrayList<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof DeviceMatrix m) {
                shapes.add(m.rows() + "x" + m.cols());
            } else if (a instanceof Enum<?> || a instanceof dev.neurite.backend.Activation) {
                s.append(' ').append(a);
            } else if (a instanceof dev.neurite.backend.Update u) {
                s.append(' ').append(u.kind());
            }
        }
        return s.append(' ').append(String.join(" ", shapes)).toString();
    }

    private void print(Preset preset, int batch, int steps, double plain) {
        double total = 0;
        for (long[] acc : ops.values()) {
            total += acc[1] / 1e3 / steps;
        }
        System.out.printf(Locale.ROOT, "%s, batch %d, %s%n", preset, batch, inner.device());
        System.out.printf(Locale.ROOT, "step %.1f µs without the proxy; ops below sum to %.1f µs a step%n%n", plain, total);
        System.out.printf(Locale.ROOT, "| op | calls/step | µs/step | share |%n|---|---|---|---|%n");
        for (Map.Entry<String, long[]> e : ops.entrySet()) {
            double micros = e.getValue()[1] / 1e3 / steps;
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f%% |%n", e.getKey(), e.getValue()[0] / steps, micros,
                    100 * micros / total);
        }
    }
}
