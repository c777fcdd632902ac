package io.wdrf.engine;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop with {@link WriteOrdering}: 60 pending 1-CPU workloads in two tenants, one ClusterQueue with 4 CPUs free.
 * The window is WDRF's first four; ADMISSION_FIRST sends the same writes as PLAN with those four first;
 * ORDER_ONLY writes the window (and what reaches it), Kueue's first four are WDRF's first four either way, and
 * hours of aging later ORDER_ONLY has rewritten far less than PLAN.
 */
class WriteOrderingReconcileTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T12:00:00Z");

    private InMemoryCluster cluster() {
        InMemoryCluster c = InMemoryCluster.builder(clock).clusterQueue("cq", ResourceQuota.of("default", "cpu", "4"))
                .namespace("a").namespace("b").localQueue("a", "q", "cq").localQueue("b", "q", "cq").build();
        for (int i = 0; i < 60; i++) {
            String ns = i % 3 == 0 ? "b" : "a";
            c.submit(Workload.builder(ns, "w" + i, clock.instant().minusSeconds(600L * i)).queueName("q")
                    .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1"))).build());
        }
        return c;
    }

    private Reconciler loop(InMemoryCluster c, WriteOrdering o) {
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota").build())
                .clock(clock).build();
        ReconcilerSettings s = ReconcilerSettings.builder().writeOrdering(o).emitEvents(false).minDelta(0).build();
        return Reconciler.builder(c, c, engine).settings(s).build();
    }

    private static List<WorkloadId> kueueHead(InMemoryCluster c, int k) {
        List<Workload> ws = new ArrayList<>(c.snapshot().workloads());
        ws.sort(Comparator.comparingInt(Workload::effectivePriority).reversed()
                .thenComparing(Workload::queueOrderTime).thenComparing(Workload::uid));
        return ws.subList(0, k).stream().map(Workload::id).toList();
    }

    @Test
    void admissionFirstSendsTheSameWritesWithTheWindowFirst() {
        InMemoryCluster plan = cluster();
        InMemoryCluster first = cluster();
        CycleReport p = loop(plan, WriteOrdering.PLAN).runOnce();
        CycleReport f = loop(first, WriteOrdering.ADMISSION_FIRST).runOnce();
        List<WorkloadId> planIds = p.updates().stream().map(PriorityUpdate::workloadId).toList();
        List<WorkloadId> firstIds = f.updates().stream().map(PriorityUpdate::workloadId).toList();
        assertThat(firstIds).containsExactlyInAnyOrderElementsOf(planIds).hasSize(60);
        // one queue: the window is the plan's first four, so the plans agree on the order too
        assertThat(firstIds.subList(0, 4)).isEqualTo(planIds.subList(0, 4));
        assertThat(kueueHead(first, 4)).isEqualTo(planIds.subList(0, 4));
    }

    @Test
    void orderOnlyWritesTheWindowAndStopsRewritingTheTail() {
        InMemoryCluster plan = cluster();
        InMemoryCluster economy = cluster();
        Reconciler p = loop(plan, WriteOrdering.PLAN);
        Reconciler e = loop(economy, WriteOrdering.ORDER_ONLY);
        CycleReport pr = p.runOnce();
        CycleReport er = e.runOnce();
        List<WorkloadId> wdrfHead = pr.updates().stream().map(PriorityUpdate::workloadId).toList().subList(0, 4);
        assertThat(kueueHead(economy, 4)).as("Kueue's next four are WDRF's").isEqualTo(wdrfHead);
        assertThat(er.updates().size()).isLessThan(pr.updates().size());
        for (int step = 0; step < 48; step++) { // 24 h of aging, nothing admitted
            clock.advance(Duration.ofMinutes(30));
            p.runOnce();
            e.runOnce();
            assertThat(kueueHead(economy, 4)).isEqualTo(kueueHead(plan, 4));
        }
        assertThat(economy.totalWrites()).isLessThan(plan.totalWrites() / 2);
    }
}
