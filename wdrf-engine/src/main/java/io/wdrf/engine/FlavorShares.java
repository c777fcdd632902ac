package io.wdrf.engine;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.Phase;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flavors in the dominant share: a resource that the ClusterQueues offer in two or more ResourceFlavors (seed 003's
 * {@code nvidia.com/gpu} in {@code a100-40gb} and {@code t4}) becomes one share dimension per flavor, named
 * {@code resource@flavor} ({@code nvidia.com/gpu@t4}); every other resource keeps its plain name. So a tenant on
 * T4s is measured against the T4 pool and a tenant on A100s against the A100 pool, instead of both against their sum.
 *
 * <ul>
 *   <li><b>Split resources</b>: resource r is split when the union over all ClusterQueues of the flavors in
 *       {@code spec.resourceGroups[].flavors[]} that list r has two or more members. A cluster where every resource has
 *       one flavor splits nothing, and every vector passes through unchanged (the same objects), so its plan is
 *       bit-identical to one computed without this class.</li>
 *   <li><b>Admitted usage</b>: the demand model's usage U<sub>r</sub> of a split resource is charged to the flavors
 *       of the admission ({@code status.admission.podSetAssignments[].flavors[r]}), in proportion to each pod set's
 *       recorded {@code resourceUsage[r]} (one flavor: all of U<sub>r</sub>, no arithmetic). An admission that names
 *       no flavor for r is charged like a pending workload.</li>
 *   <li><b>Pending demand</b> (no flavor yet): charged to the flavor Kueue's flavor assigner would take now — the
 *       first flavor in the ClusterQueue's order for r whose node labels agree with every pod set's nodeSelector and
 *       where the demand of every resource the queue offers with the same flavor list (r's resource group) fits the
 *       free quota: the queue's nominal minus its admitted usage in that flavor, or its cohort's summed free quota
 *       when larger (the same borrowing rule as the write order's admission window). When no flavor has room, the
 *       first allowed flavor (where Kueue would wait or preempt); when none is allowed, the first flavor. A workload
 *       whose ClusterQueue is unknown or does not cover r uses the cluster-wide flavor order. Why not the cheapest
 *       share: the level must predict what the tenant will be charged once Kueue admits the workload, and Kueue does
 *       not choose by WDRF's share; the free quota is that of the snapshot (pending workloads ahead are not
 *       subtracted), which keeps the charge independent of the order being computed.</li>
 *   <li><b>Capacity</b> per key: {@code quota} = Σ over ClusterQueues of the flavor's nominal quota of r; {@code nodes}
 *       = allocatable r of the schedulable nodes that carry the flavor's {@code spec.nodeLabels} (first matching flavor
 *       in the cluster-wide order; a node matching no flavor of r, or a flavor the snapshot has no ResourceFlavor for,
 *       stays under the plain name r); {@code auto} = nodes where they carry the key, else quota, per key.</li>
 *   <li><b>Weights</b>: {@code resourceWeights["r@f"]} weighs one flavor (e.g. an A100 worth twice a T4 share); when
 *       absent, the weight of r applies ({@link io.wdrf.api.PolicyConfig#resourceWeight}).</li>
 * </ul>
 * The dominant share is then the usual maximum over all keys, flavored or not.
 */
final class FlavorShares {

    /** Separates resource and flavor in a share key; never part of a Kubernetes resource name. */
    static final char SEPARATOR = '@';

    private static final FlavorShares NONE = new FlavorShares(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** Split resource → its flavors in cluster-wide order (ClusterQueues by name, then quota order). */
    private final Map<String, List<String>> split;
    private final Map<String, ClusterQueueInfo> queues;
    private final Map<String, ResourceFlavorInfo> flavors;
    /** ClusterQueue → resource → flavors offering it, in quota order. */
    private final Map<String, Map<String, List<String>>> coverage;
    /** ClusterQueue (and "cohort:" + name) → "r@f" → free quota; filled only for split resources. */
    private final Map<String, Map<String, Double>> free;

    private FlavorShares(Map<String, List<String>> split, Map<String, ClusterQueueInfo> queues,
                         Map<String, ResourceFlavorInfo> flavors, Map<String, Map<String, List<String>>> coverage,
                         Map<String, Map<String, Double>> free) {
        this.split = split;
        this.queues = queues;
        this.flavors = flavors;
        this.coverage = coverage;
        this.free = free;
    }

    /** The flavor model of one snapshot; splits nothing when no resource has two flavors. */
    static FlavorShares of(ClusterSnapshot snapshot) {
        List<ClusterQueueInfo> cqs = new ArrayList<>(snapshot.clusterQueues());
        cqs.sort(Comparator.comparing(ClusterQueueInfo::name));
        Map<String, List<String>> order = new TreeMap<>();
        for (ClusterQueueInfo cq : cqs) {
            for (ResourceQuota q : cq.quotas()) {
                List<String> l = order.computeIfAbsent(q.resource(), r -> new ArrayList<>());
                if (!l.contains(q.flavor())) {
                    l.add(q.flavor());
                }
            }
        }
        Map<String, List<String>> split = new TreeMap<>();
        order.forEach((r, l) -> {
            if (l.size() > 1) {
                split.put(r, List.copyOf(l));
            }
        });
        if (split.isEmpty()) {
            return NONE;
        }
        Map<String, ClusterQueueInfo> queues = new HashMap<>();
        Map<String, Map<String, List<String>>> coverage = new HashMap<>();
        for (ClusterQueueInfo cq : cqs) {
            if (queues.putIfAbsent(cq.name(), cq) != null) {
                continue;
            }
            Map<String, List<String>> c = new HashMap<>();
            for (ResourceQuota q : cq.quotas()) {
                List<String> l = c.computeIfAbsent(q.resource(), r -> new ArrayList<>());
                if (!l.contains(q.flavor())) {
                    l.add(q.flavor());
                }
            }
            coverage.put(cq.name(), c);
        }
        Map<String, ResourceFlavorInfo> flavors = new HashMap<>();
        for (ResourceFlavorInfo f : snapshot.flavors()) {
            flavors.putIfAbsent(f.name(), f);
        }
        // free quota per queue and cohort, in the raw units of Kueue's admissions
        Map<String, Map<String, Double>> free = new HashMap<>();
        for (ClusterQueueInfo cq : queues.values()) {
            Map<String, Double> f = free.computeIfAbsent(cq.name(), k -> new HashMap<>());
            for (ResourceQuota q : cq.quotas()) {
                if (split.containsKey(q.resource())) {
                    f.merge(key(q.resource(), q.flavor()), q.nominal().doubleValue(), Double::sum);
                }
            }
        }
        for (Workload w : snapshot.workloads()) {
            Admission a = w.admission();
            if (w.phase() != Phase.ADMITTED || a == null) {
                continue;
            }
            Map<String, Double> f = free.get(a.clusterQueue());
            if (f == null) {
                continue;
            }
            for (PodSetAssignment psa : a.podSetAssignments()) {
                for (Map.Entry<String, String> e : psa.flavors().entrySet()) {
                    if (split.containsKey(e.getKey())) {
                        f.merge(key(e.getKey(), e.getValue()), -psa.resourceUsage().get(e.getKey()), Double::sum);
                    }
                }
            }
        }
        for (ClusterQueueInfo cq : cqs) {
            if (cq.cohort() != null && queues.get(cq.name()) == cq) {
                Map<String, Double> c = free.computeIfAbsent("cohort:" + cq.cohort(), k -> new HashMap<>());
                free.get(cq.name()).forEach((k, v) -> c.merge(k, v, Double::sum));
            }
        }
        return new FlavorShares(split, queues, flavors, coverage, free);
    }

    /** True when some resource is split by flavor. */
    boolean active() {
        return !split.isEmpty();
    }

    /** The share key of resource {@code r} in flavor {@code f}. */
    static String key(String resource, String flavor) {
        return resource + SEPARATOR + flavor;
    }

    /** The resource of a share key ({@code nvidia.com/gpu@t4} → {@code nvidia.com/gpu}; a plain name as is). */
    static String resourceOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    /** A vector in share keys folded back to resources (flavors summed); the same object when nothing is flavored. */
    static ResourceVector unflavored(ResourceVector v) {
        boolean any = false;
        for (String r : v.resources()) {
            if (r.indexOf(SEPARATOR) >= 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            return v;
        }
        TreeMap<String, Double> m = new TreeMap<>();
        for (String r : v.resources()) {
            m.merge(resourceOf(r), v.get(r), Double::sum);
        }
        return ResourceVector.of(m);
    }

    /** An admitted workload's usage in share keys. */
    ResourceVector admitted(Workload w, ResourceVector usage, String clusterQueue) {
        if (split.isEmpty() || !touchesSplit(usage)) {
            return usage;
        }
        TreeMap<String, Double> out = new TreeMap<>();
        Map<String, String> predicted = null;
        for (String r : usage.resources()) {
            double u = usage.get(r);
            if (!split.containsKey(r)) {
                out.merge(r, u, Double::sum);
                continue;
            }
            LinkedHashMap<String, Double> byFlavor = new LinkedHashMap<>();
            double total = 0;
            if (w.admission() != null) {
                for (PodSetAssignment psa : w.admission().podSetAssignments()) {
                    String f = psa.flavors().get(r);
                    if (f != null) {
                        double a = psa.resourceUsage().get(r);
                        byFlavor.merge(f, a, Double::sum);
                        total += a;
                    }
                }
            }
            if (byFlavor.size() == 1) {
                out.merge(key(r, byFlavor.keySet().iterator().next()), u, Double::sum);
            } else if (byFlavor.size() > 1 && total > 0) {
                for (Map.Entry<String, Double> e : byFlavor.entrySet()) {
                    out.merge(key(r, e.getKey()), u * (e.getValue() / total), Double::sum);
                }
            } else {
                if (predicted == null) {
                    predicted = predict(w, usage, clusterQueue, false);
                }
                out.merge(key(r, predicted.get(r)), u, Double::sum);
            }
        }
        return ResourceVector.of(out);
    }

    /** A pending workload's demand in share keys: each split resource at the flavor Kueue would try first. */
    ResourceVector pending(Workload w, ResourceVector demand, String clusterQueue) {
        if (split.isEmpty() || !touchesSplit(demand)) {
            return demand;
        }
        Map<String, String> chosen = predict(w, demand, clusterQueue, true);
        TreeMap<String, Double> out = new TreeMap<>();
        for (String r : demand.resources()) {
            String f = chosen.get(r);
            out.merge(f == null ? r : key(r, f), demand.get(r), Double::sum);
        }
        return ResourceVector.of(out);
    }

    /** A node's capacity in share keys: a split resource goes to the first flavor whose node labels the node has. */
    ResourceVector node(Node n, ResourceVector capacity) {
        if (split.isEmpty() || !touchesSplit(capacity)) {
            return capacity;
        }
        TreeMap<String, Double> out = new TreeMap<>();
        for (String r : capacity.resources()) {
            String target = r;
            List<String> l = split.get(r);
            if (l != null) {
                for (String f : l) {
                    ResourceFlavorInfo info = flavors.get(f);
                    if (info != null && info.matches(n)) {
                        target = key(r, f);
                        break;
                    }
                }
            }
            out.merge(target, capacity.get(r), Double::sum);
        }
        return ResourceVector.of(out);
    }

    /** A ClusterQueue's nominal quota in share keys (split resources per flavor, the rest summed over flavors). */
    ResourceVector nominal(ClusterQueueInfo cq) {
        if (split.isEmpty()) {
            return cq.nominalTotal();
        }
        TreeMap<String, Double> m = new TreeMap<>();
        for (ResourceQuota q : cq.quotas()) {
            String k = split.containsKey(q.resource()) ? key(q.resource(), q.flavor()) : q.resource();
            m.merge(k, q.nominal().doubleValue(), Double::sum);
        }
        return ResourceVector.of(m);
    }

    private boolean touchesSplit(ResourceVector v) {
        for (String r : v.resources()) {
            if (split.containsKey(r)) {
                return true;
            }
        }
        return false;
    }

    /** Split resource → the flavor Kueue would assign first (see the class comment). */
    private Map<String, String> predict(Workload w, ResourceVector demand, String clusterQueue, boolean checkRoom) {
        Map<String, List<String>> cov = clusterQueue == null ? null : coverage.get(clusterQueue);
        ClusterQueueInfo cq = clusterQueue == null ? null : queues.get(clusterQueue);
        Map<String, Double> own = cq == null ? null : free.get(cq.name());
        Map<String, Double> cohort = cq == null || cq.cohort() == null ? null : free.get("cohort:" + cq.cohort());
        Map<String, String> chosen = new HashMap<>();
        for (String r : demand.resources()) {
            if (!split.containsKey(r) || chosen.containsKey(r)) {
                continue;
            }
            List<String> list = cov == null ? null : cov.get(r);
            List<String> group = new ArrayList<>();
            if (list == null) {
                list = split.get(r);
                group.add(r);
            } else {
                for (String g : demand.resources()) {
                    if (list.equals(cov.get(g))) {
                        group.add(g);
                    }
                }
            }
            String firstAllowed = null;
            String pick = null;
            for (String f : list) {
                if (!allowed(w, f)) {
                    continue;
                }
                if (firstAllowed == null) {
                    firstAllowed = f;
                    if (!checkRoom || own == null) {
                        break;
                    }
                }
                if (fits(demand, group, f, own, cohort)) {
                    pick = f;
                    break;
                }
            }
            String f = pick != null ? pick : firstAllowed != null ? firstAllowed : list.get(0);
            for (String g : group) {
                if (split.containsKey(g)) {
                    chosen.put(g, f);
                }
            }
        }
        return chosen;
    }

    private boolean fits(ResourceVector demand, List<String> group, String flavor, Map<String, Double> own,
                         Map<String, Double> cohort) {
        for (String g : group) {
            if (!split.containsKey(g)) {
                continue; // a resource offered in one flavor only has no choice to make
            }
            String k = key(g, flavor);
            double room = Math.max(own.getOrDefault(k, 0.0), cohort == null ? Double.NEGATIVE_INFINITY : cohort.getOrDefault(k, 0.0));
            if (demand.get(g) > room + 1e-9) {
                return false;
            }
        }
        return true;
    }

    /** Kueue's flavor/nodeSelector rule: no pod set selects a different value for one of the flavor's node labels. */
    private boolean allowed(Workload w, String flavor) {
        ResourceFlavorInfo info = flavors.get(flavor);
        if (info == null) {
            return true;
        }
        for (PodSet ps : w.podSets()) {
            for (Map.Entry<String, String> l : info.nodeLabels().entrySet()) {
                String wanted = ps.nodeSelector().get(l.getKey());
                if (wanted != null && !wanted.equals(l.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }
}
