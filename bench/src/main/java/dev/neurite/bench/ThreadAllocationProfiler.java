package dev.neurite.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH's {@code -prof gc} per thread: the bytes each Java thread allocated during an iteration,
 * divided by the iteration's operations, as secondary results {@code thread.alloc.NAME} (B/op),
 * with {@code thread.alloc.all} the JVM's total over the same span (what {@code -prof gc}
 * reports as gc.alloc.rate.norm) and {@code thread.alloc.unattributed} the part of it no live
 * thread accounts for (threads that ended, and the VM's hidden threads). So where a benchmark's
 * allocation per op comes from the harness rather than from the code under test, the report
 * says which thread it was (threads of one name are summed; one started during the iteration
 * counts from zero). Usage:
 * {@code -prof dev.neurite.bench.ThreadAllocationProfiler}.
 */
public final class ThreadAllocationProfiler implements InternalProfiler {
    private final com.sun.management.ThreadMXBean bean =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private Map<Long, Long> before = Map.of();
    private long totalBefore;

    @Override
    public String getDescription() {
        return "Bytes allocated per operation by each Java thread (HotSpot per-thread counters)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = snapshot(bean.getAllThreadIds());
        totalBefore = bean.getTotalThreadAllocatedBytes();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long total = bean.getTotalThreadAllocatedBytes() - totalBefore;
        long[] ids = bean.getAllThreadIds();
        Map<Long, Long> after = snapshot(ids);
        ThreadInfo[] infos = bean.getThreadInfo(ids);
        Map<String, Long> byName = new TreeMap<>();
        long attributed = 0;
        for (int i = 0; i < ids.length; i++) {
            Long now = after.get(ids[i]);
            if (now == null || infos[i] == null) {
                continue;
            }
            long bytes = now - before.getOrDefault(ids[i], 0L);
            attributed += bytes;
            byName.merge(infos[i].getThreadName(), bytes, Long::sum);
        }
        double ops = Math.max(1, result.getMetadata().getAllOps());
        List<Result> out = new ArrayList<>();
        out.add(perOp("all", total, ops));
        out.add(perOp("unattributed", total - attributed, ops));
        for (Map.Entry<String, Long> e : byName.entrySet()) {
            out.add(perOp(e.getKey(), e.getValue(), ops));
        }
        return out;
    }

    private Map<Long, Long> snapshot(long[] ids) {
        long[] bytes = bean.getThreadAllocatedBytes(ids);
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    private static Result perOp(String thread, long bytes, double ops) {
        return new ScalarResult("thread.alloc." + thread, bytes / ops, "B/op", AggregationPolicy.AVG);
    }
}
