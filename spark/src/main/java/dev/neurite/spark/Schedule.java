package dev.neurite.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which rows each partition trains on, step by step. Partition p holds n_p rows and passes over
 * them once an epoch in S_p = ⌈n_p / B⌉ mini-batches of B rows, in an order shuffled per epoch
 * from (seed, p, epoch). An epoch has S = max_p S_p steps; a round runs K of them on every
 * partition (a partition whose pass is over sits the rest of the epoch out), so an epoch has
 * ⌈S / K⌉ rounds, K = S for synchronizing once an epoch.
 */
final class Schedule implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int batch;
    private final int[] rows;
    private final int stepsPerEpoch;
    private final int syncSteps;

    /**
     * @param rows      rows of each partition, in partition order
     * @param syncSteps K, or 0 for once an epoch
     */
    Schedule(int[] rows, int batch, int syncSteps) {
        this.batch = batch;
        this.rows = rows.clone();
        int s = 0;
        for (int p = 0; p < rows.length; p++) {
            s = Math.max(s, steps(p));
        }
        if (s == 0) {
            throw new IllegalArgumentException("no training rows in any of the " + rows.length + " partitions");
        }
        this.stepsPerEpoch = s;
        this.syncSteps = syncSteps == 0 ? s : Math.min(syncSteps, s);
    }

    /**
     * A round: steps [from, to) of epoch {@code epoch} (1-based), the {@code index}-th round of
     * that epoch (0-based).
     */
    record Round(int epoch, int index, int from, int to) implements Serializable {
    }

    /** S_p = ⌈n_p / B⌉. */
    int steps(int partition) {
        return (rows[partition] + batch - 1) / batch;
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    int syncSteps() {
        return syncSteps;
    }

    int partitions() {
        return rows.length;
    }

    int batch() {
        return batch;
    }

    long totalRows() {
        long n = 0;
        for (int r : rows) {
            n += r;
        }
        return n;
    }

    int roundsPerEpoch() {
        return (stepsPerEpoch + syncSteps - 1) / syncSteps;
    }

    List<Round> rounds(int epoch) {
        List<Round> all = new ArrayList<>();
        for (int i = 0, from = 0; from < stepsPerEpoch; i++, from += syncSteps) {
            all.add(new Round(epoch, i, from, Math.min(stepsPerEpoch, from + syncSteps)));
        }
        return all;
    }

    /** Rows of partition p trained in {@code round}: the samples its replica contributes. */
    long samples(int partition, Round round) {
        long n = 0;
        for (int step = round.from(); step < Math.min(round.to(), steps(partition)); step++) {
            n += Math.min(rows[partition], (step + 1) * batch) - step * batch;
        }
        return n;
    }

    /** The row order of partition {@code partition} in {@code epoch}: a Fisher-Yates shuffle of 0..n-1. */
    static int[] order(long seed, int partition, int epoch, int n) {
        Random rnd = new Random(mix(seed, partition, epoch));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A seed from several numbers, each bit of each affecting the result (SplitMix64's finalizer). */
    static long mix(long seed, long a, long b) {
        long h = seed;
        for (long v : new long[] {a, b}) {
            h += 0x9E3779B97F4A7C15L + v;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
        }
        return h;
    }
}
