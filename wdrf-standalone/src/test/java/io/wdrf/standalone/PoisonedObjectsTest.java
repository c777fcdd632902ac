package io.wdrf.standalone;

import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property (issue 13.3): one poisoned object of each kind — any random subset of them, added next to the demo cluster
 * on the fake API server — leaves every other workload prioritised in a successful cycle, and is reported as an invalid
 * object. Poisons are the values that once stopped the controller: numbers that overflow (1e309, 1e999999999), huge
 * strings, wrong JSON types, control characters.
 */
class PoisonedObjectsTest {

    private static final String KUEUE = "/apis/kueue.x-k8s.io/v1beta2";

    private static Map<String, Object> meta(String name, String ns, Map<String, ?> annotations) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        if (ns != null) {
            m.put("namespace", ns);
        }
        if (annotations != null) {
            m.put("annotations", annotations);
        }
        return m;
    }

    /** The poisons, one per kind: name and how to add it. */
    private static List<Map.Entry<String, Consumer<FakeKubeApiServer>>> poisons() {
        List<Map.Entry<String, Consumer<FakeKubeApiServer>>> p = new ArrayList<>();
        p.add(Map.entry("Node allocatable 1e309", s -> s.put("/api/v1/nodes", Map.of("metadata", meta("poison-cpu", null,
                null), "status", Map.of("allocatable", Map.of("cpu", "1e309"), "conditions",
                List.of(Map.of("type", "Ready", "status", "True")))))));
        p.add(Map.entry("Node HAMi count 1e999999999", s -> s.put("/api/v1/nodes", Map.of("metadata", meta("poison-hami",
                null, Map.of("hami.io/node-nvidia-register", "[{\"id\":\"GPU-0\",\"count\":1e999999999}]")), "status",
                Map.of("allocatable", Map.of("cpu", "4", "nvidia.com/gpu", "1"), "conditions",
                        List.of(Map.of("type", "Ready", "status", "True")))))));
        p.add(Map.entry("ClusterQueue nominalQuota 1e309", s -> s.put(KUEUE + "/clusterqueues", Map.of("metadata",
                meta("poison-cq", null, null), "spec", Map.of("resourceGroups", List.of(Map.of("coveredResources",
                        List.of("cpu"), "flavors", List.of(Map.of("name", "default", "resources",
                                List.of(Map.of("name", "cpu", "nominalQuota", "1e309")))))))))));
        p.add(Map.entry("LocalQueue clusterQueue of the wrong type", s -> s.put(KUEUE + "/localqueues", Map.of("metadata",
                meta("poison-lq", "vision", null), "spec", Map.of("clusterQueue", List.of(1, 2))))));
        Map<String, Object> container = Map.of("name", "c", "resources", Map.of("requests", Map.of("cpu", "1e309")));
        Map<String, Object> podSet = Map.of("name", "main", "count", 1, "template",
                Map.of("spec", Map.of("containers", List.of(container))));
        p.add(Map.entry("Workload request 1e309 and a 100k annotation", s -> s.put(KUEUE + "/workloads", Map.of(
                "metadata", meta("poison-wl", "vision", Map.of("x", "y".repeat(100_000))),
                "spec", Map.of("queueName", "lq", "podSets", List.of(podSet))))));
        p.add(Map.entry("Namespace weight 1e300 with a forged line", s -> s.put("/api/v1/namespaces", Map.of("metadata",
                meta("poison-ns", null, Map.of("wdrf.x-k8s.io/weight", "1e300\r\nINFO forged"))))));
        p.add(Map.entry("ResourceFlavor nodeLabels as a string", s -> s.put(KUEUE + "/resourceflavors", Map.of("metadata",
                meta("poison-rf", null, null), "spec", Map.of("nodeLabels", "not-a-map")))));
        p.add(Map.entry("Pod HAMi allocation garbage", s -> s.put("/api/v1/pods", Map.of("metadata", meta("poison-pod",
                "vision", Map.of("hami.io/vgpu-devices-allocated", "GPU-0,NVIDIA,1e999999999,1e999999999:;".repeat(50))),
                "spec", Map.of("nodeName", "poison-hami", "containers", List.of(Map.of("name", "c"))),
                "status", Map.of("phase", "Running")))));
        return p;
    }

    @Test
    void anySubsetOfPoisonedObjectsLeavesEveryOtherWorkloadPrioritised() throws Exception {
        List<Map.Entry<String, Consumer<FakeKubeApiServer>>> all = poisons();
        Random rnd = new Random(2026);
        List<List<Integer>> subsets = new ArrayList<>();
        subsets.add(java.util.stream.IntStream.range(0, all.size()).boxed().toList()); // all of them at once
        for (int i = 0; i < 2; i++) {
            List<Integer> pick = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                if (rnd.nextBoolean()) {
                    pick.add(k);
                }
            }
            subsets.add(pick.isEmpty() ? List.of(rnd.nextInt(all.size())) : pick);
        }
        for (List<Integer> subset : subsets) {
            try (FakeCluster cluster = new FakeCluster()) {
                List<String> names = new ArrayList<>();
                for (int k : subset) {
                    names.add(all.get(k).getKey());
                    all.get(k).getValue().accept(cluster.server());
                }
                Path conf = Files.createTempFile("poison", ".conf");
                Files.writeString(conf, """
                        wdrf {
                          backend = fabric8
                          kube.master-url = "%s"
                          leader-election.enabled = false
                        }
                        """.formatted(cluster.url()));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(new String[]{"run", "--once", "--config", conf.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                                StandardCharsets.UTF_8), Map.of(), false);
                String o = out.toString(StandardCharsets.UTF_8);
                assertThat(code).as(names + "\n" + o + err.toString(StandardCharsets.UTF_8)).isZero();
                assertThat(o).as(names.toString()).contains("cycle ok");
                assertThat(cluster.allPrioritized()).as("every demo workload prioritised next to " + names).isTrue();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("invalid=([0-9]+)").matcher(o);
                assertThat(m.find()).isTrue();
                assertThat(Integer.parseInt(m.group(1))).as("poisoned objects reported: " + names)
                        .isGreaterThanOrEqualTo(Math.min(1, subset.size()));
                assertThat(o + err).as("no forged line reaches the output").doesNotContain("\nINFO forged");
            }
        }
    }
}
