package dev.neurite.nn;

import dev.neurite.backend.Update;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training section of a checkpoint ({@link Trainer#save}), big-endian:
 * <pre>
 * recipe      UTF loss name; UTF optimizer rule ("sgd", "momentum", ..., "amsgrad"),
 *             float32 lr, β1, β2, ε, decay; int32 batch; float32 L1, L2; int64 seed; int32 check interval
 * position    int32 epochs done; int64 steps done; int64 shuffle generator state;
 *             int32 n, int64 state of each layer's random stream (layer order)
 * optimizer   int32 step count t; int32 parameter count; per parameter int32 matrices,
 *             float32 values of each (the parameter's shape)
 * fit         int8 present; then float64 best loss, int32 best epoch, int32 epochs since best,
 *             UTF stop reason ("" while running), int32 n, float64 training loss of each epoch,
 *             int8 best values present, then float32 values of each parameter and state matrix
 * </pre>
 */
final class TrainingState {
    private TrainingState() {
    }

    static void write(Trainer t, DataOutputStream out) throws IOException {
        out.writeUTF(t.loss().toString());
        Optimizer.Settings o = t.optimizer().settings();
        out.writeUTF(o.kind() == null ? "sgd" : o.kind().name().toLowerCase(Locale.ROOT));
        for (float v : new float[] {o.lr(), o.beta1(), o.beta2(), o.eps(), o.decay()}) {
            out.writeFloat(v);
        }
        out.writeInt(t.batch());
        out.writeFloat(t.l1());
        out.writeFloat(t.l2());
        out.writeLong(t.seed());
        out.writeInt(t.checkInterval());
        out.writeInt(t.epochs());
        out.writeLong(t.steps());
        out.writeLong(t.shuffle().state());
        Network net = t.network();
        out.writeInt(net.streams().size());
        for (RandomStream s : net.streams()) {
            out.writeLong(s.state());
        }
        Optimizer.State state = t.optimizer().state(net.backend(), net.parameters());
        out.writeInt(state.step());
        out.writeInt(state.values().length);
        for (float[][] matrices : state.values()) {
            out.writeInt(matrices.length);
            for (float[] m : matrices) {
                floats(out, m);
            }
        }
        Fit.Progress p = t.fitProgress();
        out.writeByte(p == null ? 0 : 1);
        if (p != null) {
            out.writeDouble(p.best);
            out.writeInt(p.bestEpoch);
            out.writeInt(p.sinceBest);
            out.writeUTF(p.stopped == null ? "" : p.stopped);
            out.writeInt(p.history.size());
            for (double h : p.history) {
                out.writeDouble(h);
            }
            out.writeByte(p.bestParameters == null ? 0 : 1);
            if (p.bestParameters != null) {
                for (float[] v : p.bestParameters) {
                    floats(out, v);
                }
                for (float[] v : p.bestState) {
                    floats(out, v);
                }
            }
        }
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        for (float x : v) {
            out.writeFloat(x);
        }
    }

    /** A trainer of {@code net} in the state {@code r} holds; {@code given} replaces the stored loss when not null. */
    static Trainer read(ModelReader r, Network net, Loss given) throws IOException {
        String lossName = r.utf("loss");
        Loss loss = given != null ? given : Loss.named(lossName);
        if (loss == null) {
            throw r.fault("loss", "'" + lossName + "' is not a built-in loss; resume with Trainer.resume(file, backend, loss)");
        }
        Optimizer optimizer = optimizer(r);
        int batch = r.int32("batch", 1, Integer.MAX_VALUE);
        float l1 = r.finite32("L1");
        float l2 = r.finite32("L2");
        long seed = r.int64("seed");
        int checkEvery = r.int32("check interval", 0, Integer.MAX_VALUE);
        Trainer t;
        try {
            t = new Trainer(net, loss, optimizer, batch, seed).regularize(l1, l2).checkEvery(checkEvery);
        } catch (IllegalArgumentException e) {
            throw r.fault("recipe", e.getMessage());
        }
        try {
            position(r, t);
            optimizerState(r, t);
            t.fitProgress(fit(r, net));
            r.requireEnd("section TRAI");
        } catch (IOException | RuntimeException e) {
            optimizer.close();
            throw e;
        }
        return t;
    }

    private static Optimizer optimizer(ModelReader r) throws IOException {
        String rule = r.utf("optimizer rule");
        Update.Kind kind = null;
        if (!rule.equals("sgd")) {
            for (Update.Kind k : Update.Kind.values()) {
                if (k.name().toLowerCase(Locale.ROOT).equals(rule)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw r.fault("optimizer rule", "'" + rule + "' is not an optimizer");
            }
        }
        float lr = r.finite32("optimizer learning rate");
        float beta1 = r.finite32("optimizer beta1");
        float beta2 = r.finite32("optimizer beta2");
        float eps = r.finite32("optimizer epsilon");
        float decay = r.finite32("optimizer decay");
        try {
            return Optimizer.of(new Optimizer.Settings(kind, lr, beta1, beta2, eps, decay));
        } catch (IllegalArgumentException e) {
            throw r.fault("optimizer", e.getMessage());
        }
    }

    private static void position(ModelReader r, Trainer t) throws IOException {
        int epochs = r.int32("epochs done", 0, Integer.MAX_VALUE);
        long steps = r.int64("steps done");
        if (steps < 0) {
            throw r.fault("steps done", steps + " is negative");
        }
        t.restore(epochs, steps);
        t.shuffle().setState(r.int64("shuffle state"));
        List<RandomStream> streams = t.network().streams();
        int n = r.int32("random streams", 0, Integer.MAX_VALUE);
        if (n != streams.size()) {
            throw r.fault("random streams", n + " stored, the network's layers have " + streams.size());
        }
        for (int i = 0; i < n; i++) {
            streams.get(i).setState(r.int64("random stream " + i));
        }
    }

    private static void optimizerState(ModelReader r, Trainer t) throws IOException {
        Network net = t.network();
        int step = r.int32("optimizer step count", 0, Integer.MAX_VALUE);
        int count = r.int32("optimizer parameters", 0, Integer.MAX_VALUE);
        if (count != net.parameters().size()) {
            throw r.fault("optimizer parameters", count + " stored, the network has " + net.parameters().size());
        }
        Optimizer.Settings s = t.optimizer().settings();
        int slots = s.kind() == null ? 0 : s.kind().states();
        float[][][] values = new float[count][][];
        for (int i = 0; i < count; i++) {
            Parameter p = net.parameters().get(i);
            String field = "optimizer state of parameter " + i + " '" + p.name() + "'";
            int n = r.int32(field + " matrices", slots, slots);
            values[i] = new float[n][];
            for (int k = 0; k < n; k++) {
                values[i][k] = r.floats(field + " matrix " + k, p.value().size());
            }
        }
        t.optimizer().restore(net.backend(), net.parameters(), new Optimizer.State(step, values));
    }

    private static Fit.Progress fit(ModelReader r, Network net) throws IOException {
        byte present = r.int8("fit present");
        if (present == 0) {
            return null;
        }
        Fit.Progress p = new Fit.Progress();
        p.best = r.float64("fit best loss");
        p.bestEpoch = r.int32("fit best epoch", 0, Integer.MAX_VALUE);
        p.sinceBest = r.int32("fit epochs since best", 0, Integer.MAX_VALUE);
        String stopped = r.utf("fit stop reason");
        p.stopped = stopped.isEmpty() ? null : stopped;
        int n = r.count("fit history", Integer.MAX_VALUE, 8);
        p.history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.history.add(r.float64("fit history " + i));
        }
        if (r.int8("fit best values present") == 1) {
            p.bestParameters = matrices(r, "fit best parameter", net.parameters().stream().map(Parameter::value).toList());
            p.bestState = matrices(r, "fit best state", net.state());
        }
        return p;
    }

    private static float[][] matrices(ModelReader r, String field, List<dev.neurite.backend.DeviceMatrix> like)
            throws IOException {
        float[][] v = new float[like.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.floats(field + " " + i, like.get(i).size());
        }
        return v;
    }
}
