package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kueue Fair Sharing: the DRS tournament and the fair preemption strategies. Each case re-derives by hand a case of
 * Kueue's own tests (main after v0.19, commit ff69552e), named in its javadoc.
 */
class FairSharingModelTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private static WorkloadId id(String name) {
        return new WorkloadId("ns", name);
    }

    private void admitted(InMemoryCluster c, String name, String cq, int priority, double cpu) {
        c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq-" + cq).priority(priority)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", Double.toString(cpu))))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission(cq, List.of(new PodSetAssignment("main", Map.of("cpu", "default"),
                        ResourceVector.of("cpu", cpu), 1)))).build());
    }

    private void pending(InMemoryCluster c, String name, String cq, int priority, double cpu) {
        c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq-" + cq).priority(priority)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", Double.toString(cpu)))).build());
    }

    /**
     * Kueue {@code pkg/scheduler/preemption/preemption_fair_test.go} {@code TestFairPreemptions} "baseCQs": a, b, c
     * (3 CPUs each; withinClusterQueue LowerPriority, reclaimWithinCohort Any) and preemptible (0) in cohort all.
     */
    private InMemoryCluster baseCqs() {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default").fairSharing(FairSharingConfig.defaults());
        for (String name : List.of("a", "b", "c", "preemptible")) {
            String nominal = name.equals("preemptible") ? "0" : "3";
            String within = name.equals("preemptible") ? "Never" : "LowerPriority";
            String reclaim = name.equals("preemptible") ? "Never" : "Any";
            b.clusterQueue(new ClusterQueueInfo(name, "all", List.of(ResourceQuota.of("default", "cpu", nominal)),
                    ClusterQueueInfo.BEST_EFFORT_FIFO, within, reclaim, "LowerPriority", 1.0))
                    .localQueue("ns", "lq-" + name, name);
        }
        return b.build();
    }

    private void units(InMemoryCluster c, String cq, int n) {
        for (int i = 1; i <= n; i++) {
            admitted(c, cq + i, cq, 0, 1);
        }
    }

    /**
     * "reclaim nominal from user using the most": a 3, b 5, c 1 units; c's incoming unit is within c's nominal, so
     * it reclaims from the queue with the highest share (b) without a strategy check: b1 (first by UID).
     */
    @Test
    void reclaimNominalFromTheQueueUsingTheMost() {
        InMemoryCluster c = baseCqs();
        units(c, "a", 3);
        units(c, "b", 5);
        units(c, "c", 1);
        pending(c, "c_incoming", "c", 0, 1);
        assertThat(c.admissionCycle().preempted()).containsExactly(id("b1"));
    }

    /**
     * "reclaim borrowable quota from user using the most": same usage, the incoming unit of a would borrow; a's
     * share after admission (1 borrowed / 9 lendable → 111) ≤ b's share after losing b1 (111): LessThanOrEqualTo-
     * FinalShare holds and b1 is preempted.
     */
    @Test
    void reclaimBorrowableQuotaByTheFirstStrategy() {
        InMemoryCluster c = baseCqs();
        units(c, "a", 3);
        units(c, "b", 5);
        units(c, "c", 1);
        pending(c, "a_incoming", "a", 0, 1);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).containsExactly(id("b1"));
        assertThat(r.admitted()).containsExactly(id("a_incoming"));
    }

    /**
     * "can't preempt when it would switch the imbalance": a 3, b 5; a's incoming 2 CPUs would give a share 222, b
     * has 222 and would drop to 111: neither strategy holds, nothing is preempted.
     */
    @Test
    void noPreemptionThatSwitchesTheImbalance() {
        InMemoryCluster c = baseCqs();
        units(c, "a", 3);
        units(c, "b", 5);
        pending(c, "a_incoming", "a", 0, 2);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).isEmpty();
        assertThat(r.admitted()).isEmpty();
    }

    /**
     * "can preempt a combination of same CQ and highest user": a_low (−1), a2, a3 and b1..b6; a's incoming 2 CPUs
     * first takes b1 from b (share 333 → 222 ≥ a's 222), then — a and b tied at 222 — its own lower-priority a_low.
     */
    @Test
    void preemptsFromTheOwnQueueAndTheHighestUser() {
        InMemoryCluster c = baseCqs();
        admitted(c, "a_low", "a", -1, 1);
        admitted(c, "a2", "a", 0, 1);
        admitted(c, "a3", "a", 0, 1);
        units(c, "b", 6);
        pending(c, "a_incoming", "a", 0, 2);
        assertThat(c.admissionCycle().preempted()).containsExactlyInAnyOrder(id("a_low"), id("b1"));
    }

    /**
     * "preempt huge workload if there is no other option, as long as the target CQ gets a lower share": b holds 9
     * CPUs; a's incoming 2 are within a's nominal, so b1 is reclaimed.
     */
    @Test
    void reclaimsAHugeWorkloadForAPreemptorWithinNominal() {
        InMemoryCluster c = baseCqs();
        admitted(c, "b1", "b", 0, 9);
        pending(c, "a_incoming", "a", 0, 2);
        assertThat(c.admissionCycle().preempted()).containsExactly(id("b1"));
    }

    /**
     * "prefer to preempt workloads that don't make the target CQ have the biggest share": b1 (2), b2 (1), b3 (2),
     * c1 (1); a's incoming 3.5 borrows 0.5 (share 55.6). Removing b1 would leave b at share 0 (< 55.6: fails),
     * removing b2 leaves 111 (holds): b2 is preempted.
     */
    @Test
    void prefersTheCandidateThatKeepsTheTargetAboveThePreemptor() {
        InMemoryCluster c = baseCqs();
        admitted(c, "b1", "b", 0, 2);
        admitted(c, "b2", "b", 0, 1);
        admitted(c, "b3", "b", 0, 2);
        admitted(c, "c1", "c", 0, 1);
        pending(c, "a_incoming", "a", 0, 3.5);
        assertThat(c.admissionCycle().preempted()).containsExactly(id("b2"));
    }

    /**
     * Kueue {@code pkg/scheduler/scheduler_fs_test.go}, "fair sharing schedule workload with lowest drf after
     * admission": cohort A holds 100 CPUs, b (0) already uses 10; b1 asks 50 (b's share after: 600), c1 asks 75
     * (750). With Fair Sharing b1 wins the tournament and c1 no longer fits. c1 is older, so the classical order
     * (FIFO among borrowers) admits c1 instead — the test shows the two orders differ.
     */
    @Test
    void theTournamentAdmitsTheLowestShareAfterAdmission() {
        for (boolean fs : List.of(true, false)) {
            InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                    .cohort(new CohortInfo("A", null, List.of(ResourceQuota.of("default", "cpu", "100")), 1.0));
            if (fs) {
                b.fairSharing(FairSharingConfig.defaults());
            }
            for (String q : List.of("b", "c")) {
                b.clusterQueue(new ClusterQueueInfo(q, "A", List.of(ResourceQuota.of("default", "cpu", "0")),
                        null, null, null, null, 1.0)).localQueue("ns", "lq-" + q, q);
            }
            InMemoryCluster c = b.build();
            admitted(c, "b0", "b", 0, 10);
            pending(c, "c1", "c", 0, 75);
            clock.advance(Duration.ofSeconds(1));
            pending(c, "b1", "b", 0, 50);
            assertThat(c.admissionCycle().admitted()).containsExactly(id(fs ? "b1" : "c1"));
        }
    }

    /** DRS arithmetic of {@code fair_sharing.go}: borrowed / lendable × 1000 / weight; weight 0 borrowing = ∞. */
    @Test
    void dominantResourceShareFormula() {
        FairSharing.Drs half = new FairSharing.Drs(500, 2, true, java.util.Set.of());
        assertThat(half.weighted()).isEqualTo(250);
        FairSharing.Drs zeroWeight = new FairSharing.Drs(10, 0, true, java.util.Set.of());
        assertThat(zeroWeight.weighted()).isInfinite();
        assertThat(FairSharing.compare(zeroWeight, half)).isPositive();
        assertThat(FairSharing.compare(FairSharing.Drs.ZERO, half)).isNegative();
    }
}
