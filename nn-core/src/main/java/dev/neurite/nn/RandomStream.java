package dev.neurite.nn;

import java.util.random.RandomGenerator;

/**
 * A seeded random stream whose whole state is one {@code long} that can be read and set, so a
 * checkpoint can capture where a stream stands and a resumed run continue it exactly. It is the
 * generator of {@link java.util.Random} (the 48-bit linear congruential generator whose
 * algorithms that class's documentation fixes): {@code nextInt}, {@code nextInt(bound)} and
 * {@code nextLong} give the values {@code new Random(seed)} gives, so a seed shuffles as it always
 * has. Used for the trainer's shuffles and for layers' own draws ({@link Binding#random()}).
 */
public final class RandomStream implements RandomGenerator {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private long state;

    /** The stream {@code new java.util.Random(seed)} starts. */
    public RandomStream(long seed) {
        this.state = (seed ^ MULTIPLIER) & MASK;
    }

    private int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    @Override
    public int nextInt() {
        return next(32);
    }

    /** Uniform in [0, bound), as {@link java.util.Random#nextInt(int)} computes it. */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = next(31);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = next(31)) {
            // rejected: u fell in the last, incomplete run of bound values
        }
        return r;
    }

    @Override
    public long nextLong() {
        return ((long) next(32) << 32) + next(32);
    }

    /** The whole state (48 bits): a stream set to it ({@link #setState}) continues with the same values. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state & MASK;
    }

    /** A seed for stream {@code index} derived from {@code seed}, independent of the other indices' seeds (SplitMix64's finalizer). */
    static long derive(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
