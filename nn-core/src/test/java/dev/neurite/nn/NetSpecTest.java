package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line network grammar: every layer kind, shapes through the stack, and errors naming the token. */
class NetSpecTest extends OnCpu {
    @Test
    void lenetParsesToTheShapesAndParameterCountsOfLenet() {
        NetSpec spec = NetSpec.parse("conv5x20,relu,maxpool2,conv5x50,relu,maxpool2,flatten,dense500,relu,dropout0.5,dense10");
        assertEquals(Shape.flat(10), spec.output(Shape.image(1, 28, 28)));
        try (Network net = spec.build(backend, Shape.image(1, 28, 28), 1)) {
            // 5·5·20 + 20, 5·5·20·50 + 50, 800·500 + 500, 500·10 + 10
            assertEquals(520 + 25_050 + 400_500 + 5_010, net.summary().parameters());
        }
        assertNull(spec.finalActivation());
        assertTrue(spec.needsImages());
    }

    @Test
    void everyLayerKindIsInTheGrammar() {
        NetSpec spec = NetSpec.parse(" Conv3x8s2p1:HE , bn, elu:0.5, avgpool2s1, maxpool2, flatten, dense12:lecun, selu, "
                + "maxout3, dropout0, dense2, sigmoid");
        assertEquals(List.of("conv3x8s2p1:he", "batchnorm", "elu:0.5", "avgpool2s1", "maxpool2", "flatten", "dense12:lecun",
                "selu", "maxout3", "dropout0", "dense2", "sigmoid"), spec.tokens());
        // 9x9 padded by 1, 3x3 stride 2 -> 5x5; average 2 stride 1 -> 4x4; max 2 -> 2x2
        assertEquals(Shape.flat(2), spec.output(Shape.image(1, 9, 9)));
        assertEquals(Activation.SIGMOID, spec.finalActivation());
        assertEquals(spec, NetSpec.parse(spec.toString()));
        try (Network net = spec.build(backend, Shape.image(1, 9, 9), 3)) {
            String summary = net.summary().toString();
            assertTrue(summary.contains("(8, 5, 5)") && summary.contains("(4)"), summary);
        }
    }

    @Test
    void aWrongSpecNamesTheTokenAndWhy() {
        assertMessage("network spec: layer 2 'dense' is not a layer", () -> NetSpec.parse("dense10,dense,dense2"));
        assertMessage("layer 3 '' is empty", () -> NetSpec.parse("dense10,relu,,dense2"));
        assertMessage("layer 1 'dropout1.5' has rate 1.5", () -> NetSpec.parse("dropout1.5,dense2"));
        assertMessage("layer 1 'maxout1' takes the largest of 1", () -> NetSpec.parse("maxout1,dense2"));
        assertMessage("layer 1 'conv3x4p3' pads by 3", () -> NetSpec.parse("conv3x4p3,dense2"));
        assertMessage("layer 1 'relu:he' takes no initialization", () -> NetSpec.parse("relu:he,dense2"));
        assertMessage("layer 1 'dense4:uniform' ends in an unknown initialization", () -> NetSpec.parse("dense4:uniform"));
        assertMessage("has no dense or conv layer", () -> NetSpec.parse("relu,flatten"));
        assertMessage("layer 2 'maxpool2' gets samples (4) and needs images",
                () -> NetSpec.parse("dense4,maxpool2,dense2").output(Shape.flat(3)));
        assertMessage("layer 1 'conv5x4' gets samples (1, 3, 3)",
                () -> NetSpec.parse("conv5x4,flatten,dense2").output(Shape.image(1, 3, 3)));
        assertMessage("layer 2 'maxout3' gets samples (4) and has 4 features, not a multiple of 3",
                () -> NetSpec.parse("dense4,maxout3,dense2").output(Shape.flat(3)));
    }

    @Test
    void defaultInitializationFollowsTheActivationAfterEachLayer() {
        NetSpec spec = NetSpec.parse("dense50,relu,dense50,tanh,dense2");
        try (Network net = spec.build(backend, Shape.flat(400), 7)) {
            float[][] w = net.parameterValues();
            // He: variance 2/400; Glorot for tanh: 2/(50+50); Glorot for the linear output: 2/52
            assertEquals(2.0 / 400, variance(w[0]), 0.15 * 2.0 / 400);
            assertEquals(2.0 / 100, variance(w[2]), 0.15 * 2.0 / 100);
            assertEquals(2.0 / 52, variance(w[4]), 0.3 * 2.0 / 52);
        }
    }

    @Test
    void anMlpSpecIsTheDenseStackOfItsWidths() {
        NetSpec spec = NetSpec.mlp(new int[] {4, 10, 3}, Activation.SIGMOID, Activation.SIGMOID, 0.25f, Init.NORMAL);
        assertEquals("dense10:normal,sigmoid,dropout0.25,dense3:normal,sigmoid", spec.toString());
        assertEquals("dense10,relu,dense3",
                NetSpec.mlp(new int[] {4, 10, 3}, Activation.RELU, null, 0, null).toString());
    }

    private static double variance(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s / v.length;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
