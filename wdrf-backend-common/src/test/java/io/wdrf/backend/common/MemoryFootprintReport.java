package io.wdrf.backend.common;

import io.wdrf.api.ClusterSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Measures the heap retained by projected records: generates 100k Kueue Workloads and 5k Nodes as JSON trees
 * (the shape fabric8 / client-java hand over), projects each into the {@link ProjectedStore} and drops the tree,
 * then reports the retained heap (MemoryMXBean heap used after GC, minus the baseline). Not a test: prints numbers.
 *
 * <p>Run: {@code mvn -o -q -pl wdrf-backend-common -am test-compile && java -Xmx2g -cp
 * wdrf-api/target/classes:wdrf-backend-common/target/classes:wdrf-backend-common/target/test-classes
 * io.wdrf.backend.common.MemoryFootprintReport [workloads] [nodes]}
 */
public final class MemoryFootprintReport {

    private MemoryFootprintReport() {
    }

    public static void main(String[] args) throws Exception {
        int workloads = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Random rnd = new Random(42);
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();

        long base = usedAfterGc(mx);
        ProjectedStore store = new ProjectedStore();
        KubeProjector projector = new KubeProjector();
        long t0 = System.nanoTime();
        long rawChars = 0;
        for (int i = 0; i < workloads; i++) {
            Map<String, Object> tree = workload(i, rnd);
            if (i < 200) {
                rawChars += KubeProjectorTest.toJson(tree).length();
            }
            store.put(projector.workload(tree));
        }
        long tWl = System.nanoTime() - t0;
        long afterWorkloads = usedAfterGc(mx);
        t0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            store.put(projector.node(node(i, rnd)));
        }
        long tNodes = System.nanoTime() - t0;
        long afterNodes = usedAfterGc(mx);

        t0 = System.nanoTime();
        ClusterSnapshot snap = store.snapshot(Clock.systemUTC());
        long tSnap = System.nanoTime() - t0;
        t0 = System.nanoTime();
        store.snapshot(Clock.systemUTC());
        long tSnap2 = System.nanoTime() - t0;

        long wlBytes = afterWorkloads - base;
        long nodeBytes = afterNodes - afterWorkloads;
        System.out.printf("JVM %s, max heap %d MiB%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("generated Workload JSON: ~%d bytes each (mean of the first 200, compact JSON)%n",
                rawChars / Math.min(200, Math.max(1, workloads)));
        System.out.printf("workloads projected: %d valid, %d invalid in %d ms%n", store.size(ResourceKind.WORKLOAD),
                snap.invalid().size(), tWl / 1_000_000);
        System.out.printf("retained heap for %d workloads: %.1f MiB (%d bytes/workload)%n", workloads,
                wlBytes / 1048576.0, wlBytes / Math.max(1, workloads));
        System.out.printf("retained heap for %d nodes: %.1f MiB (%d bytes/node), projected in %d ms%n", nodes,
                nodeBytes / 1048576.0, nodeBytes / Math.max(1, nodes), tNodes / 1_000_000);
        System.out.printf("total retained: %.1f MiB; snapshot() of %d workloads + %d nodes took %.1f ms"
                        + " (unchanged store: %.3f ms)%n", (afterNodes - base) / 1048576.0, snap.workloads().size(),
                snap.nodes().size(), tSnap / 1e6, tSnap2 / 1e6);
        System.out.printf("shared pod-set/container/assignment records: %d%n", projector.sharedRecordCount());
        // projection cost alone (trees generated beforehand), as informers pay it per event
        List<Map<String, Object>> trees = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            trees.add(workload(workloads + i, rnd));
        }
        KubeProjector fresh = new KubeProjector();
        for (int round = 0; round < 3; round++) {
            t0 = System.nanoTime();
            for (Map<String, Object> t : trees) {
                fresh.workload(t);
            }
            System.out.printf("projection only, round %d: %.1f us/workload%n", round,
                    (System.nanoTime() - t0) / 1e3 / trees.size());
        }
        if (args.length > 2 && "pause".equals(args[2])) {
            System.out.println("pausing 60 s for jcmd <pid> GC.class_histogram");
            Thread.sleep(60_000);
        }
        if (snap.workloads().size() != workloads || snap.nodes().size() != nodes) {
            throw new IllegalStateException("projection lost objects");
        }
    }

    private static long usedAfterGc(MemoryMXBean mx) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static final String[] CPU = {"500m", "1", "2", "4", "8"};
    private static final String[] MEM = {"1Gi", "2Gi", "4Gi", "8Gi", "16Gi"};

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A realistic Kueue v1beta2 Workload: labels, owner-ish annotations, one pod set with GPU, conditions. */
    static Map<String, Object> workload(int i, Random rnd) {
        String ns = "team-" + (i % 200);
        String name = "job-" + Integer.toHexString(rnd.nextInt()) + "-" + i;
        String uid = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        String created = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 7L).toString();
        boolean admitted = i % 3 == 0;
        int cpu = rnd.nextInt(CPU.length);
        Map<String, Object> requests = map("cpu", CPU[cpu], "memory", MEM[rnd.nextInt(MEM.length)]);
        Map<String, Object> limits = map("nvidia.com/gpu", "1", "nvidia.com/gpumem", String.valueOf(4000 * (1 + i % 4)),
                "nvidia.com/gpucores", "30");
        Map<String, Object> container = map("name", "main", "image", "registry.example.com/train:v" + (i % 17),
                "resources", map("requests", requests, "limits", limits),
                "env", List.of(map("name", "RUN_ID", "value", uid)));
        Map<String, Object> podSet = map("name", "main", "count", (long) (1 + i % 4), "template", map(
                "metadata", map("annotations", map("nvidia.com/use-gputype", "A100")),
                "spec", map("containers", List.of(container), "restartPolicy", "Never",
                        "nodeSelector", map("pool", "gpu"))));
        List<Object> conditions = new ArrayList<>();
        conditions.add(map("type", "QuotaReserved", "status", admitted ? "True" : "False", "reason",
                admitted ? "QuotaReserved" : "Pending", "message", admitted ? "Quota reserved in ClusterQueue cq-"
                        + (i % 20) : "couldn't assign flavors to pod set main: insufficient unused quota",
                "lastTransitionTime", created, "observedGeneration", 1L));
        if (admitted) {
            conditions.add(map("type", "Admitted", "status", "True", "reason", "Admitted", "message",
                    "The workload is admitted", "lastTransitionTime", created, "observedGeneration", 1L));
        }
        Map<String, Object> status = map("conditions", conditions, "resourceRequests", List.of(map("name", "main",
                "resources", requests)));
        if (admitted) {
            status.put("admission", map("clusterQueue", "cq-" + (i % 20), "podSetAssignments", List.of(map(
                    "name", "main", "count", (long) (1 + i % 4),
                    "flavors", map("cpu", "default", "memory", "default", "nvidia.com/gpu", "a100"),
                    "resourceUsage", map("cpu", CPU[cpu], "memory", "4Gi", "nvidia.com/gpu", "1")))));
        }
        return map("apiVersion", "kueue.x-k8s.io/v1beta2", "kind", "Workload",
                "metadata", map("name", name, "namespace", ns, "uid", uid, "resourceVersion", String.valueOf(1000 + i),
                        "generation", 1L, "creationTimestamp", created,
                        // distinct String objects, as a JSON parser produces them
                        "labels", map("kueue.x-k8s.io/job-uid", new String(uid.toCharArray()), "kueue.x-k8s.io/queue-name", "lq-" + (i % 200),
                                "app", "train-" + (i % 50)),
                        "annotations", map("kueue.x-k8s.io/job-owner", "batch/v1/Job/" + ns + "/" + name),
                        "ownerReferences", List.of(map("apiVersion", "batch/v1", "kind", "Job", "name", name,
                                "uid", uid, "controller", true, "blockOwnerDeletion", true)),
                        "finalizers", List.of("kueue.x-k8s.io/resource-in-use")),
                "spec", map("queueName", "lq-" + (i % 200), "priority", (long) (i % 100), "active", true,
                        "podSets", List.of(podSet)),
                "status", status);
    }

    /** A GPU node with HAMi's device registration annotation. */
    static Map<String, Object> node(int i, Random rnd) {
        String name = "node-" + i;
        StringBuilder reg = new StringBuilder("[");
        for (int g = 0; g < 8; g++) {
            if (g > 0) {
                reg.append(',');
            }
            reg.append("{\"id\":\"GPU-").append(new UUID(rnd.nextLong(), rnd.nextLong()))
                    .append("\",\"index\":").append(g).append(",\"count\":10,\"devmem\":81920,\"devcore\":100,")
                    .append("\"type\":\"NVIDIA-A100-SXM4-80GB\",\"health\":true}");
        }
        reg.append(']');
        return map("apiVersion", "v1", "kind", "Node",
                "metadata", map("name", name, "uid", new UUID(rnd.nextLong(), rnd.nextLong()).toString(),
                        "labels", map("kubernetes.io/hostname", name, "topology.kubernetes.io/zone", "zone-" + (i % 3),
                                "node.kubernetes.io/instance-type", "p4d.24xlarge", "pool", "gpu",
                                "nvidia.com/gpu.product", "A100"),
                        "annotations", map("hami.io/node-nvidia-register", reg.toString(),
                                "hami.io/node-handshake", "Requesting_2026-11-24 05:00:00")),
                "spec", map("providerID", "aws:///zone/i-" + Integer.toHexString(rnd.nextInt())),
                "status", map("allocatable", map("cpu", "95", "memory", "1121Gi", "nvidia.com/gpu", "80",
                        "ephemeral-storage", "1900Gi", "pods", "110", "hugepages-2Mi", "0"),
                        "conditions", List.of(map("type", "Ready", "status", "True", "reason", "KubeletReady"))));
    }
}
