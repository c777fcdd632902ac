package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PreemptionMode;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preemption modes through the in-memory Kueue model under {@code withinClusterQueue: LowerPriority}: an urgent
 * workload preempts normal work in mode {@code classes}, never in mode {@code never}; a normal workload of a tenant with
 * no share never preempts another tenant's normal workload in {@code classes} (allow: it does).
 */
class PreemptionModesAdmissionTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster cluster() {
        return InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", "8")),
                        ClusterQueueInfo.BEST_EFFORT_FIFO, "LowerPriority", ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, 1.0))
                .namespace("a").namespace("b").localQueue("a", "lq", "cq").localQueue("b", "lq", "cq").build();
    }

    private Reconciler reconciler(InMemoryCluster c, PreemptionMode mode) {
        WdrfEngine engine = WdrfEngine.builder().clock(clock)
                .config(PolicyConfig.builder().capacitySource("quota").preemption(mode).build()).build();
        return Reconciler.builder(c, c, engine).settings(ReconcilerSettings.defaults().withMinDelta(0)).build();
    }

    private static Workload job(String ns, String name, java.time.Instant t, Map<String, String> labels) {
        return Workload.builder(ns, name, t).uid(ns + "-" + name).queueName("lq").labels(labels)
                .podSets(List.of(PodSet.of("main", 1, Map.of("cpu", "8")))).build();
    }

    /** a's normal job runs; then b submits {@code labels}; WDRF runs; Kueue admits. Returns what was preempted. */
    private List<WorkloadId> scenario(PreemptionMode mode, Map<String, String> labels) {
        InMemoryCluster c = cluster();
        Reconciler r = reconciler(c, mode);
        c.submit(job("a", "train", clock.instant(), Map.of()));
        r.runOnce();
        assertThat(c.admissionCycle().admitted()).containsExactly(new WorkloadId("a", "train"));
        clock.advance(Duration.ofMinutes(5));
        r.runOnce(); // protection of the admitted job (classes)
        c.submit(job("b", "next", clock.instant(), labels));
        clock.advance(Duration.ofMinutes(30)); // b's job ages past a's: above it in priority, same class
        r.runOnce();
        return c.admissionCycle().preempted();
    }

    @Test
    void urgentPreemptsUnderLowerPriorityInClassesMode() {
        assertThat(scenario(PreemptionMode.CLASSES, Map.of("wdrf.x-k8s.io/urgent", "true")))
                .containsExactly(new WorkloadId("a", "train"));
    }

    @Test
    void urgentNeverPreemptsInNeverMode() {
        assertThat(scenario(PreemptionMode.NEVER, Map.of("wdrf.x-k8s.io/urgent", "true"))).isEmpty();
    }

    @Test
    void sameClassNeverPreemptsInClassesModeButDoesWithAllow() {
        assertThat(scenario(PreemptionMode.CLASSES, Map.of())).isEmpty();
        assertThat(scenario(PreemptionMode.ALLOW, Map.of())).containsExactly(new WorkloadId("a", "train"));
    }
}
