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
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds Kubernetes and Kueue API objects (plain JSON maps) from WDRF records: the inverse of a backend's projection,
 * so a test can put a record on a {@link FakeKubeApiServer} and expect the backend to project the same record back.
 *
 * <p>Field names follow Kueue's {@code v1beta1} and {@code v1beta2} APIs: Workload {@code spec.queueName},
 * {@code spec.podSets[].{name,count,minCount,template}}, {@code spec.priority}, {@code spec.active},
 * {@code spec.priorityClassRef} (v1beta2) or {@code spec.priorityClassName}/{@code priorityClassSource} (v1beta1),
 * {@code status.conditions}, {@code status.admission}; ClusterQueue {@code spec.cohortName} (v1beta2) or
 * {@code spec.cohort} (v1beta1), {@code resourceGroups}, {@code queueingStrategy}, {@code preemption},
 * {@code fairSharing.weight}. Sidecars are init containers with {@code restartPolicy: Always}. Times are written
 * with second precision (as Kubernetes does); an empty uid is left for the server to assign.
 *
 * <p>Quantities: {@link ResourceVector} amounts (base units) are written as integers when whole, as milli-units
 * ({@code 500m}) when whole in thousandths, else as plain decimals.
 */
public final class KueueObjects {

    /** Kueue API group. */
    public static final String GROUP = "kueue.x-k8s.io";
    public static final String V1BETA1 = "v1beta1";
    public static final String V1BETA2 = "v1beta2";
    /** Image used for generated containers. */
    public static final String IMAGE = "registry.k8s.io/pause:3.10";

    private KueueObjects() {
    }

    /** {@code kueue.x-k8s.io/<version>}. */
    public static String apiVersion(String version) {
        checkVersion(version);
        return GROUP + "/" + version;
    }

    /** A v1beta2 Workload. */
    public static Map<String, Object> workload(Workload w) {
        return workload(w, V1BETA2);
    }

    /** A Workload in the given Kueue version ({@code v1beta1} or {@code v1beta2}). */
    public static Map<String, Object> workload(Workload w, String version) {
        Map<String, String> annotations = new TreeMap<>(w.annotations());
        if (w.priorityBoost() != null) {
            annotations.put(Workload.PRIORITY_BOOST, Integer.toString(w.priorityBoost()));
        }
        Map<String, Object> o = object(apiVersion(version), "Workload", w.id().namespace(), w.id().name(), w.uid(),
                w.labels(), annotations, w.creationTime());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("queueName", w.queueName());
        List<Object> podSets = new ArrayList<>();
        for (PodSet ps : w.podSets()) {
            podSets.add(podSet(ps));
        }
        spec.put("podSets", podSets);
        if (w.priority() != null) {
            spec.put("priority", w.priority());
        }
        if (w.priorityClassName() != null) {
            if (V1BETA1.equals(version)) {
                spec.put("priorityClassName", w.priorityClassName());
                spec.put("priorityClassSource", "kueue.x-k8s.io/workloadpriorityclass");
            } else {
                spec.put("priorityClassRef", ordered("group", GROUP, "kind", "WorkloadPriorityClass",
                        "name", w.priorityClassName()));
            }
        }
        spec.put("active", w.active());
        o.put("spec", spec);

        Map<String, Object> status = new LinkedHashMap<>();
        List<Object> conditions = new ArrayList<>();
        for (String type : w.trueConditions()) {
            boolean evicted = type.equals("Evicted") && w.lastEvictionTime() != null;
            conditions.add(condition(type, "True", evicted ? "PodsReadyTimeout" : reasonFor(type),
                    evicted ? w.lastEvictionTime() : w.creationTime()));
        }
        if (w.lastEvictionTime() != null && !w.trueConditions().contains("Evicted")) {
            conditions.add(condition("Evicted", "True", "PodsReadyTimeout", w.lastEvictionTime()));
        }
        if (!conditions.isEmpty()) {
            status.put("conditions", conditions);
        }
        if (w.admission() != null) {
            status.put("admission", admission(w.admission()));
        }
        if (!status.isEmpty()) {
            o.put("status", status);
        }
        return o;
    }

    /** {@code spec.podSets[]} entry. */
    public static Map<String, Object> podSet(PodSet ps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ps.name());
        m.put("count", ps.count());
        if (ps.minCount() != null) {
            m.put("minCount", ps.minCount());
        }
        Map<String, Object> template = new LinkedHashMap<>();
        if (!ps.annotations().isEmpty()) {
            template.put("metadata", ordered("annotations", ps.annotations()));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        List<Object> containers = new ArrayList<>();
        List<Object> init = new ArrayList<>();
        for (ContainerSpec c : ps.containers()) {
            (c.kind() == ContainerKind.APP ? containers : init).add(container(c));
        }
        if (!init.isEmpty()) {
            spec.put("initContainers", init);
        }
        spec.put("containers", containers);
        if (!ps.overhead().isEmpty()) {
            spec.put("overhead", new LinkedHashMap<>(ps.overhead()));
        }
        if (!ps.nodeSelector().isEmpty()) {
            spec.put("nodeSelector", new LinkedHashMap<>(ps.nodeSelector()));
        }
        spec.put("restartPolicy", "Never");
        template.put("spec", spec);
        m.put("template", template);
        return m;
    }

    private static Map<String, Object> container(ContainerSpec c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("image", IMAGE);
        if (c.kind() == ContainerKind.SIDECAR) {
            m.put("restartPolicy", "Always");
        }
        Map<String, Object> resources = new LinkedHashMap<>();
        if (!c.requests().isEmpty()) {
            resources.put("requests", new LinkedHashMap<>(c.requests()));
        }
        if (!c.limits().isEmpty()) {
            resources.put("limits", new LinkedHashMap<>(c.limits()));
        }
        m.put("resources", resources);
        return m;
    }

    private static Map<String, Object> admission(Admission a) {
        List<Object> assignments = new ArrayList<>();
        for (PodSetAssignment p : a.podSetAssignments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("flavors", new LinkedHashMap<>(p.flavors()));
            Map<String, Object> usage = new LinkedHashMap<>();
            p.resourceUsage().asMap().forEach((r, v) -> usage.put(r, quantity(v)));
            m.put("resourceUsage", usage);
            m.put("count", p.count());
            assignments.add(m);
        }
        return ordered("clusterQueue", a.clusterQueue(), "podSetAssignments", assignments);
    }

    /** A core v1 Node: labels, annotations, {@code spec.unschedulable}, allocatable (= capacity), Ready condition. */
    public static Map<String, Object> node(Node n) {
        Map<String, Object> o = object("v1", "Node", null, n.name(), "", n.labels(), n.annotations(), null);
        Map<String, Object> spec = new LinkedHashMap<>();
        if (n.unschedulable()) {
            spec.put("unschedulable", true);
        }
        o.put("spec", spec);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("capacity", new LinkedHashMap<>(n.allocatable()));
        status.put("allocatable", new LinkedHashMap<>(n.allocatable()));
        status.put("conditions", List.of(ordered("type", "Ready", "status", n.ready() ? "True" : "False",
                "reason", n.ready() ? "KubeletReady" : "KubeletNotReady", "message", "")));
        o.put("status", status);
        return o;
    }

    /** A core v1 Pod with {@code initContainers} init containers, one app container, nodeName and phase. */
    public static Map<String, Object> pod(PodInfo p) {
        Map<String, Object> o = object("v1", "Pod", p.namespace(), p.name(), p.uid(), p.labels(), p.annotations(), null);
        Map<String, Object> spec = new LinkedHashMap<>();
        if (!p.nodeName().isEmpty()) {
            spec.put("nodeName", p.nodeName());
        }
        if (p.initContainers() > 0) {
            List<Object> init = new ArrayList<>();
            for (int i = 0; i < p.initContainers(); i++) {
                init.add(ordered("name", "init-" + i, "image", IMAGE));
            }
            spec.put("initContainers", init);
        }
        spec.put("containers", List.of(ordered("name", "main", "image", IMAGE)));
        o.put("spec", spec);
        if (!p.phase().isEmpty()) {
            o.put("status", ordered("phase", p.phase()));
        }
        return o;
    }

    /** A core v1 Namespace (phase Active). */
    public static Map<String, Object> namespace(NamespaceInfo n) {
        Map<String, Object> o = object("v1", "Namespace", null, n.name(), "", n.labels(), n.annotations(), null);
        o.put("spec", ordered("finalizers", List.of("kubernetes")));
        o.put("status", ordered("phase", "Active"));
        return o;
    }

    /** A LocalQueue ({@code spec.clusterQueue}). */
    public static Map<String, Object> localQueue(LocalQueueInfo q, String version) {
        Map<String, Object> o = object(apiVersion(version), "LocalQueue", q.namespace(), q.name(), "", Map.of(), Map.of(), null);
        o.put("spec", ordered("clusterQueue", q.clusterQueue()));
        return o;
    }

    /** A ResourceFlavor ({@code spec.nodeLabels}). */
    public static Map<String, Object> resourceFlavor(ResourceFlavorInfo f, String version) {
        Map<String, Object> o = object(apiVersion(version), "ResourceFlavor", null, f.name(), "", Map.of(), Map.of(), null);
        Map<String, Object> spec = new LinkedHashMap<>();
        if (!f.nodeLabels().isEmpty()) {
            spec.put("nodeLabels", new LinkedHashMap<>(f.nodeLabels()));
        }
        o.put("spec", spec);
        return o;
    }

    /**
     * A ClusterQueue. Quotas are grouped into {@code resourceGroups}: consecutive quotas of one flavor form a flavor
     * entry, and consecutive flavors covering the same resources (in the same order) share a group, so the record's
     * quota order is the order of {@code resourceGroups[].flavors[].resources[]}.
     */
    public static Map<String, Object> clusterQueue(ClusterQueueInfo q, String version) {
        Map<String, Object> o = object(apiVersion(version), "ClusterQueue", null, q.name(), "", Map.of(), Map.of(), null);
        Map<String, Object> spec = new LinkedHashMap<>();
        if (q.cohort() != null) {
            spec.put(V1BETA1.equals(version) ? "cohort" : "cohortName", q.cohort());
        }
        spec.put("namespaceSelector", new LinkedHashMap<>());
        spec.put("queueingStrategy", q.queueingStrategy());
        spec.put("resourceGroups", resourceGroups(q.quotas()));
        spec.put("preemption", ordered("withinClusterQueue", q.withinClusterQueue(),
                "reclaimWithinCohort", q.reclaimWithinCohort(),
                "borrowWithinCohort", ordered("policy", q.borrowWithinCohort())));
        spec.put("fairSharing", ordered("weight", quantity(BigDecimal.valueOf(q.fairSharingWeight()))));
        o.put("spec", spec);
        return o;
    }

    private static List<Object> resourceGroups(List<ResourceQuota> quotas) {
        // flavor entries in order: consecutive quotas with the same flavor
        List<String> flavorNames = new ArrayList<>();
        List<List<ResourceQuota>> flavorQuotas = new ArrayList<>();
        for (ResourceQuota rq : quotas) {
            int last = flavorNames.size() - 1;
            if (last >= 0 && flavorNames.get(last).equals(rq.flavor())) {
                flavorQuotas.get(last).add(rq);
            } else {
                flavorNames.add(rq.flavor());
                flavorQuotas.add(new ArrayList<>(List.of(rq)));
            }
        }
        List<Object> groups = new ArrayList<>();
        List<String> covered = null;
        List<Object> flavors = null;
        for (int i = 0; i < flavorNames.size(); i++) {
            List<String> resources = flavorQuotas.get(i).stream().map(ResourceQuota::resource).toList();
            if (!resources.equals(covered)) {
                covered = resources;
                flavors = new ArrayList<>();
                groups.add(ordered("coveredResources", resources, "flavors", flavors));
            }
            List<Object> rs = new ArrayList<>();
            for (ResourceQuota rq : flavorQuotas.get(i)) {
                Map<String, Object> r = ordered("name", rq.resource(), "nominalQuota", quantity(rq.nominal()));
                if (rq.borrowingLimit() != null) {
                    r.put("borrowingLimit", quantity(rq.borrowingLimit()));
                }
                if (rq.lendingLimit() != null) {
                    r.put("lendingLimit", quantity(rq.lendingLimit()));
                }
                rs.add(r);
            }
            flavors.add(ordered("name", flavorNames.get(i), "resources", rs));
        }
        return groups;
    }

    /** A quantity string for an amount in base units ({@code 2}, {@code 500m}, {@code 0.0005}). */
    public static String quantity(double amount) {
        if (Double.isNaN(amount) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("not a finite quantity: " + amount);
        }
        return quantity(BigDecimal.valueOf(amount));
    }

    /** A quantity string for an exact amount in base units. */
    public static String quantity(BigDecimal amount) {
        BigDecimal v = amount.stripTrailingZeros();
        if (v.scale() <= 0) {
            return v.toPlainString();
        }
        BigDecimal milli = v.movePointRight(3).stripTrailingZeros();
        return milli.scale() <= 0 ? milli.toPlainString() + "m" : v.toPlainString();
    }

    private static Map<String, Object> condition(String type, String status, String reason, Instant time) {
        return ordered("type", type, "status", status, "reason", reason, "message", "",
                "lastTransitionTime", time(time));
    }

    private static String reasonFor(String type) {
        return switch (type) {
            case Workload.FINISHED -> "Succeeded";
            default -> type;
        };
    }

    private static Map<String, Object> object(String apiVersion, String kind, String namespace, String name, String uid,
                                              Map<String, String> labels, Map<String, String> annotations,
                                              Instant created) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", Objects.requireNonNull(name, "name"));
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        if (uid != null && !uid.isEmpty()) {
            meta.put("uid", uid);
        }
        if (created != null) {
            meta.put("creationTimestamp", time(created));
        }
        if (!labels.isEmpty()) {
            meta.put("labels", new LinkedHashMap<>(labels));
        }
        if (!annotations.isEmpty()) {
            meta.put("annotations", new LinkedHashMap<>(annotations));
        }
        return ordered("apiVersion", apiVersion, "kind", kind, "metadata", meta);
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void checkVersion(String version) {
        if (!V1BETA1.equals(version) && !V1BETA2.equals(version)) {
            throw new IllegalArgumentException("Kueue version must be v1beta1 or v1beta2, got " + version);
        }
    }
}
