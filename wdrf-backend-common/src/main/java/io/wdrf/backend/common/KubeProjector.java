package io.wdrf.backend.common;

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
import io.wdrf.api.WorkloadId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Projects Kubernetes / Kueue objects, given as plain JSON trees ({@code Map<String,Object>} with {@code List},
 * {@code String}, {@code Number}, {@code Boolean} leaves), into WDRF's compact records.
 *
 * <p>Both Kueue shapes are read: v1beta1 ({@code spec.priorityClassName}, {@code spec.cohort}) and v1beta2
 * ({@code spec.priorityClassRef}, {@code spec.cohortName}). Promises: never throws for a malformed object; it
 * returns a {@link Projected} with an {@link io.wdrf.api.InvalidObject} whose reason names the JSON path, the
 * offending value and what is wrong. Container requests and limits stay raw strings (the demand model validates
 * them); quotas and admitted usage are parsed here. Thread-safe; strings of low cardinality are shared between
 * records to keep 100k workloads small.
 */
public final class KubeProjector {

    private static final String UNNAMED = "<unnamed>";

    private final Interner interner;

    /** A projector with its own pools (bounded to 200k distinct strings and 200k distinct pod-set records). */
    public KubeProjector() {
        this.interner = new Interner(200_000);
    }

    /** Distinct pod sets, containers and assignments currently shared between records (for metrics and tests). */
    public int sharedRecordCount() {
        return interner.recordCount();
    }

    /** Projects an object of the given kind. */
    public Projected<?> project(ResourceKind kind, Map<String, Object> object) {
        switch (kind) {
            case WORKLOAD:
                return workload(object);
            case LOCAL_QUEUE:
                return localQueue(object);
            case CLUSTER_QUEUE:
                return clusterQueue(object);
            case RESOURCE_FLAVOR:
                return resourceFlavor(object);
            case NODE:
                return node(object);
            case POD:
                return pod(object);
            case NAMESPACE:
                return namespace(object);
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    /** Shared shell: reads the identity, runs the body, turns every failure into an invalid entry. */
    private <T> Projected<T> guarded(ResourceKind kind, Map<String, Object> object, Body<T> body) {
        String ns = "";
        String name = UNNAMED;
        try {
            if (object == null) {
                return Projected.bad(kind, "", UNNAMED, "object is null");
            }
            Map<String, Object> meta = Fields.map(object.get("metadata"), "metadata", false);
            if (meta != null) {
                Object n = meta.get("name");
                if (n instanceof String && !((String) n).isEmpty()) {
                    name = (String) n;
                }
                Object nsv = meta.get("namespace");
                if (kind.namespaced() && nsv instanceof String) {
                    ns = (String) nsv;
                }
            }
            if (meta == null) {
                return Projected.bad(kind, ns, name, "metadata: is missing");
            }
            if (UNNAMED.equals(name)) {
                return Projected.bad(kind, ns, name, "metadata.name: is missing or empty (got "
                        + Fields.describe(meta.get("name")) + ")");
            }
            if (kind.namespaced() && ns.isEmpty()) {
                return Projected.bad(kind, ns, name, "metadata.namespace: is missing or empty for a namespaced "
                        + kind.kind());
            }
            return Projected.ok(kind, ns, name, body.apply(ns, name, meta, object));
        } catch (BadFieldException | IllegalArgumentException e) {
            return Projected.bad(kind, ns, name, e.getMessage());
        } catch (RuntimeException e) {
            return Projected.bad(kind, ns, name, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Body<T> {
        T apply(String ns, String name, Map<String, Object> meta, Map<String, Object> object);
    }

    // ------------------------------------------------------------------ Workload

    /** Projects a Kueue Workload (v1beta1 or v1beta2). */
    public Projected<Workload> workload(Map<String, Object> object) {
        return guarded(ResourceKind.WORKLOAD, object, this::workloadBody);
    }

    private Workload workloadBody(String ns, String name, Map<String, Object> meta, Map<String, Object> object) {
        Instant created = Fields.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", true);
        Map<String, String> labels = Fields.stringMap(meta.get("labels"), "metadata.labels", interner, true);
        Map<String, String> annotations = Fields.stringMap(meta.get("annotations"), "metadata.annotations",
                interner, true);
        Map<String, Object> spec = Fields.map(object.get("spec"), "spec", true);
        Map<String, Object> status = Fields.map(object.get("status"), "status", false);

        Workload.Builder b = Workload.builder(interner.intern(ns), name, created)
                .uid(Fields.string(meta.get("uid"), "metadata.uid", false))
                .resourceVersion(Fields.string(meta.get("resourceVersion"), "metadata.resourceVersion", false))
                .labels(labels)
                .annotations(annotations)
                .queueName(interner.intern(Fields.string(spec.get("queueName"), "spec.queueName", false)))
                .priority(Fields.int32(spec.get("priority"), "spec.priority"));

        String boost = annotations.get(Workload.PRIORITY_BOOST);
        if (boost != null) {
            b.priorityBoost(parseBoost(boost));
        }
        Map<String, Object> ref = Fields.map(spec.get("priorityClassRef"), "spec.priorityClassRef", false);
        String pcName = ref != null ? Fields.string(ref.get("name"), "spec.priorityClassRef.name", false)
                : Fields.string(spec.get("priorityClassName"), "spec.priorityClassName", false);
        b.priorityClassName(pcName == null || pcName.isEmpty() ? null : interner.intern(pcName));
        Boolean active = Fields.bool(spec.get("active"), "spec.active");
        b.active(active == null || active);

        List<Object> podSetsRaw = Fields.list(spec.get("podSets"), "spec.podSets", true);
        List<PodSet> podSets = new ArrayList<>(podSetsRaw.size());
        Map<String, Integer> specCounts = new HashMap<>();
        for (int i = 0; i < podSetsRaw.size(); i++) {
            PodSet ps = podSet(podSetsRaw.get(i), "spec.podSets[" + i + "]");
            specCounts.putIfAbsent(ps.name(), ps.count());
            podSets.add(ps);
        }
        b.podSets(podSets);

        if (status != null) {
            TreeSet<String> trueConditions = new TreeSet<>();
            Instant lastEviction = null;
            List<Object> conds = Fields.list(status.get("conditions"), "status.conditions", false);
            if (conds != null) {
                for (int i = 0; i < conds.size(); i++) {
                    String p = "status.conditions[" + i + "]";
                    Map<String, Object> c = Fields.map(conds.get(i), p, true);
                    String type = Fields.string(c.get("type"), p + ".type", true);
                    boolean isTrue = "True".equals(Fields.string(c.get("status"), p + ".status", false));
                    if (isTrue) {
                        trueConditions.add(interner.intern(type));
                        if ("Evicted".equals(type) || "Requeued".equals(type)) {
                            Instant t = Fields.time(c.get("lastTransitionTime"), p + ".lastTransitionTime", false);
                            if (t != null && (lastEviction == null || t.isAfter(lastEviction))) {
                                lastEviction = t;
                            }
                        }
                    }
                }
            }
            b.trueConditions(trueConditions).lastEvictionTime(lastEviction);
            Map<String, Object> adm = Fields.map(status.get("admission"), "status.admission", false);
            if (adm != null) {
                Admission admission = admission(adm, specCounts);
                b.admission(admission).clusterQueue(admission.clusterQueue());
            }
        }
        return b.build();
    }

    private static Integer parseBoost(String raw) {
        String s = raw.trim();
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            throw new BadFieldException("metadata.annotations[\"" + Workload.PRIORITY_BOOST + "\"]", raw,
                    "is not a signed 32-bit integer");
        }
    }

    private PodSet podSet(Object raw, String path) {
        Map<String, Object> ps = Fields.map(raw, path, true);
        String name = Fields.string(ps.get("name"), path + ".name", false);
        name = name == null || name.isEmpty() ? "main" : name;
        Integer count = Fields.int32(ps.get("count"), path + ".count");
        if (count != null && count < 0) {
            throw new BadFieldException(path + ".count", count, "is negative");
        }
        Integer minCount = Fields.int32(ps.get("minCount"), path + ".minCount");
        int c = count == null ? 1 : count;
        if (minCount != null && (minCount < 1 || minCount > c)) {
            throw new BadFieldException(path + ".minCount", minCount, "is outside [1, count=" + c + "]");
        }
        Map<String, Object> template = Fields.map(ps.get("template"), path + ".template", true);
        Map<String, Object> tmeta = Fields.map(template.get("metadata"), path + ".template.metadata", false);
        Map<String, String> tAnnotations = tmeta == null ? Map.of()
                : Fields.stringMap(tmeta.get("annotations"), path + ".template.metadata.annotations", interner, true);
        String sp = path + ".template.spec";
        Map<String, Object> pod = Fields.map(template.get("spec"), sp, true);
        List<ContainerSpec> containers = new ArrayList<>();
        List<Object> inits = Fields.list(pod.get("initContainers"), sp + ".initContainers", false);
        if (inits != null) {
            for (int i = 0; i < inits.size(); i++) {
                containers.add(container(inits.get(i), sp + ".initContainers[" + i + "]", true));
            }
        }
        List<Object> apps = Fields.list(pod.get("containers"), sp + ".containers", true);
        for (int i = 0; i < apps.size(); i++) {
            containers.add(container(apps.get(i), sp + ".containers[" + i + "]", false));
        }
        Map<String, String> overhead = Fields.quantityMap(pod.get("overhead"), sp + ".overhead", interner);
        Map<String, String> nodeSelector = Fields.stringMap(pod.get("nodeSelector"), sp + ".nodeSelector",
                interner, true);
        return interner.share(new PodSet(interner.intern(name), c, minCount, containers, overhead, nodeSelector,
                tAnnotations));
    }

    private ContainerSpec container(Object raw, String path, boolean init) {
        Map<String, Object> c = Fields.map(raw, path, true);
        String name = Fields.string(c.get("name"), path + ".name", false);
        ContainerKind kind = ContainerKind.APP;
        if (init) {
            String rp = Fields.string(c.get("restartPolicy"), path + ".restartPolicy", false);
            kind = "Always".equals(rp) ? ContainerKind.SIDECAR : ContainerKind.INIT;
        }
        Map<String, Object> res = Fields.map(c.get("resources"), path + ".resources", false);
        Map<String, String> requests = Map.of();
        Map<String, String> limits = Map.of();
        if (res != null) {
            requests = Fields.quantityMap(res.get("requests"), path + ".resources.requests", interner);
            limits = Fields.quantityMap(res.get("limits"), path + ".resources.limits", interner);
        }
        return interner.share(new ContainerSpec(interner.intern(name == null ? "" : name), kind, requests, limits));
    }

    private Admission admission(Map<String, Object> adm, Map<String, Integer> specCounts) {
        String cq = Fields.string(adm.get("clusterQueue"), "status.admission.clusterQueue", true);
        List<Object> psas = Fields.list(adm.get("podSetAssignments"), "status.admission.podSetAssignments", false);
        List<PodSetAssignment> out = new ArrayList<>();
        if (psas != null) {
            for (int i = 0; i < psas.size(); i++) {
                String p = "status.admission.podSetAssignments[" + i + "]";
                Map<String, Object> a = Fields.map(psas.get(i), p, true);
                String name = Fields.string(a.get("name"), p + ".name", false);
                name = name == null || name.isEmpty() ? "main" : name;
                Map<String, String> flavors = Fields.stringMap(a.get("flavors"), p + ".flavors", interner, true);
                ResourceVector usage = usage(a.get("resourceUsage"), p + ".resourceUsage");
                Integer count = Fields.int32(a.get("count"), p + ".count");
                if (count != null && count < 0) {
                    throw new BadFieldException(p + ".count", count, "is negative");
                }
                int c = count != null ? count : specCounts.getOrDefault(name, 0);
                out.add(interner.share(new PodSetAssignment(interner.intern(name), flavors, usage, c)));
            }
        }
        return new Admission(interner.intern(cq), out);
    }

    private ResourceVector usage(Object raw, String path) {
        Map<String, Object> m = Fields.map(raw, path, false);
        if (m == null || m.isEmpty()) {
            return ResourceVector.empty();
        }
        TreeMap<String, Double> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String p = path + "." + e.getKey();
            BigDecimal v = parseQuantity(Fields.quantityText(e.getValue(), p), p);
            if (v == null) {
                continue;
            }
            if (v.signum() < 0) {
                throw new BadFieldException(p, e.getValue(), "is negative");
            }
            out.put(interner.intern(e.getKey()), v.doubleValue());
        }
        return ResourceVector.of(out);
    }

    private static BigDecimal parseQuantity(String text, String path) {
        if (text == null) {
            return null;
        }
        try {
            return Quantity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadFieldException(path, null, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ core kinds

    /** Projects a core v1 Node. */
    public Projected<Node> node(Map<String, Object> object) {
        return guarded(ResourceKind.NODE, object, (ns, name, meta, obj) -> {
            Map<String, Object> spec = Fields.map(obj.get("spec"), "spec", false);
            Map<String, Object> status = Fields.map(obj.get("status"), "status", false);
            boolean unschedulable = spec != null && Boolean.TRUE.equals(Fields.bool(spec.get("unschedulable"),
                    "spec.unschedulable"));
            Map<String, String> allocatable = Map.of();
            boolean ready = false;
            if (status != null) {
                allocatable = Fields.quantityMap(status.get("allocatable"), "status.allocatable", interner);
                List<Object> conds = Fields.list(status.get("conditions"), "status.conditions", false);
                if (conds != null) {
                    for (int i = 0; i < conds.size(); i++) {
                        String p = "status.conditions[" + i + "]";
                        Map<String, Object> c = Fields.map(conds.get(i), p, true);
                        if ("Ready".equals(Fields.string(c.get("type"), p + ".type", true))) {
                            ready = "True".equals(Fields.string(c.get("status"), p + ".status", false));
                        }
                    }
                }
            }
            return new Node(name, Fields.stringMap(meta.get("labels"), "metadata.labels", interner, true),
                    Fields.stringMap(meta.get("annotations"), "metadata.annotations", interner, true),
                    allocatable, ready, unschedulable,
                    Fields.string(meta.get("resourceVersion"), "metadata.resourceVersion", false));
        });
    }

    /** Projects a core v1 Pod (identity, node, phase, labels, annotations, number of init containers). */
    public Projected<PodInfo> pod(Map<String, Object> object) {
        return guarded(ResourceKind.POD, object, (ns, name, meta, obj) -> {
            Map<String, Object> spec = Fields.map(obj.get("spec"), "spec", false);
            Map<String, Object> status = Fields.map(obj.get("status"), "status", false);
            String nodeName = spec == null ? null : Fields.string(spec.get("nodeName"), "spec.nodeName", false);
            String phase = status == null ? null : Fields.string(status.get("phase"), "status.phase", false);
            List<Object> inits = spec == null ? null : Fields.list(spec.get("initContainers"), "spec.initContainers",
                    false);
            return new PodInfo(interner.intern(ns), name, Fields.string(meta.get("uid"), "metadata.uid", false),
                    interner.intern(nodeName), interner.intern(phase),
                    Fields.stringMap(meta.get("labels"), "metadata.labels", interner, true),
                    Fields.stringMap(meta.get("annotations"), "metadata.annotations", interner, true),
                    inits == null ? 0 : inits.size());
        });
    }

    /** Projects a core v1 Namespace. */
    public Projected<NamespaceInfo> namespace(Map<String, Object> object) {
        return guarded(ResourceKind.NAMESPACE, object, (ns, name, meta, obj) -> new NamespaceInfo(interner.intern(name),
                Fields.stringMap(meta.get("labels"), "metadata.labels", interner, true),
                Fields.stringMap(meta.get("annotations"), "metadata.annotations", interner, true)));
    }

    // ------------------------------------------------------------------ Kueue queues

    /** Projects a Kueue LocalQueue. */
    public Projected<LocalQueueInfo> localQueue(Map<String, Object> object) {
        return guarded(ResourceKind.LOCAL_QUEUE, object, (ns, name, meta, obj) -> {
            Map<String, Object> spec = Fields.map(obj.get("spec"), "spec", true);
            String cq = Fields.string(spec.get("clusterQueue"), "spec.clusterQueue", true);
            if (cq.isEmpty()) {
                throw new BadFieldException("spec.clusterQueue", cq, "is empty");
            }
            return new LocalQueueInfo(interner.intern(ns), interner.intern(name), interner.intern(cq));
        });
    }

    /** Projects a Kueue ClusterQueue (v1beta1 {@code spec.cohort} or v1beta2 {@code spec.cohortName}). */
    public Projected<ClusterQueueInfo> clusterQueue(Map<String, Object> object) {
        return guarded(ResourceKind.CLUSTER_QUEUE, object, (ns, name, meta, obj) -> {
            Map<String, Object> spec = Fields.map(obj.get("spec"), "spec", true);
            String cohort = Fields.string(spec.get("cohortName"), "spec.cohortName", false);
            if (cohort == null || cohort.isEmpty()) {
                cohort = Fields.string(spec.get("cohort"), "spec.cohort", false);
            }
            if (cohort != null && cohort.isEmpty()) {
                cohort = null;
            }
            List<ResourceQuota> quotas = new ArrayList<>();
            List<Object> groups = Fields.list(spec.get("resourceGroups"), "spec.resourceGroups", false);
            if (groups != null) {
                for (int g = 0; g < groups.size(); g++) {
                    String gp = "spec.resourceGroups[" + g + "]";
                    Map<String, Object> group = Fields.map(groups.get(g), gp, true);
                    List<Object> flavors = Fields.list(group.get("flavors"), gp + ".flavors", true);
                    for (int f = 0; f < flavors.size(); f++) {
                        String fp = gp + ".flavors[" + f + "]";
                        Map<String, Object> flavor = Fields.map(flavors.get(f), fp, true);
                        String fname = Fields.string(flavor.get("name"), fp + ".name", true);
                        List<Object> resources = Fields.list(flavor.get("resources"), fp + ".resources", true);
                        for (int r = 0; r < resources.size(); r++) {
                            String rp = fp + ".resources[" + r + "]";
                            Map<String, Object> res = Fields.map(resources.get(r), rp, true);
                            String rname = Fields.string(res.get("name"), rp + ".name", true);
                            BigDecimal nominal = parseQuantity(Fields.quantityText(res.get("nominalQuota"),
                                    rp + ".nominalQuota"), rp + ".nominalQuota");
                            if (nominal == null) {
                                throw new BadFieldException(rp + ".nominalQuota", null, "is missing");
                            }
                            if (nominal.signum() < 0) {
                                throw new BadFieldException(rp + ".nominalQuota", res.get("nominalQuota"),
                                        "is negative");
                            }
                            BigDecimal borrowing = parseQuantity(Fields.quantityText(res.get("borrowingLimit"),
                                    rp + ".borrowingLimit"), rp + ".borrowingLimit");
                            BigDecimal lending = parseQuantity(Fields.quantityText(res.get("lendingLimit"),
                                    rp + ".lendingLimit"), rp + ".lendingLimit");
                            quotas.add(new ResourceQuota(interner.intern(fname), interner.intern(rname), nominal,
                                    borrowing, lending));
                        }
                    }
                }
            }
            String strategy = Fields.string(spec.get("queueingStrategy"), "spec.queueingStrategy", false);
            Map<String, Object> pre = Fields.map(spec.get("preemption"), "spec.preemption", false);
            String within = null;
            String reclaim = null;
            String borrow = null;
            if (pre != null) {
                within = Fields.string(pre.get("withinClusterQueue"), "spec.preemption.withinClusterQueue", false);
                reclaim = Fields.string(pre.get("reclaimWithinCohort"), "spec.preemption.reclaimWithinCohort", false);
                Map<String, Object> bwc = Fields.map(pre.get("borrowWithinCohort"),
                        "spec.preemption.borrowWithinCohort", false);
                if (bwc != null) {
                    borrow = Fields.string(bwc.get("policy"), "spec.preemption.borrowWithinCohort.policy", false);
                }
            }
            double weight = 1.0;
            Map<String, Object> fs = Fields.map(spec.get("fairSharing"), "spec.fairSharing", false);
            if (fs != null) {
                BigDecimal w = parseQuantity(Fields.quantityText(fs.get("weight"), "spec.fairSharing.weight"),
                        "spec.fairSharing.weight");
                if (w != null) {
                    if (w.signum() < 0) {
                        throw new BadFieldException("spec.fairSharing.weight", fs.get("weight"), "is negative");
                    }
                    weight = w.doubleValue();
                }
            }
            return new ClusterQueueInfo(interner.intern(name), interner.intern(cohort), quotas, strategy, within,
                    reclaim, borrow, weight);
        });
    }

    /** Projects a Kueue ResourceFlavor. */
    public Projected<ResourceFlavorInfo> resourceFlavor(Map<String, Object> object) {
        return guarded(ResourceKind.RESOURCE_FLAVOR, object, (ns, name, meta, obj) -> {
            Map<String, Object> spec = Fields.map(obj.get("spec"), "spec", false);
            Map<String, String> nodeLabels = spec == null ? Map.of()
                    : Fields.stringMap(spec.get("nodeLabels"), "spec.nodeLabels", interner, true);
            return new ResourceFlavorInfo(interner.intern(name), nodeLabels);
        });
    }

    /** The workload id of a projected workload entry, for callers that key by id. */
    static WorkloadId idOf(Projected<?> p) {
        return new WorkloadId(p.namespace(), p.name());
    }
}
