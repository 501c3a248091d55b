package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.neurite.backend.Activation;
import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.backend.DeviceMatrix;
import org.junit.jupiter.api.Test;

/**
 * One SGD step of a 2-2-2 sigmoid network with quadratic loss, every number worked by hand.
 *
 * <pre>
 * input i = (0.05, 0.10), target t = (0.01, 0.99), η = 0.5, batch of one.
 * hidden: W1 = [[0.15, 0.25], [0.20, 0.30]] (W1[input][hidden]), b1 = (0.35, 0.35)
 * output: W2 = [[0.40, 0.50], [0.45, 0.55]] (W2[hidden][output]), b2 = (0.60, 0.60)
 *
 * forward
 *   z_h1 = 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775        h1 = σ(0.3775) = 0.593269992
 *   z_h2 = 0.05·0.25 + 0.10·0.30 + 0.35 = 0.3925        h2 = σ(0.3925) = 0.596884378
 *   z_o1 = 0.593269992·0.40 + 0.596884378·0.45 + 0.60 = 1.105905967   o1 = 0.751365070
 *   z_o2 = 0.593269992·0.50 + 0.596884378·0.55 + 0.60 = 1.224921404   o2 = 0.772928465
 *   L = ½[(0.751365070 - 0.01)² + (0.772928465 - 0.99)²] = 0.298371109
 *
 * backward (δ = ∂L/∂z)
 *   δ_o1 = (o1 - t1)·o1(1 - o1) = 0.741365070·0.186815602 = 0.138498562
 *   δ_o2 = (o2 - t2)·o2(1 - o2) = -0.217071535·0.175510053 = -0.038098237
 *   δ_h1 = (0.40·δ_o1 + 0.50·δ_o2)·h1(1 - h1) = 0.036350306·0.241300709 = 0.008771355
 *   δ_h2 = (0.45·δ_o1 + 0.55·δ_o2)·h2(1 - h2) = 0.041370323·0.240613417 = 0.009954255
 *
 * update θ ← θ - η·∂L/∂θ, with ∂L/∂W2[j][k] = h_j·δ_ok and ∂L/∂W1[i][j] = i_i·δ_hj
 *   W2[0][0] = 0.40 - 0.5·0.593269992·0.138498562 = 0.358916480
 *   W2[0][1] = 0.50 - 0.5·0.593269992·(-0.038098237) = 0.511301270
 *   W2[1][0] = 0.45 - 0.5·0.596884378·0.138498562 = 0.408666186
 *   W2[1][1] = 0.55 - 0.5·0.596884378·(-0.038098237) = 0.561370121
 *   b2 = (0.60 - 0.5·0.138498562, 0.60 + 0.5·0.038098237) = (0.530750719, 0.619049118)
 *   W1[0][0] = 0.15 - 0.5·0.05·0.008771355 = 0.149780716
 *   W1[0][1] = 0.25 - 0.5·0.05·0.009954255 = 0.249751144
 *   W1[1][0] = 0.20 - 0.5·0.10·0.008771355 = 0.199561432
 *   W1[1][1] = 0.30 - 0.5·0.10·0.009954255 = 0.299502287
 *   b1 = (0.35 - 0.5·0.008771355, 0.35 - 0.5·0.009954255) = (0.345614323, 0.345022873)
 * </pre>
 */
class HandWorkedBackpropTest {

    @Test
    void oneSgdStepGivesTheHandWorkedWeights() {
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(2).dense(2, Init.NORMAL, Activation.SIGMOID)
                     .dense(2, Init.NORMAL, Activation.SIGMOID).build(backend, 1)) {
            Dense hidden = (Dense) net.layers().get(0);
            Dense output = (Dense) net.layers().get(2);
            hidden.set(new float[] {0.15f, 0.25f, 0.20f, 0.30f}, new float[] {0.35f, 0.35f});
            output.set(new float[] {0.40f, 0.50f, 0.45f, 0.55f}, new float[] {0.60f, 0.60f});
            try (DeviceMatrix x = backend.upload(new float[] {0.05f, 0.10f}, 1, 2);
                 DeviceMatrix t = backend.upload(new float[] {0.01f, 0.99f}, 1, 2);
                 DeviceMatrix grad = backend.allocate(1, 2)) {
                DeviceMatrix o = net.forward(x, true);
                assertArrayEquals(new float[] {0.751365070f, 0.772928465f}, backend.download(o), 1e-6f);
                Loss.QUADRATIC.gradient(backend, o, t, grad);
                net.backward(grad);
                Optimizer.sgd(0.5f).step(backend, net.parameters());
            }
            assertArrayEquals(new float[] {0.358916480f, 0.511301270f, 0.408666186f, 0.561370121f}, output.weights(), 1e-5f);
            assertArrayEquals(new float[] {0.530750719f, 0.619049118f}, output.bias(), 1e-5f);
            assertArrayEquals(new float[] {0.149780716f, 0.249751144f, 0.199561432f, 0.299502287f}, hidden.weights(), 1e-5f);
            assertArrayEquals(new float[] {0.345614323f, 0.345022873f}, hidden.bias(), 1e-5f);
        }
    }
}
