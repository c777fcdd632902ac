package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
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
 * The admission model's persistent quota tree (charged as workloads start and stop holding quota, copied per cycle)
 * against a from-scratch charge: over seeded random sequences of submit / admit / finish / evict / delete /
 * priority / deactivate / ClusterQueue changes, the tree equals a new charge after every step, and a twin cluster
 * forced to rebuild its tree before every cycle makes the same decisions.
 */
class PersistentQuotaTreeTest {

    private static final String[] RESOURCES = {"cpu", "memory"};

    private static List<ClusterQueueInfo> queues(Random rnd, int variant) {
        List<ClusterQueueInfo> out = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
            List<ResourceQuota> quotas = new ArrayList<>();
            for (String r : RESOURCES) {
                int nominal = 2 + rnd.nextInt(6) + variant;
                BigDecimal borrowing = rnd.nextInt(3) == 0 ? BigDecimal.valueOf(rnd.nextInt(4)) : null;
                BigDecimal lending = rnd.nextInt(3) == 0 ? BigDecimal.valueOf(rnd.nextInt(nominal + 1)) : null;
                quotas.add(new ResourceQuota("default", r, BigDecimal.valueOf(nominal), borrowing, lending));
            }
            String cohort = q == 2 ? "child" : "pool";
            out.add(new ClusterQueueInfo("cq" + q, cohort, quotas,
                    rnd.nextInt(4) == 0 ? ClusterQueueInfo.STRICT_FIFO : ClusterQueueInfo.BEST_EFFORT_FIFO,
                    rnd.nextBoolean() ? "LowerPriority" : "Never", rnd.nextBoolean() ? "Any" : "Never", null, 1.0));
        }
        return out;
    }

    private static InMemoryCluster cluster(ManualClock clock, List<ClusterQueueInfo> queues) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                .cohort(new CohortInfo("child", "pool", List.of(), 1.0));
        queues.forEach(b::clusterQueue);
        for (int q = 0; q < queues.size(); q++) {
            b.localQueue("ns", "lq" + q, "cq" + q);
        }
        return b.build();
    }

    @Test
    void persistentTreeEqualsAFromScratchChargeAndDecidesTheSame() {
        for (int seed = 0; seed < 40; seed++) {
            Random rnd = new Random(seed);
            ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
            List<ClusterQueueInfo> queues = queues(rnd, 0);
            InMemoryCluster a = cluster(clock, queues);
            InMemoryCluster b = cluster(clock, queues);
            int next = 0;
            boolean sawIncremental = false;
            for (int step = 0; step < 150; step++) {
                clock.advance(Duration.ofSeconds(1 + rnd.nextInt(30)));
                List<WorkloadId> ids = new ArrayList<>();
                a.snapshot().workloads().forEach(w -> ids.add(w.id()));
                WorkloadId some = ids.isEmpty() ? null : ids.get(rnd.nextInt(ids.size()));
                int op = rnd.nextInt(10);
                if (op <= 2 || some == null) {
                    Workload w = Workload.builder("ns", "w" + next++, clock.instant())
                            .queueName("lq" + rnd.nextInt(3)).priority(rnd.nextInt(4))
                            .podSets(List.of(PodSet.of("main", 1 + rnd.nextInt(2),
                                    Map.of("cpu", Integer.toString(1 + rnd.nextInt(3)),
                                            "memory", Integer.toString(rnd.nextInt(3))))))
                            .build();
                    a.submit(w);
                    b.submit(w);
                } else if (op <= 4) {
                    AdmissionResult ra = a.admissionCycle();
                    b.putClusterQueue(b.snapshot().clusterQueues().get(0)); // same object: forces a rebuilt tree
                    AdmissionResult rb = b.admissionCycle();
                    assertThat(ra.admitted()).as("seed %d step %d", seed, step).isEqualTo(rb.admitted());
                    assertThat(ra.preempted()).as("seed %d step %d", seed, step).isEqualTo(rb.preempted());
                    assertThat(ra.inadmissible()).as("seed %d step %d", seed, step).isEqualTo(rb.inadmissible());
                } else if (op == 5) {
                    a.finish(some);
                    b.finish(some);
                } else if (op == 6) {
                    a.evict(some);
                    b.evict(some);
                } else if (op == 7) {
                    a.delete(some);
                    b.delete(some);
                } else if (op == 8) {
                    int p = rnd.nextInt(6);
                    a.setPriority(some, p);
                    b.setPriority(some, p);
                } else if (rnd.nextInt(4) == 0) {
                    List<ClusterQueueInfo> changed = queues(new Random(seed * 31L + step), 1);
                    a.putClusterQueue(changed.get(0));
                    b.putClusterQueue(changed.get(0));
                } else {
                    boolean active = rnd.nextBoolean();
                    a.setActive(some, active);
                    b.setActive(some, active);
                }
                assertThat(a.quotaTreeConsistent()).as("seed %d step %d op %d", seed, step, op).isTrue();
                sawIncremental |= a.quotaTreeIncremental();
            }
            assertThat(sawIncremental).as("seed %d used the persistent tree", seed).isTrue();
        }
    }

    @Test
    void inexactQuantitiesFallBackToAFromScratchChargeEveryCycle() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "1"))
                .localQueue("ns", "lq", "cq").build();
        c.submit("ns", "a", "lq", PodSet.of("main", 1, Map.of("cpu", "500m")));
        c.admissionCycle();
        assertThat(c.quotaTreeIncremental()).isTrue();
        // 0.1 + 0.2 rounds differently from 0.2 + 0.1: such a value turns the persistent tree off
        c.submit("ns", "b", "lq", PodSet.of("main", 1, Map.of("cpu", "100m")));
        c.submit("ns", "c", "lq", PodSet.of("main", 1, Map.of("cpu", "200m")));
        c.submit("ns", "d", "lq", PodSet.of("main", 1, Map.of("cpu", "200m")));
        AdmissionResult r = c.admissionCycle();
        assertThat(r.admitted()).containsExactly(new WorkloadId("ns", "b"), new WorkloadId("ns", "c"),
                new WorkloadId("ns", "d"));
        c.finish(new WorkloadId("ns", "a"));
        assertThat(c.quotaTreeIncremental()).isFalse();
        c.submit("ns", "e", "lq", PodSet.of("main", 1, Map.of("cpu", "500m")));
        assertThat(c.admissionCycle().admitted()).containsExactly(new WorkloadId("ns", "e"));
        assertThat(c.quotaTreeIncremental()).isFalse();
        assertThat(c.quotaTreeConsistent()).isTrue();
        assertThat(c.workload(new WorkloadId("ns", "e")).orElseThrow().phase()).isEqualTo(Phase.ADMITTED);
    }
}
