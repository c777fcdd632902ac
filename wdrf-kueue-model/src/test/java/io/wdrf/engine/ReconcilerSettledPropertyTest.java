package io.wdrf.engine;

import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
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
        RandomReconcileScenario scenario = new RandomReconcileScenario(false);
        InMemoryCluster cluster = scenario.cluster;
        ReconcilerSettings settings = ReconcilerSettings.builder().minDelta(0).maxWritesPerCycle(10_000).build();
        Reconciler r = Reconciler.builder(cluster, cluster, scenario.engine).settings(settings).build();
        int moved = 0;
        Map<WorkloadId, Integer> lastDecided = new HashMap<>();
        for (int step = 0; step < 120; step++) {
            scenario.change(rnd.nextInt(9), rnd);
            scenario.clock.advance(Duration.ofSeconds(rnd.nextInt(2) * 600L));
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
