package dev.neurite.backend.cpu;

import dev.neurite.backend.Update;

/**
 * Fused optimizer steps on the CPU, element by element in float, the same arithmetic as the
 * device kernel (kernels/elementwise.cl, optimizer_update). One loop per rule, so that the
 * rule is chosen once a call, not once an element.
 */
final class CpuUpdates {
    private CpuUpdates() {
    }

    /** θ[from..to) and its states, one step of {@code u}. */
    static void step(Update u, float[] theta, float[] g, float[] s1, float[] s2, float[] s3, int from, int to) {
        float lr = u.lr();
        float b1 = u.beta1();
        float b2 = u.beta2();
        float eps = u.eps();
        switch (u.kind()) {
            case MOMENTUM -> {
                for (int i = from; i < to; i++) {
                    float v = b1 * s1[i] - lr * g[i];
                    s1[i] = v;
                    theta[i] += v;
                }
            }
            case NESTEROV -> {
                for (int i = from; i < to; i++) {
                    float v0 = s1[i];
                    float v = b1 * v0 - lr * g[i];
                    s1[i] = v;
                    theta[i] += -b1 * v0 + (1f + b1) * v;
                }
            }
            case ADAGRAD -> {
                for (int i = from; i < to; i++) {
                    float acc = s1[i] + g[i] * g[i];
                    s1[i] = acc;
                    theta[i] -= lr * g[i] / ((float) Math.sqrt(acc) + eps);
                }
            }
            case ADADELTA -> {
                for (int i = from; i < to; i++) {
                    float eg = b1 * s1[i] + (1f - b1) * g[i] * g[i];
                    float d = -(float) Math.sqrt(s2[i] + eps) / (float) Math.sqrt(eg + eps) * g[i];
                    s1[i] = eg;
                    s2[i] = b1 * s2[i] + (1f - b1) * d * d;
                    theta[i] += lr * d;
                }
            }
            case RMSPROP -> {
                for (int i = from; i < to; i++) {
                    float eg = b1 * s1[i] + (1f - b1) * g[i] * g[i];
                    s1[i] = eg;
                    theta[i] -= lr * g[i] / ((float) Math.sqrt(eg) + eps);
                }
            }
            case ADAMAX -> {
                for (int i = from; i < to; i++) {
                    float m = b1 * s1[i] + (1f - b1) * g[i];
                    float uu = Math.max(b2 * s2[i], Math.abs(g[i]));
                    s1[i] = m;
                    s2[i] = uu;
                    theta[i] -= lr * (m / u.c1()) / (uu + eps);
                }
            }
            case ADAM, NADAM, AMSGRAD -> adam(u, theta, g, s1, s2, s3, from, to);
        }
    }

    private static void adam(Update u, float[] theta, float[] g, float[] s1, float[] s2, float[] s3, int from, int to) {
        float lr = u.lr();
        float b1 = u.beta1();
        float b2 = u.beta2();
        boolean ams = u.kind() == Update.Kind.AMSGRAD;
        boolean nesterov = u.kind() == Update.Kind.NADAM;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float m = b1 * s1[i] + (1f - b1) * gi;
            float v = b2 * s2[i] + (1f - b2) * gi * gi;
            s1[i] = m;
            s2[i] = v;
            if (ams) {
                v = Math.max(s3[i], v);
                s3[i] = v;
            }
            float num = nesterov ? b1 * m / u.c1() + (1f - b1) * gi / u.c1() : m / u.c1();
            theta[i] -= lr * num / ((float) Math.sqrt(v / u.c2()) + u.eps());
        }
    }
}
