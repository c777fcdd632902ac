package io.wdrf.standalone;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.kueue.InMemoryCluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundled demo scenario: four teams sharing two HAMi GPU nodes (8 physical A100 cards) through one Kueue
 * ClusterQueue, with a backlog at t=0 and arrivals over two simulated hours (urgent, approved and normal work,
 * whole-card and fractional GPU requests).
 *
 * <p>Quota and capacity are both physical cards: the ClusterQueue's {@code nvidia.com/gpu} quota is
 * {@link #GPU_CARDS}, and Kueue charges a pod's {@code nvidia.com/gpu} (the number of cards it touches) against it, so
 * Kueue never admits more cards than exist and every tenant's share of the cards stays at most 1.
 */
final class DemoScenario {

    /** Simulated start of the demo. */
    static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    static final String CLUSTER_QUEUE = "gpu-cluster";
    static final String LOCAL_QUEUE = "team-queue";
    static final String FLAVOR = "a100";
    static final List<String> TEAMS = List.of("ml-research", "vision", "nlp", "interns");
    /** Physical cards: 2 nodes x 4 A100. */
    static final int GPU_CARDS = 8;

    /**
     * One job of the scenario.
     *
     * @param submitAfter when it is submitted, after {@link #START}
     * @param runtime     how long it runs once admitted
     * @param marker      class label ({@code urgent}, {@code approved}) or null
     */
    record Job(String namespace, String name, Duration submitAfter, Duration runtime, int pods, String cpu,
               String memory, int gpus, int gpuMemPercent, int gpuMemMiB, String marker) {

        WorkloadId id() {
            return new WorkloadId(namespace, name);
        }

        Workload toWorkload(Instant created) {
            Map<String, String> requests = new TreeMap<>(Map.of("cpu", cpu, "memory", memory));
            Map<String, String> limits = new TreeMap<>();
            if (gpus > 0) {
                limits.put("nvidia.com/gpu", Integer.toString(gpus));
                if (gpuMemPercent > 0) {
                    limits.put("nvidia.com/gpumem-percentage", Integer.toString(gpuMemPercent));
                }
                if (gpuMemMiB > 0) {
                    limits.put("nvidia.com/gpumem", Integer.toString(gpuMemMiB));
                }
                requests.putAll(limits);
            }
            PodSet ps = new PodSet("main", pods, null,
                    List.of(new ContainerSpec("main", ContainerKind.APP, requests, limits)), Map.of(), Map.of(), Map.of());
            Workload.Builder b = Workload.builder(namespace, name, created).queueName(LOCAL_QUEUE).podSets(List.of(ps));
            if (marker != null) {
                b.labels(Map.of("wdrf.x-k8s.io/" + marker, "true"));
            }
            return b.build();
        }

        /** GPU request in words, for the table. */
        String gpuText() {
            if (gpus == 0) {
                return "-";
            }
            String per = gpuMemPercent > 0 ? gpuMemPercent + "% of " : gpuMemMiB > 0 ? gpuMemMiB + "MiB of " : "";
            return pods + "x" + (per.isEmpty() ? gpus + " GPU" : per + gpus + " GPU");
        }
    }

    private DemoScenario() {
    }

    static List<Job> jobs() {
        List<Job> j = new ArrayList<>();
        for (String n : List.of("a", "b", "c", "d")) {
            j.add(job("interns", "notebook-" + n, 0, 50, 1, "2", "8Gi", 1, 25, 0, null));
        }
        for (int i = 1; i <= 4; i++) {
            j.add(job("interns", "sweep-" + i, 0, 60, 2, "2", "16Gi", 1, 0, 0, null));
        }
        j.add(job("vision", "detector-train", 0, 90, 4, "8", "32Gi", 1, 0, 0, null));
        j.add(job("nlp", "bert-finetune", 0, 60, 1, "8", "32Gi", 2, 0, 0, null));
        j.add(job("ml-research", "llm-pretrain", 0, 120, 2, "8", "32Gi", 2, 0, 0, null));
        for (int i = 1; i <= 3; i++) {
            j.add(job("nlp", "eval-" + i, 10, 20, 1, "2", "8Gi", 1, 0, 8192, null));
        }
        for (int i = 1; i <= 3; i++) {
            j.add(job("ml-research", "ablation-" + i, 20, 40, 1, "4", "16Gi", 1, 0, 0, null));
        }
        j.add(job("vision", "hotfix-infer", 30, 20, 1, "4", "16Gi", 1, 0, 0, "urgent"));
        j.add(job("interns", "me-first", 30, 30, 1, "4", "16Gi", 1, 0, 0, "urgent"));
        j.add(job("nlp", "paper-deadline", 40, 40, 2, "4", "16Gi", 1, 0, 0, "approved"));
        j.add(job("interns", "notebook-e", 60, 50, 1, "2", "8Gi", 1, 50, 0, null));
        j.add(job("interns", "notebook-f", 60, 50, 1, "2", "8Gi", 1, 50, 0, null));
        j.add(job("vision", "segmentation", 70, 60, 2, "8", "32Gi", 2, 0, 0, null));
        return List.copyOf(j);
    }

    private static Job job(String ns, String name, int submitMin, int runMin, int pods, String cpu, String mem, int gpus,
                           int pct, int mib, String marker) {
        return new Job(ns, name, Duration.ofMinutes(submitMin), Duration.ofMinutes(runMin), pods, cpu, mem, gpus, pct,
                mib, marker);
    }

    /** The demo's configuration defaults, under the user's file, environment and flags. */
    static Config defaults() {
        return ConfigFactory.parseString("""
                wdrf {
                  backend = memory
                  log-level = WARN
                  leader-election.enabled = false
                  tenant-weights { ml-research = 2 }
                  # the demo's interns namespace carries wdrf.x-k8s.io/weight = 0.5 (off by default: tenant-controlled)
                  tenant-inputs.namespace-weights = true
                  class-namespaces { urgent = [ml-research, vision, nlp], approved = ["*"] }
                  aging.max-time = 2h
                  http.port = 0
                }
                """);
    }

    /**
     * The cluster with nodes, queues and namespaces, and the jobs due at t=0 submitted (created at the clock's
     * current instant).
     *
     * @param hami true: nodes carry HAMi's device register annotation (fractional accounting), else plain cards
     */
    static InMemoryCluster cluster(Clock clock, boolean hami) {
        // Kueue in HAMi clusters does not charge per-card memory/core resources against quota
        KueueDemandModel kueue = new KueueDemandModel(List.of("nvidia.com/gpumem", "nvidia.com/gpucores"));
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).demandModel(kueue).flavor(FLAVOR)
                .clusterQueue(CLUSTER_QUEUE,
                        ResourceQuota.of(FLAVOR, "cpu", "96"),
                        ResourceQuota.of(FLAVOR, "memory", "384Gi"),
                        // physical cards, not vGPU slots: a pod's nvidia.com/gpu is the number of cards it uses
                        ResourceQuota.of(FLAVOR, "nvidia.com/gpu", Integer.toString(GPU_CARDS)));
        for (String team : TEAMS) {
            Map<String, String> ann = team.equals("interns") ? Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "0.5") : Map.of();
            b.namespace(team, Map.of(), ann);
            b.localQueue(team, LOCAL_QUEUE, CLUSTER_QUEUE);
        }
        for (int n = 1; n <= 2; n++) {
            b.node(node("gpu-node-" + n, hami));
        }
        InMemoryCluster cluster = b.build();
        for (Job j : jobs()) {
            if (j.submitAfter().isZero()) {
                cluster.submit(j.toWorkload(clock.instant()));
            }
        }
        return cluster;
    }

    private static Node node(String name, boolean hami) {
        Map<String, String> allocatable = new TreeMap<>(Map.of("cpu", "48", "memory", "192Gi", "pods", "110"));
        Map<String, String> annotations = new TreeMap<>();
        if (hami) {
            allocatable.put("nvidia.com/gpu", "40"); // 4 cards x deviceSplitCount 10
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(String.format(java.util.Locale.ROOT,
                        "{\"id\":\"GPU-%s-%d\",\"index\":%d,\"count\":10,\"devmem\":40960,\"devcore\":100,"
                                + "\"type\":\"NVIDIA-A100-PCIE-40GB\",\"health\":true}", name, i, i));
            }
            annotations.put("hami.io/node-nvidia-register", json.append(']').toString());
        } else {
            allocatable.put("nvidia.com/gpu", "4");
        }
        return new Node(name, Map.of("nvidia.com/gpu.product", "A100"), annotations, allocatable, true, false);
    }
}
