package dev.neurite.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Pooling;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Window;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** im2col / col2im and pooling, against the reference's direct loops over padded coordinates. */
class WindowConformanceTest extends ConformanceBase {

    /** images, window: LeNet's two convolutions and pool, strides, padding, odd sizes, a maxout row. */
    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of(3, new Window(1, 28, 28, 5, 5, 1, 0)),
                Arguments.of(2, new Window(20, 12, 12, 5, 5, 1, 0)),
                // LeNet's pools: channels in a vector and a masked tail, windows that do not overlap
                Arguments.of(2, new Window(20, 24, 24, 2, 2, 2, 0)),
                Arguments.of(2, new Window(50, 8, 8, 2, 2, 2, 0)),
                Arguments.of(2, new Window(3, 7, 6, 3, 3, 2, 1)),
                Arguments.of(3, new Window(2, 5, 5, 2, 2, 2, 0)),
                Arguments.of(2, new Window(4, 4, 4, 3, 3, 1, 2)),
                Arguments.of(5, new Window(1, 9, 8, 2, 3, 3, 1)),
                Arguments.of(4, new Window(1, 1, 12, 1, 3, 3, 0)),
                Arguments.of(1, new Window(1, 1, 1, 1, 1, 1, 0)));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("windows")
    void im2colCopiesEveryPatchAndColToImIsItsAdjoint(int images, Window g) {
        Random rnd = new Random(g.hashCode());
        float[] x = random(rnd, images * g.imageSize(), -2, 2);
        DeviceMatrix dx = up(x, images, g.imageSize());
        DeviceMatrix cols = zeros(images * g.positions(), g.patchSize());
        backend.im2col(g, dx, cols);
        float[] got = backend.download(cols);
        assertNear("im2col " + g, Reference.im2col(g, x, images), got, 0, 0);

        // <im2col(x), c> = <x, col2im(c)> for every x and c: col2im is the adjoint
        float[] c = random(rnd, got.length, -1, 1);
        backend.fill(dx, Float.NaN);
        backend.col2im(g, up(c, cols.rows(), cols.cols()), dx);
        float[] back = backend.download(dx);
        double left = 0;
        double right = 0;
        double scale = 0;
        for (int i = 0; i < got.length; i++) {
            left += (double) got[i] * c[i];
            scale += Math.abs((double) got[i] * c[i]);
        }
        for (int i = 0; i < x.length; i++) {
            right += (double) x[i] * back[i];
        }
        assertEquals(left, right, 1e-5 * scale + 1e-6, "col2im " + g + " is the adjoint of im2col");
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("windows")
    void convolutionIsIm2colThenGemm(int images, Window g) {
        Random rnd = new Random(g.hashCode() + 7L);
        int filters = 6;
        float[] x = random(rnd, images * g.imageSize(), -1, 1);
        float[] w = random(rnd, filters * g.patchSize(), -1, 1);
        DeviceMatrix cols = zeros(images * g.positions(), g.patchSize());
        backend.im2col(g, up(x, images, g.imageSize()), cols);
        // cols (N·OH·OW, KH·KW·C) · Wᵀ (KH·KW·C, F) -> (N·OH·OW, F)
        DeviceMatrix out = zeros(cols.rows(), filters);
        backend.gemm(Transpose.NONE, Transpose.TRANSPOSE, 1f, cols, up(w, filters, g.patchSize()), 0f, out);
        assertNear("convolution " + g, Reference.convolve(g, x, images, w, filters), backend.download(out),
                0, 2e-6 * g.patchSize());
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("windows")
    void poolingForwardAndBackward(int images, Window g) {
        Random rnd = new Random(g.hashCode() + 11L);
        int outSize = g.positions() * g.channels();
        float[] x = random(rnd, images * g.imageSize(), -2, 2);
        float[] dy = random(rnd, images * outSize, -1, 1);
        DeviceMatrix dx = up(x, images, g.imageSize());
        DeviceMatrix ddy = up(dy, images, outSize);
        for (Pooling p : Pooling.values()) {
            float[][] expected = Reference.pool(p, g, x, dy, images);
            DeviceMatrix y = zeros(images, outSize);
            DeviceMatrix grad = zeros(images, g.imageSize());
            backend.fill(grad, Float.NaN);
            backend.poolForward(p, g, dx, y);
            assertNear(p + " pool forward " + g, expected[0], backend.download(y), 4 * U, 1e-7);
            backend.poolBackward(p, g, dx, ddy, grad);
            // each element sums up to KH·KW window gradients of |dy| ≤ 1, rounding at every add
            assertNear(p + " pool backward " + g, expected[1], backend.download(grad), 0,
                    2 * U * g.kernelHeight() * g.kernelWidth());
        }
    }

    @Test
    void maxPoolSendsTheGradientOfATieToTheFirstInput() {
        Window g = new Window(1, 2, 4, 2, 2, 2, 0);
        DeviceMatrix x = up(new float[] {3, 3, 1, 2, 3, 3, 2, 1}, 1, 8);
        DeviceMatrix dx = zeros(1, 8);
        backend.poolBackward(Pooling.MAX, g, x, up(new float[] {5, 7}, 1, 2), dx);
        assertNear("tie", new float[] {5, 0, 0, 7, 0, 0, 0, 0}, backend.download(dx), 0, 0);
    }

    @Test
    void badShapesNameTheOpTheWindowAndTheShapes() {
        Window g = new Window(1, 28, 28, 5, 5, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.im2col(g, zeros(2, 784), zeros(2 * 576, 24)));
        assertTrue(e.getMessage().contains("im2col") && e.getMessage().contains("1152x24")
                && e.getMessage().contains("kernel 5x5"), e.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> backend.poolForward(Pooling.MAX, Window.square(1, 28, 28, 2, 2, 0), zeros(2, 784),
                        zeros(2, 195)));
        assertTrue(pool.getMessage().contains("MAX pool forward") && pool.getMessage().contains("2x195")
                && pool.getMessage().contains("(N, 196)"), pool.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Window(1, 4, 4, 5, 5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Window(1, 4, 4, 3, 3, 0, 0));
    }
}
