package io.wdrf.standalone;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.Workload;
import io.wdrf.hami.HamiConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GpuMetricsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void allocationAndFragmentationComeFromHamiBookings() {
        // two 16 GiB cards; card 0 is 75 % booked, card 1 idle; the pending job needs half a card
        Node node = new Node("gpu-1", Map.of(), Map.of("hami.io/node-nvidia-register",
                "[{\"id\":\"GPU-0\",\"index\":0,\"count\":10,\"devmem\":16384,\"devcore\":100,\"type\":\"NVIDIA-A100\",\"health\":true},"
                        + "{\"id\":\"GPU-1\",\"index\":1,\"count\":10,\"devmem\":16384,\"devcore\":100,\"type\":\"NVIDIA-A100\",\"health\":true}]"),
                Map.of("cpu", "32", "nvidia.com/gpu", "20"), true, false);
        PodInfo pod = new PodInfo("team-a", "runner", "u1", "gpu-1", "Running", Map.of(),
                Map.of("hami.io/vgpu-node", "gpu-1", "hami.io/vgpu-devices-allocated", "GPU-0,NVIDIA,12288,75:;"));
        Workload pending = Workload.builder("team-b", "half", T).queueName("q")
                .addPodSet(PodSet.of("main", 1, Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50"))).build();
        ClusterSnapshot snapshot = ClusterSnapshot.builder(T).node(node).pod(pod).workload(pending).build();

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GpuMetrics gpu = new GpuMetrics(registry, HamiConfig.defaults());
        gpu.update(snapshot);
        String scrape = registry.scrape();
        // mean occupancy (0.75 + 0) / 2; idle 0.25 on card 0 fits no 0.5 request: 0.25 / (0.25 + 1.0) fragmented
        assertThat(scrape).contains("wdrf_gpu_allocation_ratio 0.375");
        assertThat(scrape).contains("wdrf_gpu_fragmentation_ratio 0.2");
    }
}
