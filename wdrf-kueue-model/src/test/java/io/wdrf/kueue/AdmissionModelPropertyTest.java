package io.wdrf.kueue;

import io.wdrf.engine.ManualClock;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random clusters: quota, ordering and determinism invariants of the admission model. */
class AdmissionModelPropertyTest {

    private static final String[] RESOURCES = {"cpu", "memory"};
    private static final double EPS = 1e-6;
    private final KueueDemandModel demand = new KueueDemandModel();

    /** A random scenario: queues and workloads, replayable in any submission order. */
    private record Scenario(List<ClusterQueueInfo> queues, List<String> flavors, List<Workload> workloads) {
    }

    private Scenario scenario(Random rnd) {
        int nFlavors = 1 + rnd.nextInt(3);
        List<String> flavors = new ArrayList<>();
        for (int f = 0; f < nFlavors; f++) {
            flavors.add("f" + f);
        }
        int nQueues = 1 + rnd.nextInt(4);
        List<ClusterQueueInfo> queues = new ArrayList<>();
        for (int q = 0; q < nQueues; q++) {
            String cohort = rnd.nextInt(3) == 0 ? null : "pool";
            List<ResourceQuota> quotas = new ArrayList<>();
            for (String f : flavors) {
                for (String r : RESOURCES) {
                    BigDecimal nominal = BigDecimal.valueOf(rnd.nextInt(9));
                    BigDecimal borrowing = cohort != null && rnd.nextInt(3) == 0 ? BigDecimal.valueOf(rnd.nextInt(4)) : null;
                    BigDecimal lending = cohort != null && rnd.nextInt(3) == 0
                            ? BigDecimal.valueOf(rnd.nextInt(nominal.intValue() + 1)) : null;
                    quotas.add(new ResourceQuota(f, r, nominal, borrowing, lending));
                }
            }
            queues.add(new ClusterQueueInfo("cq" + q, cohort, quotas,
                    rnd.nextBoolean() ? ClusterQueueInfo.STRICT_FIFO : ClusterQueueInfo.BEST_EFFORT_FIFO,
                    rnd.nextInt(3) == 0 ? "LowerPriority" : "Never", null, null, 1.0));
        }
        int nWorkloads = 5 + rnd.nextInt(30);
        List<Workload> workloads = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < nWorkloads; i++) {
            int podSets = rnd.nextInt(5) == 0 ? 2 : 1;
            List<PodSet> ps = new ArrayList<>();
            for (int p = 0; p < podSets; p++) {
                ps.add(PodSet.of("ps" + p, 1 + rnd.nextInt(3),
                        Map.of("cpu", Integer.toString(1 + rnd.nextInt(3)), "memory", Integer.toString(rnd.nextInt(3)))));
            }
            workloads.add(Workload.builder("ns" + rnd.nextInt(3), "w" + i, t0.plusSeconds(rnd.nextInt(5)))
                    .uid(String.format("uid-%04d", rnd.nextInt(10_000)))
                    .queueName("lq" + rnd.nextInt(nQueues))
                    .priority(rnd.nextInt(4) == 0 ? null : rnd.nextInt(5))
                    .podSets(ps).build());
        }
        return new Scenario(queues, flavors, workloads);
    }

    private InMemoryCluster build(Scenario s, ManualClock clock, List<Workload> order) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock);
        s.flavors().forEach(b::flavor);
        s.queues().forEach(b::clusterQueue);
        for (int ns = 0; ns < 3; ns++) {
            for (int q = 0; q < s.queues().size(); q++) {
                b.localQueue("ns" + ns, "lq" + q, "cq" + q);
            }
        }
        InMemoryCluster c = b.build();
        order.forEach(c::submit);
        return c;
    }

    @Test
    void quotaOrderingAndDeterminismInvariants() {
        int admittedTotal = 0;
        int preemptedTotal = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random rnd = new Random(seed);
            Scenario s = scenario(rnd);
            ManualClock clock = ManualClock.at("2026-01-01T00:10:00Z");
            InMemoryCluster c = build(s, clock, s.workloads());
            for (int cycle = 0; cycle < 3; cycle++) {
                ClusterSnapshot before = c.snapshot();
                AdmissionResult r = c.admissionCycle();
                ClusterSnapshot after = c.snapshot();
                String ctx = "seed " + seed + " cycle " + cycle;
                checkQuota(s, after, ctx);
                checkUsageMatchesDemand(after, ctx);
                checkStrictFifo(s, before, after, r, ctx);
                checkBestEffortMaximality(s, after, r, ctx);
                checkPreemptions(before, r, ctx);
                admittedTotal += r.admitted().size();
                preemptedTotal += r.preempted().size();
                // finish a few admitted workloads so the next cycle has room again
                for (Workload w : after.workloads()) {
                    if (w.phase() == Phase.ADMITTED && rnd.nextInt(3) == 0) {
                        c.finish(w.id());
                    }
                }
                clock.advance(Duration.ofMinutes(1));
            }
            // the same scenario submitted in another order gives the same first cycle
            List<Workload> shuffled = new ArrayList<>(s.workloads());
            Collections.shuffle(shuffled, new Random(seed * 31));
            AdmissionResult a = build(s, ManualClock.at("2026-01-01T00:10:00Z"), s.workloads()).admissionCycle();
            AdmissionResult b = build(s, ManualClock.at("2026-01-01T00:10:00Z"), shuffled).admissionCycle();
            assertThat(b).as("seed %d: submission order must not matter", seed).isEqualTo(a);
        }
        // the generator exercises both admission and preemption
        assertThat(admittedTotal).isGreaterThan(1000);
        assertThat(preemptedTotal).isGreaterThan(0);
    }

    /** usage per ClusterQueue → flavor/resource. */
    private static Map<String, Map<String, Double>> usage(ClusterSnapshot s) {
        Map<String, Map<String, Double>> u = new TreeMap<>();
        for (Workload w : s.workloads()) {
            if (w.phase() != Phase.ADMITTED) {
                continue;
            }
            for (PodSetAssignment psa : w.admission().podSetAssignments()) {
                psa.resourceUsage().asMap().forEach((r, v) -> u.computeIfAbsent(w.admission().clusterQueue(),
                        k -> new TreeMap<>()).merge(psa.flavors().get(r) + "/" + r, v, Double::sum));
            }
        }
        return u;
    }

    private void checkQuota(Scenario s, ClusterSnapshot after, String ctx) {
        Map<String, Map<String, Double>> u = usage(after);
        Map<String, Double> cohortBorrowed = new HashMap<>();
        Map<String, Double> cohortLendable = new HashMap<>();
        for (ClusterQueueInfo q : s.queues()) {
            for (ResourceQuota rq : q.quotas()) {
                String key = rq.flavor() + "/" + rq.resource();
                double used = u.getOrDefault(q.name(), Map.of()).getOrDefault(key, 0.0);
                double nominal = rq.nominal().doubleValue();
                if (q.cohort() == null) {
                    assertThat(used).as("%s: %s %s within nominal", ctx, q.name(), key).isLessThanOrEqualTo(nominal + EPS);
                    continue;
                }
                if (rq.borrowingLimit() != null) {
                    assertThat(used).as("%s: %s %s within nominal + borrowingLimit", ctx, q.name(), key)
                            .isLessThanOrEqualTo(nominal + rq.borrowingLimit().doubleValue() + EPS);
                }
                double guaranteed = rq.lendingLimit() == null ? 0 : nominal - rq.lendingLimit().doubleValue();
                cohortBorrowed.merge(key, Math.max(0, used - guaranteed), Double::sum);
                cohortLendable.merge(key, nominal - guaranteed, Double::sum);
            }
        }
        cohortBorrowed.forEach((key, b) -> assertThat(b).as("%s: cohort pool of %s not overdrawn", ctx, key)
                .isLessThanOrEqualTo(cohortLendable.get(key) + EPS));
    }

    private void checkUsageMatchesDemand(ClusterSnapshot after, String ctx) {
        for (Workload w : after.workloads()) {
            if (w.phase() == Phase.ADMITTED) {
                assertThat(w.admission().totalUsage()).as("%s: usage of %s", ctx, w.id())
                        .isEqualTo(demand.workloadDemand(w));
                for (PodSetAssignment psa : w.admission().podSetAssignments()) {
                    assertThat(psa.flavors().keySet()).as("%s: every used resource has a flavor", ctx)
                            .containsAll(psa.resourceUsage().resources());
                }
            }
        }
    }

    /** StrictFIFO: no workload still pending in the queue precedes one admitted this cycle. */
    private void checkStrictFifo(Scenario s, ClusterSnapshot before, ClusterSnapshot after, AdmissionResult r, String ctx) {
        for (ClusterQueueInfo q : s.queues()) {
            if (!q.queueingStrategy().equals(ClusterQueueInfo.STRICT_FIFO) || !q.withinClusterQueue().equals("Never")) {
                continue;
            }
            List<Workload> admittedHere = new ArrayList<>();
            List<Workload> stillPending = new ArrayList<>();
            for (Workload w : after.workloads()) {
                if (!q.name().equals(w.clusterQueue())) {
                    continue;
                }
                if (r.admitted().contains(w.id())) {
                    admittedHere.add(w);
                } else if (w.isAdmissible() && !r.preempted().contains(w.id())) {
                    stillPending.add(w);
                }
            }
            for (Workload a : admittedHere) {
                for (Workload p : stillPending) {
                    assertThat(ClusterQueueHeap.ORDER.compare(a, p))
                            .as("%s: StrictFIFO %s admitted %s before pending %s", ctx, q.name(), a.id(), p.id())
                            .isNegative();
                }
            }
        }
        assertThat(before).isNotNull();
    }

    /**
     * BestEffortFIFO without cohort/preemption: every one-pod-set workload left pending fits in no flavor
     * (with preemption, quota a preemptor leaves over is only offered to skipped workloads in the next cycle).
     */
    private void checkBestEffortMaximality(Scenario s, ClusterSnapshot after, AdmissionResult r, String ctx) {
        Map<String, Map<String, Double>> u = usage(after);
        for (ClusterQueueInfo q : s.queues()) {
            if (q.cohort() != null || q.queueingStrategy().equals(ClusterQueueInfo.STRICT_FIFO)
                    || !q.withinClusterQueue().equals("Never")) {
                continue;
            }
            for (Workload w : after.workloads()) {
                if (!q.name().equals(w.clusterQueue()) || !w.isAdmissible() || w.podSets().size() != 1
                        || r.preempted().contains(w.id())) {
                    continue;
                }
                ResourceVector d = demand.workloadDemand(w);
                for (String f : s.flavors()) {
                    boolean fits = true;
                    for (String res : d.resources()) {
                        double nominal = q.quotas().stream()
                                .filter(x -> x.flavor().equals(f) && x.resource().equals(res))
                                .findFirst().orElseThrow().nominal().doubleValue();
                        double used = u.getOrDefault(q.name(), Map.of()).getOrDefault(f + "/" + res, 0.0);
                        if (d.get(res) > nominal - used + EPS) {
                            fits = false;
                        }
                    }
                    assertThat(fits).as("%s: pending %s would fit in flavor %s of %s", ctx, w.id(), f, q.name()).isFalse();
                }
            }
        }
    }

    /** Every preempted workload had a lower priority than a workload admitted into its ClusterQueue this cycle. */
    private void checkPreemptions(ClusterSnapshot before, AdmissionResult r, String ctx) {
        Map<WorkloadId, Workload> byId = new TreeMap<>();
        before.workloads().forEach(w -> byId.put(w.id(), w));
        for (WorkloadId p : r.preempted()) {
            Workload victim = byId.get(p);
            assertThat(victim.phase()).as("%s: victim %s was admitted", ctx, p).isEqualTo(Phase.ADMITTED);
            boolean hasPreemptor = r.admitted().stream().map(byId::get).anyMatch(a ->
                    victim.admission().clusterQueue().equals(a.clusterQueue())
                            && a.effectivePriority() > victim.effectivePriority());
            assertThat(hasPreemptor).as("%s: %s has a higher-priority preemptor in its queue", ctx, p).isTrue();
        }
    }
}
