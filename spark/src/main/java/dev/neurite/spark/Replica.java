package dev.neurite.spark;

import dev.neurite.backend.Backend;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Dropout;
import dev.neurite.nn.Network;
import dev.neurite.nn.Optimizer;
import dev.neurite.nn.Trainer;
import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * The executor's side of a round: builds the recipe's network on a borrowed backend, loads the
 * broadcast weights, runs the round's mini-batch steps on its shard and hands back its weights
 * with the number of rows it trained on. The replica's seed (dropout masks) comes from the
 * run's seed, the partition and the round, so a retried task repeats the first attempt exactly.
 *
 * @param recipe  network, loss, optimizer, batch
 * @param run     names the training run, whose replicas may reuse a network built on the same backend
 * @param seed    the run's seed
 * @param backend backend request for the executors, or null for each executor's own
 * @param threads CPU backend threads a task, or 0 for the task's share of cores (spark.task.cpus)
 */
record Replica(Recipe recipe, String run, long seed, String backend, int threads) implements Serializable {

    /** Trains {@code shard} through {@code round} from {@code start}. */
    Average train(Weights start, Shard shard, Schedule schedule, Schedule.Round round, long roundNumber) {
        int p = shard.partition();
        int last = Math.min(round.to(), schedule.steps(p));
        if (round.from() >= last) {
            return Average.of(null, 0, 0);
        }
        ExecutorBackends.Slot slot = ExecutorBackends.borrow(backend, cpus());
        try {
            Network net = network(slot, Schedule.mix(seed, p, roundNumber));
            Backend b = slot.backend;
            Optimizer optimizer = recipe.optimizer();
            start.into(net, optimizer);
            try (Trainer trainer = new Trainer(net, recipe.loss(), optimizer, recipe.batch(), seed)
                    .regularize(recipe.l1(), recipe.l2())) {
                Dataset data = shard.dataset(net.inputShape());
                int[] order = Schedule.order(seed, p, round.epoch(), shard.rows());
                int batch = recipe.batch();
                long t0 = System.nanoTime();
                long samples = 0;
                for (int step = round.from(); step < last; step++) {
                    int to = Math.min(shard.rows(), (step + 1) * batch);
                    trainer.step(data, order, step * batch, to);
                    samples += to - step * batch;
                }
                b.finish();
                long nanos = System.nanoTime() - t0;
                return Average.of(Weights.of(net, optimizer), samples, nanos);
            }
        } finally {
            ExecutorBackends.release(slot);
        }
    }

    /** CPU backend threads for this task: as asked, else the task's cores (spark.task.cpus). */
    private int cpus() {
        return threads > 0 ? threads : Math.max(1, TaskContext.get() == null ? 1 : TaskContext.get().cpus());
    }

    /**
     * The slot's network when the same run built it and it has no dropout, else a new one. Building
     * draws initial weights that the broadcast overwrites at once (for 784-512-512-10 that costs as
     * much as ten training steps); dropout's masks come from the build's seed, which is the
     * replica's and the round's, so a network with dropout is built anew each round.
     */
    private Network network(ExecutorBackends.Slot slot, long buildSeed) {
        if (slot.network != null && run.equals(slot.run)
                && slot.network.layers().stream().noneMatch(l -> l instanceof Dropout)) {
            return slot.network;
        }
        if (slot.network != null) {
            slot.network.close();
        }
        slot.network = null;
        slot.network = recipe.network().build(slot.backend, buildSeed);
        slot.run = run;
        return slot.network;
    }

    /** Loss and correct count of {@code weights} over {@code shard}, as sums for the driver to add. */
    Evaluation evaluate(Weights weights, Shard shard) {
        if (shard.rows() == 0) {
            return Evaluation.ZERO;
        }
        ExecutorBackends.Slot slot = ExecutorBackends.borrow(backend, cpus());
        try {
            Network net = network(slot, seed);
            try (Trainer trainer = new Trainer(net, recipe.loss(), Optimizer.sgd(1f), Math.max(recipe.batch(), 256), seed)) {
                weights.into(net, null);
                Trainer.Evaluation e = trainer.evaluate(shard.dataset(net.inputShape()));
                return new Evaluation(e.loss() * e.rows(), e.correct(), e.rows(), e.labelled());
            }
        } finally {
            ExecutorBackends.release(slot);
        }
    }

    /** Sums over partitions: loss·rows, correct rows, rows. */
    record Evaluation(double lossSum, long correct, long rows, boolean labelled) implements Serializable {
        static final Evaluation ZERO = new Evaluation(0, 0, 0, true);

        Evaluation add(Evaluation o) {
            return new Evaluation(lossSum + o.lossSum, correct + o.correct, rows + o.rows, labelled && o.labelled);
        }

        Trainer.Evaluation result() {
            return new Trainer.Evaluation(rows == 0 ? Double.NaN : lossSum / rows, (int) correct, (int) rows, labelled);
        }
    }
}
