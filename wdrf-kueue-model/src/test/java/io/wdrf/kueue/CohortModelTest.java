package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cohorts: nested cohorts with lending and borrowing limits, the classical cross-queue order by borrowing level,
 * and preemption across the cohort ({@code reclaimWithinCohort}, {@code borrowWithinCohort}). Each case re-derives
 * by hand a case of Kueue's own tests (main after v0.19, commit ff69552e), named in its javadoc; the quotas and
 * workloads are Kueue's, the expected result is worked out from the rules of {@link QuotaTree} and
 * {@link Preemptor}.
 */
class CohortModelTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private static ResourceQuota cpu(String nominal, String borrowingLimit, String lendingLimit) {
        return new ResourceQuota("default", "cpu", Quantity.parse(nominal),
                borrowingLimit == null ? null : Quantity.parse(borrowingLimit),
                lendingLimit == null ? null : Quantity.parse(lendingLimit));
    }

    private static ClusterQueueInfo cq(String name, String cohort, ResourceQuota q, String within, String reclaim,
                                       String borrow) {
        return new ClusterQueueInfo(name, cohort, List.of(q), ClusterQueueInfo.BEST_EFFORT_FIFO, within, reclaim,
                borrow, 1.0);
    }

    private static WorkloadId id(String name) {
        return new WorkloadId("ns", name);
    }

    /** An admitted workload of {@code cpu} CPUs in {@code clusterQueue}, submitted as Kueue's test fixtures do. */
    private void admitted(InMemoryCluster c, String name, String clusterQueue, int priority, double cpu) {
        c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq-" + clusterQueue).priority(priority)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", fmt(cpu))))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission(clusterQueue, List.of(new PodSetAssignment("main", Map.of("cpu", "default"),
                        ResourceVector.of("cpu", cpu), 1)))).build());
    }

    private void pending(InMemoryCluster c, String name, String clusterQueue, int priority, double cpu) {
        c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq-" + clusterQueue).priority(priority)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", fmt(cpu)))).build());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private InMemoryCluster.Builder builder(ClusterQueueInfo... queues) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default");
        for (ClusterQueueInfo q : queues) {
            b.clusterQueue(q).localQueue("ns", "lq-" + q.name(), q.name());
        }
        return b;
    }

    /**
     * Kueue {@code pkg/scheduler/scheduler_test.go}, "hierarchical cohort respects lending limit when borrowing":
     * ROOT ← CHILD ← {lender (10, lendingLimit 3), borrower (5, borrowingLimit 10, 5 in use)}. The lender lends at
     * most 3, so a 4-CPU workload of the borrower does not fit ("1 more needed": available 3).
     * And "hierarchical cohort allows borrowing up to lending limit": with lendingLimit 5 a 5-CPU workload fits.
     */
    @Test
    void nestedCohortsHonourLendingAndBorrowingLimits() {
        for (String lending : List.of("3", "5")) {
            InMemoryCluster c = builder(cq("cq-lender", "child", cpu("10", null, lending), "Never", "Never", "Never"),
                    cq("cq-borrower", "child", cpu("5", "10", null), "Never", "Never", "Never"))
                    .cohort(CohortInfo.of("root", null)).cohort(CohortInfo.of("child", "root")).build();
            admitted(c, "wl-existing", "cq-borrower", 0, 5);
            double want = lending.equals("3") ? 4 : 5;
            pending(c, "wl-pending", "cq-borrower", 0, want);
            AdmissionResult r = c.admissionCycle();
            if (lending.equals("3")) {
                assertThat(r.admitted()).isEmpty();
                assertThat(r.inadmissible().get(id("wl-pending"))).contains("requested 4, available 3");
            } else {
                assertThat(r.admitted()).containsExactly(id("wl-pending"));
            }
        }
    }

    /**
     * Kueue {@code pkg/scheduler/scheduler_test.go}, "in a hierarchical cohort, workload borrowing less is scheduled
     * first": ROOT ← {GUARANTEED (cohort quota 4) ← guaranteed (0), best-effort (0)}. Both heads ask 4 CPUs; the
     * guaranteed one borrows from a subtree of height 1, the best-effort one from the root (height 2), so the
     * guaranteed head goes first despite its lower priority and the best-effort one no longer fits.
     */
    @Test
    void headsThatBorrowLessGoFirst() {
        InMemoryCluster c = builder(cq("guaranteed", "guaranteed", cpu("0", null, null), "Never", "Never", "Never"),
                cq("best-effort", "root", cpu("0", null, null), "Never", "Never", "Never"))
                .cohort(CohortInfo.of("root", null))
                .cohort(new CohortInfo("guaranteed", "root", List.of(cpu("4", null, null)), 1.0)).build();
        pending(c, "guaranteed", "guaranteed", 0, 4);
        pending(c, "best-effort", "best-effort", 3, 4);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.admitted()).containsExactly(id("guaranteed"));
        assertThat(r.inadmissible()).containsKey(id("best-effort"));
    }

    /** The cohort of Kueue's {@code TestPreemption} "defaultClusterQueues": c1 and c2, 6 CPUs each, borrowingLimit 6. */
    private InMemoryCluster c1c2() {
        return builder(cq("c1", "cohort", cpu("6", "6", null), "LowerPriority", "LowerPriority", "Never"),
                cq("c2", "cohort", cpu("6", "6", null), "Never", "Any", "Never")).build();
    }

    /**
     * Kueue {@code pkg/scheduler/preemption/preemption_test.go}, "reclaim quota from borrower": c1 holds c1-low
     * (priority −1, 3 CPUs); c2 borrows with c2-mid (0, 3) and c2-high (1, 6). An incoming priority-1 workload of 3
     * CPUs in c1 reclaims from the borrower first (other queues' candidates precede the own queue's) and only c2-mid
     * satisfies LowerPriority there: exactly c2-mid is preempted.
     */
    @Test
    void reclaimWithinCohortPreemptsTheBorrower() {
        InMemoryCluster c = c1c2();
        admitted(c, "c1-low", "c1", -1, 3);
        admitted(c, "c2-mid", "c2", 0, 3);
        admitted(c, "c2-high", "c2", 1, 6);
        pending(c, "incoming", "c1", 1, 3);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).containsExactly(id("c2-mid"));
        assertThat(r.admitted()).containsExactly(id("incoming"));
    }

    /**
     * Kueue {@code preemption_test.go}, "do not reclaim borrowed quota from same priority for
     * withinCohort=ReclaimFromLowerPriority": c2 borrows with two priority-0 workloads; a priority-0 workload of c1
     * (reclaimWithinCohort LowerPriority) finds no candidate and stays pending.
     */
    @Test
    void reclaimLowerPriorityDoesNotTouchEqualPriority() {
        InMemoryCluster c = c1c2();
        admitted(c, "c1", "c1", 0, 2);
        admitted(c, "c2-1", "c2", 0, 4);
        admitted(c, "c2-2", "c2", 0, 4);
        pending(c, "incoming", "c1", 0, 4);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).isEmpty();
        assertThat(r.admitted()).isEmpty();
    }

    /**
     * Kueue {@code preemption_test.go}, "reclaim borrowed quota from same priority for withinCohort=ReclaimFromAny":
     * c1 borrows with c1-1 (0, 4) and c1-2 (1, 4); c2 (reclaimWithinCohort Any) needs 4 CPUs and reclaims the
     * lowest-priority borrower workload, c1-1, whatever the incoming priority.
     */
    @Test
    void reclaimAnyPreemptsTheLowestPriorityBorrowerWorkload() {
        InMemoryCluster c = c1c2();
        admitted(c, "c1-1", "c1", 0, 4);
        admitted(c, "c1-2", "c1", 1, 4);
        admitted(c, "c2", "c2", 0, 2);
        pending(c, "incoming", "c2", 0, 4);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.preempted()).containsExactly(id("c1-1"));
        assertThat(r.admitted()).containsExactly(id("incoming"));
    }

    /**
     * Kueue {@code preemption_test.go}, "use BorrowWithinCohort; allow preempting a lower-priority workload from
     * another ClusterQueue while borrowing": cohort with_shared_cq (a_standard 1, a_best_effort 1, b_best_effort 0,
     * shared 10; borrowingLimits 12/12/13); a_best_effort_low (−1, 10) and b_best_effort_low (−1, 1) borrow. A
     * priority-0 workload of 10 CPUs in a_standard (borrowWithinCohort LowerPriority) must borrow 9 even after
     * preemption; it may, and the minimal set is a_best_effort_low alone. Without borrowWithinCohort the same
     * preemptor cannot reclaim while borrowing and stays pending.
     */
    @Test
    void borrowWithinCohortAllowsReclaimWhileBorrowing() {
        for (String borrow : List.of("LowerPriority", "Never")) {
            InMemoryCluster c = builder(
                    cq("a_standard", "with_shared_cq", cpu("1", "12", null), "Never", "LowerPriority", borrow),
                    cq("a_best_effort", "with_shared_cq", cpu("1", "12", null), "Never", "LowerPriority", borrow),
                    cq("b_best_effort", "with_shared_cq", cpu("0", "13", null), "Never", "LowerPriority", borrow),
                    cq("shared", "with_shared_cq", cpu("10", null, null), "Never", "Never", "Never")).build();
            admitted(c, "a_best_effort_low", "a_best_effort", -1, 10);
            admitted(c, "b_best_effort_low", "b_best_effort", -1, 1);
            pending(c, "incoming", "a_standard", 0, 10);
            AdmissionResult r = c.admissionCycle();
            if (borrow.equals("LowerPriority")) {
                assertThat(r.preempted()).containsExactly(id("a_best_effort_low"));
                assertThat(r.admitted()).containsExactly(id("incoming"));
            } else {
                assertThat(r.preempted()).isEmpty();
                assertThat(r.admitted()).isEmpty();
            }
        }
    }

    /** A cohort chain with a cycle detaches the ClusterQueues below it (Kueue marks them inactive). */
    @Test
    void aCohortCycleDetachesItsQueues() {
        InMemoryCluster c = builder(cq("a", "x", cpu("1", null, null), "Never", "Never", "Never"),
                cq("b", "y", cpu("4", null, null), "Never", "Never", "Never"))
                .cohort(CohortInfo.of("x", "y")).cohort(CohortInfo.of("y", "x")).build();
        pending(c, "big", "a", 0, 2);
        AdmissionResult r = c.admissionCycle();
        assertThat(r.admitted()).isEmpty();                               // no borrowing from b through the cycle
        assertThat(r.inadmissible().get(id("big"))).contains("available 1");
    }
}
