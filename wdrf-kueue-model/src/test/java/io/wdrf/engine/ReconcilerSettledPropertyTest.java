package io.wdrf.engine;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler settles a decision without reading its workload when the very same workload object was found
 * holding that priority in the last cycle. Over random sequences (submissions, deletions, admissions, finishes,
 * evictions, clock steps of zero or ten minutes, so that some decisions move and most do not) with every write allowed
 * and no hysteresis, every cycle must leave each pending workload holding exactly its decision's priority: a decision
 * wrongly taken as settled would leave a stale priority in the cluster.
 */
class ReconcilerSettledPropertyTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyPendingWorkloadHoldsItsDecisionAfterEachCycle(long seed) {
        Random rnd = new Random(seed);
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        InMemoryCluster cluster = InMemoryCluster.builder(clock)
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "6"), ResourceQuota.of("default", "memory", "64Gi"))
                .localQueue("a", "q", "cq").localQueue("b", "q", "cq").localQueue("c", "q", "cq").build();
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota")
                .maxAgingTime(Duration.ofHours(2)).build()).clock(clock).build();
        ReconcilerSettings settings = ReconcilerSettings.builder().minDelta(0).maxWritesPerCycle(10_000).build();
        Reconciler r = Reconciler.builder(cluster, cluster, engine).settings(settings).build();
        List<WorkloadId> ids = new ArrayList<>();
        int next = 0;
        int moved = 0;
        Map<WorkloadId, Integer> lastDecided = new HashMap<>();
        for (int step = 0; step < 120; step++) {
            int op = rnd.nextInt(9);
            if (op <= 1 || ids.isEmpty()) {
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    String ns = List.of("a", "b", "c").get(rnd.nextInt(3));
                    Workload w = cluster.submit(ns, "w" + next++, "q",
                            PodSet.of("main", 1, Map.of("cpu", Integer.toString(1 + rnd.nextInt(2)), "memory", "1Gi")));
                    ids.add(w.id());
                }
            } else if (op == 2) {
                cluster.delete(ids.remove(rnd.nextInt(ids.size())));
            } else if (op == 3) {
                cluster.admissionCycle();
            } else if (op == 4) {
                WorkloadId id = ids.get(rnd.nextInt(ids.size()));
                if (cluster.finish(id)) {
                    cluster.delete(id);
                    ids.remove(id);
                }
            } else if (op == 5) {
                cluster.evict(ids.get(rnd.nextInt(ids.size())));
            }
            clock.advance(Duration.ofSeconds(rnd.nextInt(2) * 600L));
            CycleReport rep = r.runOnce();
            assertThat(rep.ok()).as(rep.error()).isTrue();
            Map<WorkloadId, Workload> stored = new HashMap<>();
            for (Workload w : cluster.snapshot().workloads()) {
                stored.put(w.id(), w);
            }
            for (PriorityDecision d : rep.plan().decisions()) {
                assertThat(stored.get(d.workloadId()).effectivePriority())
                        .as("step %d: %s holds its decision", step, d.workloadId()).isEqualTo(d.priority());
                Integer before = lastDecided.put(d.workloadId(), d.priority());
                if (before != null && before != d.priority()) {
                    moved++;
                }
            }
        }
        assertThat(moved).as("the sequence moved decisions of workloads already pending").isGreaterThan(5);
    }
}
