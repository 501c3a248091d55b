package dev.neurite.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work items of a call's successive phases, dealt in shares, one share per part: item i of a
 * phase of n items belongs to share q when q·n/parts ≤ i &lt; (q+1)·n/parts. A part claims from
 * its own share first and then from the others', so each part usually works on the data it
 * touched in the phase before (the columns of B it packed are those it multiplies, in its own
 * L2), yet a part that starts late or never has its share taken by the others.
 *
 * <p>Each share has one counter that only grows; a part entering a phase works out, alone, where
 * every share's items of that phase begin and end on those counters, so parts may be in
 * different phases at once and need no lock.
 */
final class CpuShares {
    private final AtomicInteger[] next;
    /** Per part, per share: counter values where the share's items of the part's phase begin and end. */
    private final int[][] begin;
    private final int[][] end;
    /** Per part, per share: index in the phase of the share's first item. */
    private final int[][] first;
    private int parts;

    CpuShares(int maxParts) {
        next = new AtomicInteger[maxParts];
        for (int q = 0; q < maxParts; q++) {
            next[q] = new AtomicInteger();
        }
        begin = new int[maxParts][maxParts];
        end = new int[maxParts][maxParts];
        first = new int[maxParts][maxParts];
    }

    /** Starts a call on {@code parts} parts: no phase yet. */
    void reset(int parts) {
        this.parts = parts;
        for (int q = 0; q < parts; q++) {
            next[q].setRelease(0);
            for (int p = 0; p < parts; p++) {
                begin[p][q] = 0;
                end[p][q] = 0;
            }
        }
    }

    /** Part {@code part} enters its next phase, of {@code items} items. */
    void phase(int part, int items) {
        for (int q = 0; q < parts; q++) {
            int from = q * items / parts;
            int to = (q + 1) * items / parts;
            begin[part][q] = end[part][q];
            end[part][q] += to - from;
            first[part][q] = from;
        }
    }

    /** An unclaimed item of {@code part}'s current phase, from its own share if any is left, or -1. */
    int claim(int part) {
        for (int i = 0; i < parts; i++) {
            int q = (part + i) % parts;
            AtomicInteger counter = next[q];
            int limit = end[part][q];
            for (int v = counter.get(); v < limit; v = counter.get()) {
                if (counter.compareAndSet(v, v + 1)) {
                    return first[part][q] + v - begin[part][q];
                }
            }
        }
        return -1;
    }
}
