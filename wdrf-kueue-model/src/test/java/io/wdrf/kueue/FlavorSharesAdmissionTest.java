package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.ManualClock;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flavors in WDRF's shares through Kueue's own flavor assignment (seed 003's queue: 16 A100s, then 32 T4s): the
 * tenant holding 8 A100s has half of the A100 pool, the tenant holding 8 T4s a quarter of the T4 pool, so the second
 * one's next job ranks first although it was submitted later (no aging); summed over flavors both held 8 of 48.
 */
class FlavorSharesAdmissionTest {

    private static final String GPU = "nvidia.com/gpu";
    private static final String PRODUCT = "nvidia.com/gpu.product";
    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster seed003() {
        return InMemoryCluster.builder(clock)
                .flavor("a100-40gb", Map.of(PRODUCT, "NVIDIA-A100-SXM4-40GB"))
                .flavor("t4", Map.of(PRODUCT, "Tesla-T4"))
                .clusterQueue(new ClusterQueueInfo("ml-cluster-queue", null, List.of(
                        new ResourceQuota("a100-40gb", GPU, Quantity.parse("16"), Quantity.parse("4"), null),
                        ResourceQuota.of("t4", GPU, "32")),
                        ClusterQueueInfo.BEST_EFFORT_FIFO, ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, null, 1.0))
                .namespace("vision").namespace("nlp")
                .localQueue("vision", "q", "ml-cluster-queue").localQueue("nlp", "q", "ml-cluster-queue").build();
    }

    private WorkloadId submit(InMemoryCluster c, String ns, String name, int gpus, String product) {
        Map<String, String> selector = product == null ? Map.of() : Map.of(PRODUCT, product);
        return c.submit(Workload.builder(ns, name, clock.instant()).queueName("q")
                .addPodSet(new PodSet("main", 1, null, List.of(io.wdrf.api.ContainerSpec.app("c",
                        Map.of(GPU, Integer.toString(gpus)))), Map.of(), selector, Map.of())).build()).id();
    }

    @Test
    void aTenantOnT4sIsNotChargedLikeOneOnA100s() {
        InMemoryCluster c = seed003();
        submit(c, "vision", "train", 8, "NVIDIA-A100-SXM4-40GB");
        submit(c, "nlp", "train", 8, "Tesla-T4");
        assertThat(c.admissionCycle().admitted()).hasSize(2);
        clock.advance(Duration.ofMinutes(1));
        WorkloadId visionNext = submit(c, "vision", "next", 2, null);
        clock.advance(Duration.ofMinutes(1));
        WorkloadId nlpNext = submit(c, "nlp", "next", 2, null);
        WdrfEngine engine = WdrfEngine.builder().clock(clock)
                .config(PolicyConfig.builder().capacitySource("quota").agingCoefficient(0).build()).build();
        Evaluation ev = engine.evaluate(c.snapshot());
        assertThat(ev.context().tenants().get("vision").weightedDominantShare()).isEqualTo(0.5);
        assertThat(ev.context().tenants().get("nlp").weightedDominantShare()).isEqualTo(0.25);
        // both pending jobs would be admitted on A100s first (8 free): that is where their demand is charged
        assertThat(ev.context().pending()).allSatisfy(p -> assertThat(p.demand().asMap()).containsOnlyKeys(GPU + "@a100-40gb"));
        int vision = ev.plan().find(visionNext).orElseThrow().priority();
        int nlp = ev.plan().find(nlpNext).orElseThrow().priority();
        assertThat(nlp).isGreaterThan(vision);
    }
}
