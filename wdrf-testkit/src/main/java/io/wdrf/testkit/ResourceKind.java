package io.wdrf.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource type the fake server serves. One store per (group, plural), whatever the version.
 *
 * @param group             API group ("" for core)
 * @param versions          versions the group can serve, oldest first (the last one is the storage version)
 * @param plural            plural resource name
 * @param kind              object kind
 * @param namespaced        namespaced or cluster-scoped
 * @param statusSubresource writes to the main resource keep the stored status; {@code /status} writes change only it
 */
record ResourceKind(String group, List<String> versions, String plural, String kind, boolean namespaced,
                    boolean statusSubresource) {

    static final String KUEUE = "kueue.x-k8s.io";
    static final String COORDINATION = "coordination.k8s.io";
    static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");

    /** Every resource type the server knows, in discovery order. */
    static final List<ResourceKind> ALL = List.of(
            new ResourceKind("", List.of("v1"), "namespaces", "Namespace", false, true),
            new ResourceKind("", List.of("v1"), "nodes", "Node", false, true),
            new ResourceKind("", List.of("v1"), "pods", "Pod", true, true),
            new ResourceKind("", List.of("v1"), "events", "Event", true, false),
            new ResourceKind(COORDINATION, List.of("v1"), "leases", "Lease", true, false),
            new ResourceKind(KUEUE, List.of("v1beta1", "v1beta2"), "workloads", "Workload", true, true),
            new ResourceKind(KUEUE, List.of("v1beta1", "v1beta2"), "localqueues", "LocalQueue", true, true),
            new ResourceKind(KUEUE, List.of("v1beta1", "v1beta2"), "clusterqueues", "ClusterQueue", false, true),
            new ResourceKind(KUEUE, List.of("v1beta1", "v1beta2"), "resourceflavors", "ResourceFlavor", false, false),
            new ResourceKind(KUEUE, List.of("v1beta1", "v1beta2"), "workloadpriorityclasses", "WorkloadPriorityClass",
                    false, false));

    /** Store key, independent of the version. */
    String key() {
        return group + "/" + plural;
    }

    String storageVersion() {
        return versions.get(versions.size() - 1);
    }

    static String apiVersion(String group, String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }

    static ResourceKind find(String group, String plural) {
        for (ResourceKind k : ALL) {
            if (k.group.equals(group) && k.plural.equals(plural)) {
                return k;
            }
        }
        return null;
    }

    /** Discovery entry of an APIResourceList (plus its status subresource when it has one). */
    List<Map<String, Object>> discovery() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", plural);
        r.put("singularName", kind.toLowerCase(java.util.Locale.ROOT));
        r.put("namespaced", namespaced);
        r.put("kind", kind);
        r.put("verbs", VERBS);
        out.add(r);
        if (statusSubresource) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", plural + "/status");
            s.put("singularName", "");
            s.put("namespaced", namespaced);
            s.put("kind", kind);
            s.put("verbs", List.of("get", "patch", "update"));
            out.add(s);
        }
        return out;
    }

    /**
     * Converts an object between Kueue versions, like Kueue's conversion webhook does for the fields WDRF reads:
     * Workload {@code priorityClassName/priorityClassSource} (v1beta1) and {@code priorityClassRef} (v1beta2);
     * ClusterQueue {@code cohort} and {@code cohortName}. Other fields pass unchanged. Returns a new map.
     */
    Map<String, Object> convert(Map<String, Object> obj, String toVersion) {
        Map<String, Object> o = Json.copyMap(obj);
        o.put("apiVersion", apiVersion(group, toVersion));
        o.put("kind", kind);
        if (!KUEUE.equals(group) || !(o.get("spec") instanceof Map<?, ?>)) {
            return o;
        }
        Map<String, Object> spec = Json.child(o, "spec");
        boolean toV1 = "v1beta1".equals(toVersion);
        if ("ClusterQueue".equals(kind)) {
            move(spec, toV1 ? "cohortName" : "cohort", toV1 ? "cohort" : "cohortName");
        } else if ("Workload".equals(kind)) {
            if (toV1 && spec.get("priorityClassRef") instanceof Map<?, ?> ref) {
                spec.remove("priorityClassRef");
                spec.put("priorityClassName", ref.get("name"));
                spec.put("priorityClassSource", "scheduling.k8s.io".equals(ref.get("group"))
                        ? "scheduling.k8s.io/priorityclass" : "kueue.x-k8s.io/workloadpriorityclass");
            } else if (!toV1 && spec.containsKey("priorityClassName")) {
                Object name = spec.remove("priorityClassName");
                Object source = spec.remove("priorityClassSource");
                if (name instanceof String n && !n.isEmpty()) {
                    boolean pod = "scheduling.k8s.io/priorityclass".equals(source);
                    Map<String, Object> ref = new LinkedHashMap<>();
                    ref.put("group", pod ? "scheduling.k8s.io" : KUEUE);
                    ref.put("kind", pod ? "PriorityClass" : "WorkloadPriorityClass");
                    ref.put("name", n);
                    spec.put("priorityClassRef", ref);
                }
            }
        }
        return o;
    }

    private static void move(Map<String, Object> m, String from, String to) {
        if (m.containsKey(from)) {
            m.put(to, m.remove(from));
        }
    }
}
