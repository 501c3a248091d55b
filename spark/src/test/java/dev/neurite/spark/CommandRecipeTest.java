package dev.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.nn.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** train --spark reads the network flags as neurite train does: --net, the per-optimizer rates, the same errors. */
class CommandRecipeTest {
    @Test
    void netAndTheOptimizersDefaultRateReachTheRecipe() {
        CommandRecipe.Chosen c = CommandRecipe.from(Map.of("net", "dense32,relu,dense10", "loss", "softmax-ce",
                "optimizer", "adam", "epochs", "3"), Shape.image(1, 28, 28), 10);
        assertEquals(3, c.epochs());
        assertEquals(0.001f, c.recipe().optimizer().learningRate());
        assertTrue(c.description().startsWith("--net dense32,relu,dense10, softmax-ce loss, adam(lr=0.001)"),
                c.description());
    }

    @Test
    void aSpecThatDoesNotFitTheDataIsRefusedBeforeSparkStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandRecipe.from(
                Map.of("net", "dense32,relu,dense7", "loss", "softmax-ce"), Shape.image(1, 28, 28), 10));
        assertTrue(e.getMessage().contains("--net ends with 7 outputs, the data needs 10"), e.getMessage());
    }
}
