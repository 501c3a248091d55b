package dev.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stream is java.util.Random's generator with its state in reach. */
class RandomStreamTest {

    @Test
    void itGivesWhatJavaUtilRandomGives() {
        for (long seed : new long[] {0, 1, -7, 123456789012345L}) {
            Random reference = new Random(seed);
            RandomStream s = new RandomStream(seed);
            for (int i = 0; i < 1000; i++) {
                int bound = 1 + (i * 7919) % 100_000;
                assertEquals(reference.nextInt(bound), s.nextInt(bound), "nextInt(" + bound + "), seed " + seed);
                assertEquals(reference.nextLong(), s.nextLong());
                assertEquals(reference.nextInt(), s.nextInt());
                assertEquals(reference.nextInt(64), s.nextInt(64));
            }
        }
    }

    @Test
    void aStreamSetToAnotherStatesContinuesAlike() {
        RandomStream a = new RandomStream(5);
        for (int i = 0; i < 17; i++) {
            a.nextLong();
        }
        RandomStream b = new RandomStream(99);
        b.setState(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextInt(1000), b.nextInt(1000));
            assertEquals(a.nextGaussian(), b.nextGaussian());
        }
    }
}
