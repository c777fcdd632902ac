package io.wdrf.bench;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.ManualClock;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.engine.WriteOrdering;
import io.wdrf.kueue.InMemoryCluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The write path at {@code write.qps}: {@code pending} pending workloads over {@code queues} ClusterQueues and 1,000
 * namespaces, created over the last day (so aging steps keep arriving), no admissions; the reconcile loop every
 * 30 s on a simulated clock, each write costing {@code 1/qps} s of it (so a cycle writes at most {@code 30 × qps}).
 * Reports, per {@link WriteOrdering}: the simulated time until Kueue's head of every queue (its first {@code K}
 * by effective priority, queue-order time, uid) equals WDRF's (by target priority, same tie-breaks), and the
 * writes of one simulated hour.
 *
 * <p>Run: {@code java -cp wdrf-benchmarks/target/wdrf-benchmarks.jar io.wdrf.bench.WriteEconomy [pending] [qps]
 * [PLAN,ADMISSION_FIRST,ORDER_ONLY]}
 */
public final class WriteEconomy {

    private static final int QUEUES = 4;
    private static final int HEAD = 10;

    private WriteEconomy() {
    }

    public static void main(String[] args) {
        int pending = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        double qps = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        List<WriteOrdering> orderings = args.length > 2
                ? java.util.Arrays.stream(args[2].split(",")).map(WriteOrdering::valueOf).toList()
                : List.of(WriteOrdering.values());
        for (WriteOrdering o : orderings) {
            long t0 = System.nanoTime();
            Result r = run(pending, qps, o);
            System.out.printf(Locale.ROOT, "%-16s head order after %s simulated, heads agree after %d of %d cycles, "
                            + "%d writes in 1 h (wall %.0f s)%n",
                    o, r.headAt == null ? "never (>1 h)" : r.headAt.toSeconds() + " s", r.agreeing, r.cycles, r.writes,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    record Result(Duration headAt, long writes, int cycles, int agreeing) {
    }

    static Result run(int pending, double qps, WriteOrdering ordering) {
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        ManualClock clock = new ManualClock(start);
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock);
        for (int q = 0; q < QUEUES; q++) {
            // quota for a handful of the pending workloads of each queue: the admission window
            b.clusterQueue(ClusterQueueInfo.of("cq-" + q, List.of(ResourceQuota.of("default", "cpu", "40"))));
        }
        for (int t = 0; t < 1000; t++) {
            b.localQueue("team-" + t, "q", "cq-" + (t % QUEUES));
        }
        InMemoryCluster cluster = b.build();
        Random rnd = new Random(1);
        for (int i = 0; i < pending; i++) {
            String ns = "team-" + (int) Math.floor(Math.pow(rnd.nextDouble(), 2) * 1000);
            cluster.submit(Workload.builder(ns, "job-" + i, start.minusSeconds(rnd.nextInt(86_400))).queueName("q")
                    .addPodSet(PodSet.of("main", 1, Map.of("cpu", String.valueOf(1 + rnd.nextInt(8))))).build());
        }
        WdrfEngine engine = WdrfEngine.builder().clock(clock).build();
        long[] writes = {0};
        PriorityWriter paced = new PriorityWriter() {
            @Override
            public WriteResult apply(List<PriorityUpdate> updates) {
                clock.advance(Duration.ofNanos((long) (updates.size() * 1e9 / qps)));
                writes[0] += updates.size();
                return cluster.apply(updates);
            }

            @Override
            public void recordEvent(WorkloadId id, String reason, String message) {
            }
        };
        int perCycle = (int) Math.max(1, Math.round(30 * qps));
        ReconcilerSettings settings = ReconcilerSettings.builder().debounce(Duration.ZERO).emitEvents(false)
                .recordExplanation(false).maxWritesPerCycle(perCycle).writeOrdering(ordering).build();
        Reconciler loop = Reconciler.builder(cluster, paced, engine).settings(settings).build();
        Duration headAt = null;
        int cycles = 0;
        int agreeing = 0;
        Instant end = start.plus(Duration.ofHours(1));
        while (clock.instant().isBefore(end)) {
            Instant cycleStart = clock.instant();
            loop.runOnce();
            cycles++;
            if (headsAgree(cluster, engine)) {
                agreeing++;
                if (headAt == null) {
                    headAt = Duration.between(start, clock.instant());
                }
            }
            Instant next = cycleStart.plusSeconds(30);
            if (clock.instant().isBefore(next)) {
                clock.set(next);
            }
        }
        return new Result(headAt, writes[0], cycles, agreeing);
    }

    /** Kueue's first {@link #HEAD} per queue (current effective priority) equal WDRF's (target priority). */
    private static boolean headsAgree(InMemoryCluster cluster, WdrfEngine engine) {
        var snapshot = cluster.snapshot();
        var ev = engine.evaluate(snapshot);
        PriorityPlan plan = ev.plan();
        Map<WorkloadId, Integer> target = new HashMap<>();
        for (PriorityDecision d : plan.decisions()) {
            target.put(d.workloadId(), d.priority());
        }
        Map<String, List<Workload>> byQueue = new HashMap<>();
        for (var p : ev.context().pending()) {
            byQueue.computeIfAbsent(ev.clusterQueue().getOrDefault(p.id(), ""), k -> new ArrayList<>()).add(p.workload());
        }
        for (List<Workload> ws : byQueue.values()) {
            Comparator<Workload> tie = Comparator.comparing(Workload::queueOrderTime).thenComparing(Workload::uid);
            List<Workload> kueue = new ArrayList<>(ws);
            kueue.sort(Comparator.comparingInt(Workload::effectivePriority).reversed().thenComparing(tie));
            List<Workload> wdrf = new ArrayList<>(ws);
            wdrf.sort(Comparator.<Workload>comparingInt(w -> target.getOrDefault(w.id(), w.effectivePriority())).reversed()
                    .thenComparing(tie));
            int k = Math.min(HEAD, ws.size());
            for (int i = 0; i < k; i++) {
                if (!kueue.get(i).id().equals(wdrf.get(i).id())) {
                    return false;
                }
            }
        }
        return true;
    }
}
