package io.wdrf.examples.it;

import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.AdmissionResult;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a platform team can pin down its fairness policy in a test: a GPU ClusterQueue shared by two teams, the
 * team weights and classes from their config, and the in-memory Kueue admission model standing in for Kueue.
 */
class GpuTeamsAcceptanceTest {

    private final ManualClock clock = ManualClock.at("2026-03-02T09:00:00Z");
    private InMemoryCluster cluster;
    private Reconciler controller;

    @BeforeEach
    void setUp() {
        cluster = InMemoryCluster.builder(clock)
                .clusterQueue("gpu", ResourceQuota.of("a100", "cpu", "64"), ResourceQuota.of("a100", "memory", "512Gi"),
                        ResourceQuota.of("a100", "nvidia.com/gpu", "8"))
                .namespace("research").namespace("interns")
                .localQueue("research", "team", "gpu").localQueue("interns", "team", "gpu").build();
        PolicyConfig ourPolicy = PolicyConfig.builder()
                .capacitySource("quota")
                .tenantWeights(Map.of("research", 2.0))
                .maxAgingTime(Duration.ofHours(8))
                .build();
        WdrfEngine engine = WdrfEngine.builder().config(ourPolicy).clock(clock).build();
        controller = Reconciler.builder(cluster, cluster, engine).build();
    }

    private Workload train(String team, String name, int gpus) {
        return cluster.submit(team, name, "team", PodSet.of("main", 1,
                Map.of("cpu", String.valueOf(4 * gpus), "memory", (32 * gpus) + "Gi", "nvidia.com/gpu", String.valueOf(gpus))));
    }

    private long gpusHeldBy(String team) {
        return Math.round(cluster.snapshot().workloads().stream()
                .filter(w -> w.id().namespace().equals(team) && w.phase() == Phase.ADMITTED)
                .mapToDouble(w -> w.admission().totalUsage().get("nvidia.com/gpu")).sum());
    }

    @Test
    void researchGetsTwiceTheInternsGpusWhenBothQueueUp() {
        for (int i = 0; i < 8; i++) {
            train("interns", "intern-" + i, 1);
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 8; i++) {
            train("research", "research-" + i, 1);
        }
        controller.runOnce();
        cluster.admissionCycle();
        // interns came first, yet weight 2 : 1 splits the 8 GPUs about 2:1 (5 or 6 for research)
        assertThat(gpusHeldBy("research")).isBetween(5L, 6L);
        assertThat(gpusHeldBy("interns")).isBetween(2L, 3L);
        assertThat(gpusHeldBy("research") + gpusHeldBy("interns")).isEqualTo(8);
    }

    @Test
    void anUrgentHotfixJumpsTheQueueAndTheExplanationSaysWhy() {
        for (int i = 0; i < 10; i++) {
            train("research", "sweep-" + i, 1);
        }
        controller.runOnce();
        cluster.admissionCycle();
        Workload hotfix = cluster.submit(Workload.builder("interns", "hotfix", clock.instant()).queueName("team")
                .labels(Map.of("wdrf.x-k8s.io/urgent", "true"))
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "4", "memory", "32Gi", "nvidia.com/gpu", "1"))).build());
        cluster.finish(new WorkloadId("research", "sweep-0"));
        CycleReport report = controller.runOnce();
        AdmissionResult next = cluster.admissionCycle();
        assertThat(next.admitted()).containsExactly(hotfix.id());
        assertThat(report.plan().decisions().get(0).explanation().summary()).contains("class=urgent");
        assertThat(cluster.workload(hotfix.id()).orElseThrow().annotations().get("wdrf.x-k8s.io/explanation"))
                .contains("class=urgent");
    }

    @Test
    void nothingIsRewrittenWhileNothingChanges() {
        train("research", "a", 2);
        train("interns", "b", 2);
        controller.runOnce();
        long writes = cluster.totalWrites();
        for (int i = 0; i < 5; i++) {
            controller.runOnce();
        }
        assertThat(cluster.totalWrites()).isEqualTo(writes);
    }
}
