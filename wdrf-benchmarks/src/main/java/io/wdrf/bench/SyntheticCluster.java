package io.wdrf.bench;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic synthetic clusters for benchmarks (seeded). */
public final class SyntheticCluster {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] CPU = {"500m", "1", "2", "4", "8", "16"};
    private static final String[] MEM = {"1Gi", "4Gi", "16Gi", "32Gi", "64Gi"};
    private static final String[] GPU = {"0", "0", "1", "1", "2", "4", "8"};

    private SyntheticCluster() {
    }

    /**
     * A snapshot with {@code pending} pending and {@code pending / 5} admitted workloads spread over {@code tenants}
     * namespaces, and {@code nodes} nodes of 64 CPU / 512 GiB / 8 GPUs.
     */
    public static ClusterSnapshot build(int pending, int tenants, int nodes, long seed) {
        Random rnd = new Random(seed);
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(T0.plusSeconds(86_400));
        for (int n = 0; n < nodes; n++) {
            b.node(new Node("node-" + n, Map.of("pool", "p" + (n % 4)), Map.of(),
                    Map.of("cpu", "64", "memory", "512Gi", "nvidia.com/gpu", "8"), true, false));
        }
        b.clusterQueue(ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("default", "cpu", String.valueOf(64L * nodes)),
                ResourceQuota.of("default", "memory", (512L * nodes) + "Gi"),
                ResourceQuota.of("default", "nvidia.com/gpu", String.valueOf(8L * nodes)))));
        for (int t = 0; t < tenants; t++) {
            b.localQueue(new LocalQueueInfo("team-" + t, "q", "cq"));
        }
        int admitted = pending / 5;
        for (int i = 0; i < pending + admitted; i++) {
            String ns = "team-" + (int) Math.floor(Math.pow(rnd.nextDouble(), 2) * tenants);
            Map<String, String> req = Map.of("cpu", CPU[rnd.nextInt(CPU.length)], "memory", MEM[rnd.nextInt(MEM.length)],
                    "nvidia.com/gpu", GPU[rnd.nextInt(GPU.length)]);
            Workload.Builder w = Workload.builder(ns, "job-" + i, T0.plusSeconds(rnd.nextInt(86_400)))
                    .uid("uid-" + i).queueName("q").resourceVersion(String.valueOf(i))
                    .addPodSet(PodSet.of("main", 1 + rnd.nextInt(4), req));
            if (i >= pending) {
                w.condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true);
            }
            b.workload(w.build());
        }
        return b.build();
    }
}
