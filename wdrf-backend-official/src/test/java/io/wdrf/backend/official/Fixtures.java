package io.wdrf.backend.official;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON-tree builders for test objects on the fake API server. */
final class Fixtures {
    private Fixtures() {
    }

    static final String KUEUE = "/apis/kueue.x-k8s.io/v1beta2";

    static Map<String, Object> workload(String ns, String name, Object priority) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("queueName", "lq");
        if (priority != null) {
            spec.put("priority", priority);
        }
        spec.put("podSets", List.of(Map.of("name", "main", "count", 2, "template", Map.of("spec", Map.of(
                "containers", List.of(Map.of("name", "c", "resources", Map.of("requests",
                        Map.of("cpu", "1", "memory", "1Gi")))))))));
        return Map.of("metadata", Map.of("name", name, "namespace", ns), "spec", spec);
    }

    static Map<String, Object> localQueue(String ns, String name, String cq) {
        return Map.of("metadata", Map.of("name", name, "namespace", ns), "spec", Map.of("clusterQueue", cq));
    }

    static Map<String, Object> clusterQueue(String name, String cpu) {
        return Map.of("metadata", Map.of("name", name), "spec", Map.of("cohortName", "all", "resourceGroups",
                List.of(Map.of("coveredResources", List.of("cpu"), "flavors", List.of(Map.of("name", "default",
                        "resources", List.of(Map.of("name", "cpu", "nominalQuota", cpu))))))));
    }

    static Map<String, Object> node(String name, String cpu) {
        return Map.of("metadata", Map.of("name", name), "status", Map.of("allocatable", Map.of("cpu", cpu),
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    }
}
