package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload controller's part of admission: the admission gate, {@code spec.active},
 * {@code maximumExecutionTimeSeconds}, and priority writes to admitted workloads. Each case is re-derived by hand
 * from the Kueue test named in its javadoc (Kueue main after v0.19, commit ff69552e).
 */
class WorkloadLifecycleTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster cluster(String cpu, String withinClusterQueue) {
        return InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", cpu)),
                        ClusterQueueInfo.BEST_EFFORT_FIFO, withinClusterQueue, null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
    }

    private Workload submit(InMemoryCluster c, String name, int priority, String cpu, Map<String, String> labels) {
        return c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq").priority(priority)
                .labels(labels).podSets(List.of(PodSet.of("main", 1, Map.of("cpu", cpu)))).build());
    }

    private static WorkloadId id(String name) {
        return new WorkloadId("ns", name);
    }

    private static Phase phase(InMemoryCluster c, String name) {
        return c.workload(id(name)).orElseThrow().phase();
    }

    /**
     * Kueue {@code pkg/controller/core/workload_controller_inadmissible_test.go}, "should write AdmissionGated reason
     * when admission gate is active": a workload carrying {@code kueue.x-k8s.io/admission-gated-by} does not get
     * quota, even with room; removing the annotation makes it admissible. Gating an admitted workload does not evict
     * it (the gate guards admission only).
     */
    @Test
    void theAdmissionGateHoldsAPendingWorkloadUntilRemoved() {
        InMemoryCluster c = cluster("4", "Never");
        submit(c, "gated", 0, "1", Map.of());
        submit(c, "running", 0, "1", Map.of());
        assertThat(c.setAnnotation(id("gated"), Workload.ADMISSION_GATED_BY, "example.com/wdrf")).isTrue();

        AdmissionResult first = c.admissionCycle();
        assertThat(first.admitted()).containsExactly(id("running"));
        assertThat(phase(c, "gated")).isEqualTo(Phase.PENDING);
        assertThat(first.inadmissible()).doesNotContainKey(id("gated")); // not admissible = not queued at all

        assertThat(c.setAnnotation(id("running"), Workload.ADMISSION_GATED_BY, "example.com/wdrf")).isTrue();
        assertThat(c.removeAnnotation(id("gated"), Workload.ADMISSION_GATED_BY)).isTrue();
        AdmissionResult second = c.admissionCycle();
        assertThat(second.admitted()).containsExactly(id("gated"));
        assertThat(second.preempted()).isEmpty();
        assertThat(phase(c, "running")).isEqualTo(Phase.ADMITTED);
        assertThat(c.setAnnotation(id("missing"), "k", "v")).isFalse();
        assertThat(c.removeAnnotation(id("missing"), "k")).isFalse();
    }

    /**
     * Kueue {@code test/integration/singlecluster/controller/core/workload_controller_test.go}, "should write
     * granular conditions and reasons when workload is deactivated": {@code spec.active=false} keeps a pending
     * workload out of admission and evicts an admitted one, releasing its quota for the next cycle.
     */
    @Test
    void deactivationKeepsPendingOutAndEvictsAdmitted() {
        InMemoryCluster c = cluster("2", "Never");
        submit(c, "a", 0, "2", Map.of());
        submit(c, "b", 0, "2", Map.of());
        assertThat(c.admissionCycle().admitted()).containsExactly(id("a"));

        assertThat(c.setActive(id("a"), false)).isTrue();
        Workload a = c.workload(id("a")).orElseThrow();
        assertThat(a.phase()).isEqualTo(Phase.PENDING);
        assertThat(a.admission()).isNull();
        assertThat(a.trueConditions()).contains(InMemoryCluster.EVICTED).doesNotContain(InMemoryCluster.PREEMPTED);
        assertThat(a.isAdmissible()).isFalse();
        assertThat(c.deactivations()).isEqualTo(1);

        assertThat(c.admissionCycle().admitted()).containsExactly(id("b")); // a's quota was released
        c.finish(id("b"));
        assertThat(c.admissionCycle().admitted()).isEmpty();                // a stays out while inactive
        c.setActive(id("a"), true);
        assertThat(c.admissionCycle().admitted()).containsExactly(id("a"));
    }

    /**
     * Kueue {@code pkg/controller/core/workload_controller_test.go}, "admitted workload with max execution time"
     * (120 s, admitted 60 s ago: stays admitted) and "admitted workload with max execution time - expired" (60 s,
     * admitted 2 min ago: deactivated, then evicted as inactive).
     */
    @Test
    void maximumExecutionTimeDeactivatesWhenUsedUp() {
        InMemoryCluster c = cluster("4", "Never");
        submit(c, "long", 0, "1", Map.of(InMemoryCluster.MAX_EXEC_TIME_SECONDS_LABEL, "120"));
        submit(c, "short", 0, "1", Map.of(InMemoryCluster.MAX_EXEC_TIME_SECONDS_LABEL, "60"));
        submit(c, "bad-label", 0, "1", Map.of(InMemoryCluster.MAX_EXEC_TIME_SECONDS_LABEL, "soon"));
        assertThat(c.admissionCycle().admitted()).hasSize(3);

        clock.advance(Duration.ofMinutes(1).minusSeconds(1));
        assertThat(c.admissionCycle().deactivated()).isEmpty();
        clock.advance(Duration.ofSeconds(1)); // 60 s admitted: used up
        AdmissionResult r = c.admissionCycle();
        assertThat(r.deactivated()).containsExactly(id("short"));
        assertThat(r.isEmpty()).isFalse();
        Workload s = c.workload(id("short")).orElseThrow();
        assertThat(s.active()).isFalse();
        assertThat(s.phase()).isEqualTo(Phase.PENDING);
        assertThat(phase(c, "long")).isEqualTo(Phase.ADMITTED);

        clock.advance(Duration.ofMinutes(1));
        assertThat(c.admissionCycle().deactivated()).containsExactly(id("long"));
        clock.advance(Duration.ofDays(1));
        assertThat(c.admissionCycle().deactivated()).isEmpty();            // a malformed label is ignored, as in Kueue
        assertThat(phase(c, "bad-label")).isEqualTo(Phase.ADMITTED);
        assertThat(c.deactivations()).isEqualTo(2);
    }

    /**
     * Kueue {@code test/integration/singlecluster/controller/core/workload_controller_test.go}, "should deactivate
     * the workload when the time expires with multiple admissions": admitted time accumulates over evictions
     * ({@code status.accumulatedPastExecutionTimeSeconds}), so a re-admitted workload is deactivated once the sum
     * reaches the maximum.
     */
    @Test
    void maximumExecutionTimeCountsEarlierAdmissions() {
        InMemoryCluster c = cluster("4", "Never");
        submit(c, "wl", 0, "1", Map.of(InMemoryCluster.MAX_EXEC_TIME_SECONDS_LABEL, "30"));
        c.admissionCycle();
        clock.advance(Duration.ofSeconds(20));
        assertThat(c.evict(id("wl"))).isTrue();
        assertThat(c.accumulatedExecutionTime(id("wl"))).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofMinutes(5));                             // pending time does not count
        assertThat(c.admissionCycle().admitted()).containsExactly(id("wl"));
        clock.advance(Duration.ofSeconds(9));
        assertThat(c.admissionCycle().deactivated()).isEmpty();
        clock.advance(Duration.ofSeconds(1));                             // 20 + 10 = 30
        assertThat(c.admissionCycle().deactivated()).containsExactly(id("wl"));
        assertThat(c.workload(id("wl")).orElseThrow().active()).isFalse();
    }

    /**
     * Kueue {@code test/integration/singlecluster/webhook/core/workload_test.go}, "workload's priority should be
     * mutable when referencing WorkloadPriorityClass", with {@code test/integration/singlecluster/scheduler/
     * preemption_test.go}, "Should preempt Workloads with lower priority when there is not enough quota": a priority
     * written to an ADMITTED workload through the PriorityWriter is stored, and LowerPriority preemption compares
     * the current value.
     */
    @Test
    void priorityWritesReachAdmittedWorkloadsAndPreemptionUsesThem() {
        InMemoryCluster c = cluster("2", "LowerPriority");
        Workload running = submit(c, "running", 10, "2", Map.of());
        c.admissionCycle();
        submit(c, "newcomer", 5, "2", Map.of());
        assertThat(c.admissionCycle().preempted()).isEmpty();              // 5 < 10: no preemption

        assertThat(c.apply(List.of(new PriorityUpdate(id("running"), running.uid(), PriorityTarget.SPEC_PRIORITY, 1,
                10, null))).items()).allSatisfy(i -> assertThat(i.outcome()).isEqualTo(io.wdrf.api.WriteOutcome.WRITTEN));
        Workload lowered = c.workload(id("running")).orElseThrow();
        assertThat(lowered.phase()).isEqualTo(Phase.ADMITTED);
        assertThat(lowered.priority()).isEqualTo(1);

        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).containsExactly(id("running"));
        assertThat(r.admitted()).containsExactly(id("newcomer"));
    }

    /**
     * The admission model reads indexes the cluster keeps as workloads change (Kueue requeues on change instead of
     * rescanning): over random sequences of submit, gate, ungate, deactivate, reactivate, priority writes, evict,
     * finish, delete and admission cycles, the indexes always equal a classification from scratch.
     */
    @Test
    void incrementalIndexesMatchAFromScratchClassification() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            InMemoryCluster c = cluster("6", rnd.nextBoolean() ? "LowerPriority" : "Never");
            List<WorkloadId> ids = new java.util.ArrayList<>();
            for (int step = 0; step < 200; step++) {
                int op = rnd.nextInt(10);
                WorkloadId some = ids.isEmpty() ? id("none") : ids.get(rnd.nextInt(ids.size()));
                switch (op) {
                    case 0, 1 -> ids.add(submit(c, "w" + step, rnd.nextInt(5), Integer.toString(1 + rnd.nextInt(3)),
                            rnd.nextInt(4) == 0 ? Map.of(InMemoryCluster.MAX_EXEC_TIME_SECONDS_LABEL, "30") : Map.of()).id());
                    case 2 -> c.setAnnotation(some, Workload.ADMISSION_GATED_BY, "g");
                    case 3 -> c.removeAnnotation(some, Workload.ADMISSION_GATED_BY);
                    case 4 -> c.setActive(some, rnd.nextBoolean());
                    case 5 -> c.setPriority(some, rnd.nextInt(5));
                    case 6 -> c.evict(some);
                    case 7 -> c.finish(some);
                    case 8 -> c.delete(some);
                    default -> {
                        clock.advance(Duration.ofSeconds(rnd.nextInt(20)));
                        c.admissionCycle();
                    }
                }
                assertThat(c.indexesConsistent()).as("seed %d step %d op %d", seed, step, op).isTrue();
            }
        }
    }
}
