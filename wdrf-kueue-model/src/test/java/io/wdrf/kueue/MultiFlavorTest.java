package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003's ClusterQueue {@code ml-cluster-queue}: GPUs in flavors {@code a100-40gb} (16, borrowingLimit 4) then
 * {@code t4} (32), StrictFIFO, withinClusterQueue LowerPriority. Flavor assignment follows Kueue's
 * {@code pkg/scheduler/flavorassigner/flavorassigner_test.go} cases "multiple flavors, fits a node selector" and
 * "single flavor, used resources, doesn't fit" (then the next flavor is tried). Rule: the first flavor in quota order
 * that fits and whose node labels match the node selector; usage is per flavor.
 */
class MultiFlavorTest {

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
                        ClusterQueueInfo.STRICT_FIFO, "LowerPriority", "Any", null, 1.0))
                .localQueue("ml-training", "ml-team-queue", "ml-cluster-queue").build();
    }

    private WorkloadId submit(InMemoryCluster c, String name, int gpus, Map<String, String> nodeSelector) {
        return c.submit(Workload.builder("ml-training", name, clock.instant()).queueName("ml-team-queue")
                .addPodSet(new PodSet("main", 1, null, List.of(io.wdrf.api.ContainerSpec.app("c",
                        Map.of(GPU, Integer.toString(gpus)))), Map.of(), nodeSelector, Map.of())).build()).id();
    }

    private String flavorOf(InMemoryCluster c, WorkloadId id) {
        return c.workload(id).orElseThrow().admission().podSetAssignments().get(0).flavors().get(GPU);
    }

    @Test
    void a100FirstThenT4AndNodeSelectorsPickTheFlavor() {
        InMemoryCluster c = seed003();
        WorkloadId big = submit(c, "big", 12, Map.of());
        WorkloadId spill = submit(c, "spill", 8, Map.of());                 // 12 + 8 > 16 on A100 (no cohort): T4
        WorkloadId onT4 = submit(c, "t4-only", 2, Map.of(PRODUCT, "Tesla-T4"));
        WorkloadId small = submit(c, "small", 4, Map.of());                 // 12 + 4 = 16 fits the A100s
        AdmissionResult r = c.admissionCycle();
        assertThat(r.admitted()).containsExactly(big, spill, onT4, small);
        assertThat(flavorOf(c, big)).isEqualTo("a100-40gb");
        assertThat(flavorOf(c, spill)).isEqualTo("t4");
        assertThat(flavorOf(c, onT4)).isEqualTo("t4");
        assertThat(flavorOf(c, small)).isEqualTo("a100-40gb");
        // per-flavor usage: A100 16/16, T4 10/32; an A100-only request now waits and blocks the StrictFIFO queue
        WorkloadId a100 = submit(c, "a100-only", 1, Map.of(PRODUCT, "NVIDIA-A100-SXM4-40GB"));
        submit(c, "behind", 1, Map.of());
        AdmissionResult next = c.admissionCycle();
        assertThat(next.admitted()).isEmpty();
        assertThat(next.inadmissible().get(a100)).contains("flavor a100-40gb: insufficient nvidia.com/gpu")
                .contains("flavor t4: node label");
        assertThat(next.inadmissible().get(new WorkloadId("ml-training", "behind"))).contains("StrictFIFO");
    }
}
