package io.wdrf.testkit;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small, fully populated Kueue cluster used by the compatibility kits: two namespaces, two flavors, one
 * ClusterQueue in a cohort with two resource groups, two LocalQueues, two nodes, a pod, and workloads that are
 * pending (every podSet feature: init, sidecar, overhead, node selector, template annotations, minCount, priority
 * class, boost), admitted (with admission usage), finished and inactive.
 */
public final class KitScenario {

    /** Creation time of every scenario object (second precision, as Kubernetes stores it). */
    public static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");

    public static final NamespaceInfo TEAM_A = new NamespaceInfo("team-a", Map.of("team", "a"),
            Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "2"));
    public static final NamespaceInfo TEAM_B = new NamespaceInfo("team-b", Map.of("team", "b"), Map.of());

    public static final ResourceFlavorInfo DEFAULT_FLAVOR = new ResourceFlavorInfo("default-flavor", Map.of());
    public static final ResourceFlavorInfo GPU_FLAVOR = new ResourceFlavorInfo("a100",
            Map.of("nvidia.com/gpu.product", "A100"));

    public static final ClusterQueueInfo CLUSTER_QUEUE = new ClusterQueueInfo("cq-main", "pool", List.of(
            ResourceQuota.of("default-flavor", "cpu", "16"),
            ResourceQuota.of("default-flavor", "memory", "64Gi"),
            new ResourceQuota("a100", "nvidia.com/gpu", Quantity.parse("8"), Quantity.parse("2"), Quantity.parse("4"))),
            ClusterQueueInfo.BEST_EFFORT_FIFO, "LowerPriority", "Any", "LowerPriority", 2.0);

    public static final LocalQueueInfo LQ_A = new LocalQueueInfo("team-a", "lq-a", "cq-main");
    public static final LocalQueueInfo LQ_B = new LocalQueueInfo("team-b", "lq-b", "cq-main");

    public static final Node NODE_1 = new Node("node-1", Map.of("nvidia.com/gpu.product", "A100", "zone", "z1"),
            Map.of("hami.io/node-nvidia-register", "[]"), Map.of("cpu", "32", "memory", "128Gi", "nvidia.com/gpu", "40",
            "pods", "110"), true, false);
    public static final Node NODE_2 = new Node("node-2", Map.of("zone", "z2"), Map.of(),
            Map.of("cpu", "7500m", "memory", "30Gi"), false, true);

    public static final PodInfo POD = new PodInfo("team-a", "runner-0", "", "node-1", "Running",
            Map.of("app", "runner"), Map.of("hami.io/vgpu-node", "node-1",
            "hami.io/vgpu-devices-allocated", ";GPU-0,NVIDIA,4000,30:;"), 1);

    /** Pending, with every pod-set feature. */
    public static final Workload PENDING = Workload.builder("team-a", "train-pending", CREATED)
            .queueName("lq-a")
            .labels(Map.of("kueue.x-k8s.io/queue-name", "lq-a", "wdrf.x-k8s.io/approved", "true"))
            .annotations(Map.of("note", "hello"))
            .addPodSet(new PodSet("main", 2, 1, List.of(
                    new ContainerSpec("init", ContainerKind.INIT, Map.of("cpu", "2"), Map.of()),
                    new ContainerSpec("proxy", ContainerKind.SIDECAR, Map.of("cpu", "100m"), Map.of("cpu", "200m")),
                    new ContainerSpec("main", ContainerKind.APP, Map.of("cpu", "1500m", "memory", "2Gi"),
                            Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "4000")),
                    new ContainerSpec("logger", ContainerKind.APP, Map.of(), Map.of("cpu", "250m"))),
                    Map.of("cpu", "250m"), Map.of("nvidia.com/gpu.product", "A100"),
                    Map.of("nvidia.com/use-gputype", "A100")))
            .addPodSet(PodSet.of("workers", 3, Map.of("cpu", "1", "memory", "1Gi")))
            .priority(10).priorityBoost(3).priorityClassName("high")
            .build();

    /** Admitted (QuotaReserved + Admitted) with admission usage. */
    public static final Workload ADMITTED = Workload.builder("team-b", "serve-admitted", CREATED)
            .queueName("lq-b")
            .addPodSet(PodSet.of("main", 4, Map.of("cpu", "1", "memory", "2Gi")))
            .priority(5)
            .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
            .admission(new Admission("cq-main", List.of(new PodSetAssignment("main",
                    Map.of("cpu", "default-flavor", "memory", "default-flavor"),
                    ResourceVector.of(Map.of("cpu", 4.0, "memory", 8.0 * (1L << 30))), 4))))
            .build();

    /** Finished. */
    public static final Workload FINISHED = Workload.builder("team-a", "done", CREATED)
            .queueName("lq-a")
            .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1")))
            .condition(Workload.QUOTA_RESERVED, true).condition(Workload.FINISHED, true)
            .build();

    /** Pending but {@code spec.active: false}, no priority. */
    public static final Workload INACTIVE = Workload.builder("team-b", "parked", CREATED)
            .queueName("lq-b")
            .addPodSet(PodSet.of("main", 1, Map.of("cpu", "500m")))
            .active(false)
            .build();

    private KitScenario() {
    }

    /** Every workload of the scenario. */
    public static List<Workload> workloads() {
        return List.of(PENDING, ADMITTED, FINISHED, INACTIVE);
    }

    /** Writes the whole scenario through the fixture. */
    public static void upsertAll(KitFixture f) {
        f.upsert(TEAM_A);
        f.upsert(TEAM_B);
        f.upsert(DEFAULT_FLAVOR);
        f.upsert(GPU_FLAVOR);
        f.upsert(CLUSTER_QUEUE);
        f.upsert(LQ_A);
        f.upsert(LQ_B);
        f.upsert(NODE_1);
        f.upsert(NODE_2);
        f.upsert(POD);
        workloads().forEach(f::upsert);
    }

    /** A simple pending workload {@code namespace/name} in LocalQueue {@code queue}. */
    public static Workload pending(String namespace, String name, String queue, String cpu) {
        return Workload.builder(namespace, name, CREATED).queueName(queue)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", cpu, "memory", "1Gi"))).build();
    }
}
