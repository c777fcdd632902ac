package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission model's persistent queues and early-stopping walk ({@link PendingQueue}, {@link ClusterQueueHeap})
 * against the full path (every queued workload enqueued and sorted per cycle, every head visited): two clusters fed
 * the same random sequences of submissions, admission cycles, finishes, deletions, evictions, priority writes,
 * deactivations and queue changes must admit and preempt the same workloads in the same order and store the same
 * objects after every step — with and without cohorts, preempting queues, StrictFIFO and Fair Sharing. The reference
 * records inadmissible reasons, the persistent path builds none (failures remembered with an empty reason).
 */
class PersistentQueuesPropertyTest {

    private static final String[] LQS = {"lq0", "lq1", "lq2"};

    private record Pair(InMemoryCluster fast, InMemoryCluster full) {
    }

    private static ClusterQueueInfo queue(Random rnd, int q, boolean cohorts, boolean preempting) {
        String cohort = cohorts && rnd.nextInt(4) != 0 ? "pool" : null;
        List<ResourceQuota> quotas = new ArrayList<>();
        for (String f : List.of("f0", "f1")) {
            if (f.equals("f1") && rnd.nextBoolean()) {
                continue;
            }
            for (String r : List.of("cpu", "memory")) {
                BigDecimal nominal = BigDecimal.valueOf(rnd.nextInt(7));
                BigDecimal borrowing = cohort != null && rnd.nextInt(3) == 0 ? BigDecimal.valueOf(rnd.nextInt(4)) : null;
                quotas.add(new ResourceQuota(f, r, nominal, borrowing, null));
            }
        }
        String strategy = rnd.nextInt(4) == 0 ? ClusterQueueInfo.STRICT_FIFO : ClusterQueueInfo.BEST_EFFORT_FIFO;
        String within = preempting && rnd.nextInt(3) == 0 ? "LowerPriority" : ClusterQueueInfo.NEVER;
        String reclaim = preempting && cohort != null && rnd.nextInt(3) == 0 ? "Any" : null;
        return new ClusterQueueInfo("cq" + q, cohort, quotas, strategy, within, reclaim, null, 1.0 + rnd.nextInt(2));
    }

    private static Pair pair(Random rnd, ManualClock clock, boolean cohorts, boolean preempting, boolean fairSharing) {
        int nQueues = 1 + rnd.nextInt(3);
        List<ClusterQueueInfo> queues = new ArrayList<>();
        for (int q = 0; q < nQueues; q++) {
            queues.add(queue(rnd, q, cohorts, preempting));
        }
        InMemoryCluster[] c = new InMemoryCluster[2];
        for (int k = 0; k < 2; k++) {
            // the reference also records the reasons: a cycle that builds none (the fast path) must decide the same
            InMemoryCluster.Builder b = InMemoryCluster.builder(clock);
            if (k == 0) {
                b.withoutInadmissibleReasons();
            }
            b.flavor("f0");
            b.flavor("f1", Map.of("zone", "b"));
            if (fairSharing) {
                b.fairSharing(FairSharingConfig.defaults());
            }
            queues.forEach(b::clusterQueue);
            for (int ns = 0; ns < 3; ns++) {
                for (int l = 0; l < LQS.length; l++) {
                    b.localQueue("ns" + ns, LQS[l], "cq" + (l % nQueues));
                }
            }
            c[k] = b.build();
        }
        c[1].persistentQueues(false);
        return new Pair(c[0], c[1]);
    }

    /** A workload from a handful of shapes (so the memo and the early stop apply), now, in a random LocalQueue. */
    private static Workload workload(Random rnd, ManualClock clock, int i) {
        int podSets = rnd.nextInt(6) == 0 ? 2 : 1;
        List<PodSet> ps = new ArrayList<>();
        for (int p = 0; p < podSets; p++) {
            PodSet s = PodSet.of("ps" + p, 1 + rnd.nextInt(2),
                    Map.of("cpu", Integer.toString(1 + rnd.nextInt(3)), "memory", Integer.toString(rnd.nextInt(2))));
            if (rnd.nextInt(8) == 0) {
                s = new PodSet(s.name(), s.count(), null, s.containers(), Map.of(), Map.of("zone", "b"), Map.of());
            }
            ps.add(s);
        }
        String queue = rnd.nextInt(30) == 0 ? "missing" : LQS[rnd.nextInt(LQS.length)];
        return Workload.builder("ns" + rnd.nextInt(3), "w" + i, clock.instant().minusSeconds(rnd.nextInt(3)))
                .queueName(queue)
                .priority(rnd.nextInt(4) == 0 ? null : rnd.nextInt(4))
                .podSets(ps).build();
    }

    private static List<WorkloadId> ids(InMemoryCluster c, Phase phase) {
        return c.snapshot().workloads().stream().filter(w -> w.phase() == phase).map(Workload::id).toList();
    }

    private static <T> T pick(Random rnd, List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** Cycles (of the persistent path) in which some queue stopped its walk with entries still ahead. */
    private static long stops;

    /** Replays one random sequence on both clusters; returns how many cycles admitted or preempted something. */
    private static int replay(long seed, boolean cohorts, boolean preempting, boolean fairSharing) {
        Random rnd = new Random(seed);
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        Pair p = pair(rnd, clock, cohorts, preempting, fairSharing);
        int next = 0;
        int acting = 0;
        for (int step = 0; step < 120; step++) {
            String ctx = "seed " + seed + " step " + step + (cohorts ? " cohorts" : "") + (preempting ? " preempting" : "")
                    + (fairSharing ? " fair-sharing" : "");
            int op = rnd.nextInt(20);
            List<WorkloadId> admitted = ids(p.full(), Phase.ADMITTED);
            List<WorkloadId> pending = ids(p.full(), Phase.PENDING);
            if (op < 6) {
                for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
                    Workload w = workload(rnd, clock, next++);
                    p.fast().submit(w);
                    p.full().submit(w);
                }
            } else if (op < 11) {
                AdmissionResult a = p.fast().admissionCycle();
                AdmissionResult b = p.full().admissionCycle();
                assertThat(a.admitted()).as(ctx + " admitted").isEqualTo(b.admitted());
                assertThat(a.preempted()).as(ctx + " preempted").isEqualTo(b.preempted());
                assertThat(a.deactivated()).as(ctx + " deactivated").isEqualTo(b.deactivated());
                assertThat(p.fast().usesPersistentQueues()).as(ctx + " walks the persistent queues").isTrue();
                assertThat(p.full().usesPersistentQueues()).as(ctx + " the reference takes the full path").isFalse();
                if (!a.isEmpty()) {
                    acting++;
                }
            } else if (op < 14 && !admitted.isEmpty()) {
                WorkloadId id = pick(rnd, admitted);
                if (rnd.nextBoolean()) {
                    assertThat(p.fast().finish(id)).isEqualTo(p.full().finish(id));
                } else {
                    assertThat(p.fast().delete(id)).isEqualTo(p.full().delete(id));
                }
            } else if (op < 16 && !pending.isEmpty()) {
                WorkloadId id = pick(rnd, pending);
                Integer prio = rnd.nextInt(5) == 0 ? null : rnd.nextInt(6);
                assertThat(p.fast().setPriority(id, prio)).isEqualTo(p.full().setPriority(id, prio));
            } else if (op == 16 && !admitted.isEmpty()) {
                WorkloadId id = pick(rnd, admitted);
                assertThat(p.fast().evict(id)).isEqualTo(p.full().evict(id));
            } else if (op == 17 && !(pending.isEmpty() && admitted.isEmpty())) {
                WorkloadId id = pick(rnd, rnd.nextBoolean() && !pending.isEmpty() ? pending
                        : admitted.isEmpty() ? pending : admitted);
                boolean active = rnd.nextInt(3) == 0;
                assertThat(p.fast().setActive(id, active)).isEqualTo(p.full().setActive(id, active));
            } else if (op == 18 && rnd.nextInt(3) == 0) {
                // a LocalQueue re-pointed (or pointed at a ClusterQueue that does not exist)
                int cqs = p.full().snapshot().clusterQueues().size();
                LocalQueueInfo lq = new LocalQueueInfo("ns" + rnd.nextInt(3), pick(rnd, List.of(LQS)),
                        "cq" + rnd.nextInt(cqs + 1));
                p.fast().putLocalQueue(lq);
                p.full().putLocalQueue(lq);
            } else if (op == 19 && rnd.nextInt(3) == 0) {
                int cqs = p.full().snapshot().clusterQueues().size();
                ClusterQueueInfo cq = queue(rnd, rnd.nextInt(cqs), cohorts, preempting);
                p.fast().putClusterQueue(cq);
                p.full().putClusterQueue(cq);
            } else {
                clock.advance(Duration.ofSeconds(1 + rnd.nextInt(30)));
            }
            assertThat(p.fast().snapshot().workloads()).as(ctx + " stored workloads")
                    .isEqualTo(p.full().snapshot().workloads());
        }
        assertThat(p.full().earlyStops()).isZero();
        stops += p.fast().earlyStops();
        return acting;
    }

    /**
     * A long queue of one shape with a rare larger shape at its end: once the quota is used up, the walk stops
     * without visiting the queue (the rare shape is found not to fit without reaching its head), and admits what
     * the full walk admits; freed quota lets the next cycle admit again.
     */
    @Test
    void aRareShapeDeepInTheQueueDoesNotKeepTheWalkGoing() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        InMemoryCluster[] c = new InMemoryCluster[2];
        for (int k = 0; k < 2; k++) {
            c[k] = InMemoryCluster.builder(clock).withoutInadmissibleReasons().flavor("f0")
                    .clusterQueue("cq", ResourceQuota.of("f0", "cpu", "2"))
                    .localQueue("ns", "lq", "cq").build();
            for (int i = 0; i < 1000; i++) {
                c[k].submit(Workload.builder("ns", String.format("w%04d", i), clock.instant().plusSeconds(i))
                        .queueName("lq").podSets(List.of(PodSet.of("main", 1, Map.of("cpu", "1")))).build());
            }
            c[k].submit(Workload.builder("ns", "rare", clock.instant().plusSeconds(5000)).queueName("lq")
                    .podSets(List.of(PodSet.of("main", 1, Map.of("cpu", "3")))).build());
        }
        c[1].persistentQueues(false);
        AdmissionResult fast = c[0].admissionCycle();
        AdmissionResult full = c[1].admissionCycle();
        assertThat(fast.admitted()).isEqualTo(full.admitted()).hasSize(2);
        assertThat(c[0].headsVisited()).as("heads popped: the two admitted ones").isEqualTo(2);
        assertThat(c[0].earlyStops()).isEqualTo(1);
        for (InMemoryCluster x : c) {
            x.finish(new WorkloadId("ns", "w0000"));
        }
        assertThat(c[0].admissionCycle().admitted()).isEqualTo(c[1].admissionCycle().admitted())
                .containsExactly(new WorkloadId("ns", "w0002"));
        assertThat(c[0].headsVisited()).isEqualTo(3);
    }

    @Test
    void singleQueuesWithoutPreemptionEqualTheFullPath() {
        stops = 0;
        int acting = 0;
        for (long seed = 1; seed <= 150; seed++) {
            acting += replay(seed, false, false, false);
        }
        assertThat(acting).as("cycles that admitted something").isGreaterThan(1000);
        assertThat(stops).as("walks stopped early").isGreaterThan(1000);
    }

    @Test
    void cohortsAndPreemptionEqualTheFullPath() {
        stops = 0;
        int acting = 0;
        for (long seed = 1; seed <= 150; seed++) {
            acting += replay(seed, true, true, false);
        }
        assertThat(acting).isGreaterThan(1000);
        assertThat(stops).as("walks stopped early").isGreaterThan(500);
    }

    @Test
    void fairSharingEqualsTheFullPath() {
        int acting = 0;
        for (long seed = 1; seed <= 100; seed++) {
            acting += replay(seed, true, seed % 2 == 0, true);
        }
        assertThat(acting).isGreaterThan(500);
    }
}
