package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Update;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flags of neurite train (and train --spark) as a recipe: defaults, hyper-parameters and checks. */
class FlagRecipeTest {
    @Test
    void eachOptimizerHasItsUsualLearningRate() {
        assertEquals(3.0f, lr(Map.of()));
        assertEquals(0.1f, lr(Map.of("loss", "softmax-ce")));
        assertEquals(0.1f * (1 - 0.9f), lr(Map.of("loss", "softmax-ce", "optimizer", "momentum")), 1e-7);
        assertEquals(0.01f, lr(Map.of("optimizer", "adagrad")));
        assertEquals(1.0f, lr(Map.of("optimizer", "adadelta")));
        for (String o : new String[] {"rmsprop", "adam", "adamax", "nadam", "amsgrad"}) {
            assertEquals(0.001f, lr(Map.of("optimizer", o)), o);
        }
        assertEquals(0.001f, lr(Map.of("model", "mlp-large")));
        assertEquals(0.05f, lr(Map.of("optimizer", "adam", "lr", "0.05")));
    }

    @Test
    void hyperParametersReachTheOptimizer() {
        Optimizer.Settings adam = FlagRecipe.parse(Map.of("optimizer", "adam", "beta1", "0.8", "beta2", "0.99", "eps",
                "1e-5", "decay", "0.01")).optimizerSettings();
        assertEquals(Update.Kind.ADAM, adam.kind());
        assertEquals(0.8f, adam.beta1());
        assertEquals(0.99f, adam.beta2());
        assertEquals(1e-5f, adam.eps());
        assertEquals(0.01f, adam.decay());
        assertEquals(0.7f, FlagRecipe.parse(Map.of("optimizer", "rmsprop", "rho", "0.7")).optimizerSettings().beta1());
    }

    @Test
    void zeroMeansOffWhereverItCan() {
        FlagRecipe r = FlagRecipe.parse(Map.of("l1", "0", "l2", "0", "decay", "0", "dropout", "0", "optimizer", "momentum",
                "momentum", "0"));
        assertEquals(0f, r.l1());
        assertEquals(0f, r.l2());
        assertEquals(0f, r.optimizerSettings().decay());
    }

    @Test
    void theNetworkFollowsTheFlagsAndTheData() {
        FlagRecipe classic = FlagRecipe.parse(Map.of());
        assertEquals("dense15:normal,sigmoid,dense10:normal,sigmoid", classic.spec(Shape.flat(784), 10).toString());
        assertEquals("dense15,relu,dense3", FlagRecipe.parse(Map.of("activation", "relu", "loss", "softmax-ce"))
                .spec(Shape.flat(4), 3).toString());
        FlagRecipe binary = FlagRecipe.parse(Map.of("layers", "4,8,1", "loss", "binary-ce"));
        binary.check(Shape.flat(4), 2);
        assertEquals(1, binary.units(2));
        assertNull(FlagRecipe.parse(Map.of("model", "lenet")).spec(Shape.image(1, 28, 28), 10));
        assertEquals(Preset.LINEAR, FlagRecipe.parse(Map.of("target", "y")).preset());
    }

    @Test
    void anInitThatDoesNotSuitTheActivationGetsAHint() {
        assertEquals("--init normal with --activation relu: he (the default without --init) usually trains better",
                FlagRecipe.parse(Map.of("init", "normal", "activation", "relu")).initHint());
        assertNull(FlagRecipe.parse(Map.of("init", "he", "activation", "relu")).initHint());
        assertNull(FlagRecipe.parse(Map.of("init", "normal")).initHint());
        assertNull(FlagRecipe.parse(Map.of("activation", "relu")).initHint());
    }

    @Test
    void wrongFlagsAreNamed() {
        assertMessage("--momentum applies to momentum, nesterov; the optimizer is adam", Map.of("optimizer", "adam",
                "momentum", "0.9"));
        assertMessage("--rho applies to rmsprop, adadelta; the optimizer is sgd (choose one with --optimizer)",
                Map.of("rho", "0.9"));
        assertMessage("--beta1 must be in [0, 1)", Map.of("optimizer", "adam", "beta1", "1"));
        assertMessage("--lr must be a positive number", Map.of("lr", "-1"));
        assertMessage("--lr must be a positive number", Map.of("lr", "Infinity"));
        assertMessage("--layers describes the network built from flags; --model lenet fixes it",
                Map.of("model", "lenet", "layers", "784,10"));
        assertMessage("--activation belongs to the network --layers describes", Map.of("net", "dense10",
                "activation", "relu"));
        assertMessage("--target makes a regression, which trains with the quadratic loss", Map.of("target", "y",
                "loss", "softmax-ce"));
        assertMessage("network spec: layer 1 'dens10'", Map.of("net", "dens10"));
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> FlagRecipe.parse(Map.of("net", "dense10,relu,dense4", "loss", "softmax-ce")).check(Shape.flat(4), 3));
        assertTrue(fit.getMessage().contains("--net ends with 4 outputs, the data needs 3"), fit.getMessage());
        IllegalArgumentException activated = assertThrows(IllegalArgumentException.class,
                () -> FlagRecipe.parse(Map.of("net", "dense3,sigmoid", "loss", "softmax-ce")).check(Shape.flat(4), 3));
        assertTrue(activated.getMessage().contains("--net ends in sigmoid"), activated.getMessage());
    }

    private static float lr(Map<String, String> flags) {
        return FlagRecipe.parse(flags).optimizerSettings().lr();
    }

    private static void assertMessage(String expected, Map<String, String> flags) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlagRecipe.parse(flags));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
