package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import org.junit.jupiter.api.Test;

/** Data that does not fit the network is refused with both shapes named. */
class TrainerTest {

    @Test
    void dataThatDoesNotFitTheNetworkIsNamed() {
        Dataset fourClasses = OptimizerTest.toyData(20, 1);
        try (Backend backend = Backends.open("cpu");
             Network net = Network.builder(16).dense(3, Init.XAVIER).build(backend, 1);
             Trainer trainer = new Trainer(net, Loss.SOFTMAX_CROSS_ENTROPY, Optimizer.sgd(0.1f), 5, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.epoch(fourClasses));
            assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains("3 outputs"), e.getMessage());
        }
    }
}
