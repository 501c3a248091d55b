package dev.neurite.nn;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.util.Arrays;

/** Batched inference on the device: raw rows -> scaler -> network -> head -> labels and probabilities. */
final class Predictor {
    /** Rows a batch: big enough to keep the device busy, small enough for any network's activations. */
    static final int BATCH = 256;

    private Predictor() {
    }

    static Predictions predict(Network net, float[] features, int rows) {
        OutputHead head = net.head() != null ? net.head() : OutputHead.AS_IS;
        int outputs = net.outputWidth();
        int width = head.classifies() ? head.classes(outputs) : outputs;
        if (head.classifies() && !net.classNames().isEmpty() && net.classNames().size() != width) {
            throw new IllegalStateException("network: " + net.classNames().size() + " class names for " + width
                    + " classes");
        }
        int cols = net.inputWidth();
        Backend b = net.backend();
        int[] labels = new int[head.classifies() ? rows : 0];
        float[] values = new float[Math.multiplyExact(rows, width)];
        DeviceMatrix x = null;
        DeviceMatrix p = null;
        try {
            for (int from = 0; from < rows; from += BATCH) {
                int n = Math.min(BATCH, rows - from);
                float[] batch = Arrays.copyOfRange(features, from * cols, (from + n) * cols);
                if (net.scaler() != null) {
                    net.scaler().applyInPlace(batch);
                }
                x = Buffers.ensure(b, x, n, cols);
                b.upload(batch, x);
                // x (n, in) -> out (n, k)
                DeviceMatrix out = net.forward(x, false);
                float[] raw = b.download(out);
                float[] probabilities = raw;
                Activation f = head.activation();
                if (f != null) {
                    p = Buffers.ensure(b, p, n, outputs);
                    b.activationForward(f, out, p);
                    probabilities = b.download(p);
                }
                for (int r = 0; r < n; r++) {
                    int row = from + r;
                    if (head.classifies()) {
                        labels[row] = head.label(raw, r * outputs, outputs);
                    }
                    if (width == outputs) {
                        System.arraycopy(probabilities, r * outputs, values, row * width, width);
                    } else {
                        // one unit, two classes: p(0) = 1 - p(1)
                        values[row * 2] = 1 - probabilities[r];
                        values[row * 2 + 1] = probabilities[r];
                    }
                }
            }
        } finally {
            Buffers.close(x, p);
        }
        return new Predictions(head, rows, width, labels, values, net.classNames());
    }
}
