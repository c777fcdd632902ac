package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small builders for engine tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    static Workload pending(String ns, String name, Instant created, String cpu, String memory) {
        return Workload.builder(ns, name, created).uid("uid-" + ns + "-" + name).queueName("q")
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", cpu, "memory", memory))).build();
    }

    static Workload admitted(String ns, String name, String cpu, String memory) {
        return Workload.builder(ns, name, T0).uid("uid-" + ns + "-" + name).queueName("q")
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", cpu, "memory", memory)))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true).build();
    }

    static Node node(String name, String cpu, String memory) {
        return new Node(name, Map.of(), Map.of(), Map.of("cpu", cpu, "memory", memory), true, false);
    }

    static ClusterQueueInfo cq(String name, String cpu, String memory) {
        return ClusterQueueInfo.of(name, List.of(ResourceQuota.of("default", "cpu", cpu), ResourceQuota.of("default", "memory", memory)));
    }

    static ClusterSnapshot.Builder snapshot() {
        return ClusterSnapshot.builder(T0).clusterQueue(cq("cq", "9", "18Gi"));
    }

    static List<LocalQueueInfo> localQueues(String... namespaces) {
        return java.util.Arrays.stream(namespaces).map(ns -> new LocalQueueInfo(ns, "q", "cq")).toList();
    }

    static ContainerSpec container(String name, ContainerKind kind, Map<String, String> requests, Map<String, String> limits) {
        return new ContainerSpec(name, kind, requests, limits);
    }
}
