package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flavor assignment (Kueue {@code pkg/scheduler/flavorassigner/flavorassigner.go}, without partial admission,
 * topology or the {@code flavorFungibility} preference for preemption over borrowing):
 * <ul>
 *   <li>Per pod set and resource group (resources with the same flavor list form a group, as Kueue's validation
 *       guarantees), the first flavor in quota order whose node labels agree with the pod set's node selector and
 *       where every requested resource of the group fits the ClusterQueue's {@code available()} (borrowing
 *       allowed; the pod sets of one workload add up).</li>
 *   <li>A requested resource the ClusterQueue does not cover makes the workload inadmissible.</li>
 *   <li>The assignment borrows when some flavor-resource goes above the ClusterQueue's nominal quota; its borrowing
 *       level is {@link QuotaTree#borrowingLevel}.</li>
 * </ul>
 */
final class FlavorAssigner {

    /** Result of an assignment attempt: pod-set assignments and usage, or the reason there is none. */
    record Fit(List<PodSetAssignment> assignments, Map<FlavorResource, Double> usage, int borrowingLevel,
               String reason) {
        boolean fits() {
            return reason == null;
        }

        boolean borrows() {
            return borrowingLevel > 0;
        }

        static final Fit NO = new Fit(List.of(), Map.of(), 0, "");
        /** A fit without its assignment (what {@link #fits} finds out). */
        private static final Fit YES = new Fit(List.of(), Map.of(), 0, null);

        static Fit no(String reason) {
            return new Fit(List.of(), Map.of(), 0, reason);
        }
    }

    private final Map<String, ResourceFlavorInfo> flavors;
    private final QuotaTree tree;
    /** ClusterQueue → resource → flavors offering it, in quota order. */
    private final Map<String, Map<String, List<String>>> coverage;

    FlavorAssigner(Map<String, ResourceFlavorInfo> flavors, QuotaTree tree, Iterable<ClusterQueueInfo> queues) {
        this(flavors, tree, coverage(queues));
    }

    /**
     * @param coverage {@link #coverage(Iterable)} of the cycle's ClusterQueues (immutable; a cycle with the same
     *                 ClusterQueue objects may reuse the last one's)
     */
    FlavorAssigner(Map<String, ResourceFlavorInfo> flavors, QuotaTree tree, Map<String, Map<String, List<String>>> coverage) {
        this.flavors = flavors;
        this.tree = tree;
        this.coverage = coverage;
    }

    /** Per ClusterQueue (first of a name wins), per resource, the flavors offering it in quota order. */
    static Map<String, Map<String, List<String>>> coverage(Iterable<ClusterQueueInfo> queues) {
        Map<String, Map<String, List<String>>> coverage = new TreeMap<>();
        for (ClusterQueueInfo cq : queues) {
            Map<String, List<String>> c = new TreeMap<>();
            java.util.Set<FlavorResource> seen = new java.util.HashSet<>();
            for (ResourceQuota q : cq.quotas()) {
                if (seen.add(new FlavorResource(q.flavor(), q.resource()))) {
                    c.computeIfAbsent(q.resource(), r -> new ArrayList<>()).add(q.flavor());
                }
            }
            coverage.putIfAbsent(cq.name(), c);
        }
        return coverage;
    }

    /**
     * Assigns flavors to all pod sets of a workload against current usage.
     *
     * @param explain build a reason on failure (otherwise {@link Fit#NO})
     */
    Fit assign(String cq, List<Requests.PodSetRequest> podSets, boolean explain) {
        return assign(cq, podSets, explain, true);
    }

    /**
     * Whether {@link #assign} would find an assignment ({@code assign(cq, podSets, false).fits()}), without building
     * the assignment, its usage or its borrowing level.
     */
    boolean fits(String cq, List<Requests.PodSetRequest> podSets) {
        return assign(cq, podSets, false, false).fits();
    }

    /** @param build build the assignment of a fit (otherwise {@link Fit#YES}) */
    private Fit assign(String cq, List<Requests.PodSetRequest> podSets, boolean explain, boolean build) {
        Map<String, List<String>> cov = coverage.getOrDefault(cq, Map.of());
        TreeMap<FlavorResource, Double> extra = new TreeMap<>();
        List<PodSetAssignment> out = new ArrayList<>();
        for (Requests.PodSetRequest ps : podSets) {
            Map<List<String>, TreeMap<String, Double>> groups = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : ps.total().entrySet()) {
                List<String> flavorList = cov.get(e.getKey());
                if (flavorList == null) {
                    return !explain ? Fit.NO : Fit.no("resource " + e.getKey() + " requested by pod set " + ps.name()
                            + " is not covered by ClusterQueue " + cq);
                }
                groups.computeIfAbsent(flavorList, k -> new TreeMap<>()).put(e.getKey(), e.getValue());
            }
            TreeMap<String, String> chosenFlavors = build ? new TreeMap<>() : null;
            for (Map.Entry<List<String>, TreeMap<String, Double>> g : groups.entrySet()) {
                String chosen = null;
                List<String> why = new ArrayList<>();
                for (String flavor : g.getKey()) {
                    String problem = problem(cq, flavor, g.getValue(), ps.nodeSelector(), extra, explain);
                    if (problem == null) {
                        chosen = flavor;
                        break;
                    }
                    if (explain) {
                        why.add("flavor " + flavor + ": " + problem);
                    }
                }
                if (chosen == null) {
                    return !explain ? Fit.NO : Fit.no("pod set " + ps.name() + " does not fit in ClusterQueue " + cq
                            + " (" + String.join("; ", why) + ")");
                }
                for (Map.Entry<String, Double> e : g.getValue().entrySet()) {
                    if (build) {
                        chosenFlavors.put(e.getKey(), chosen);
                    }
                    extra.merge(new FlavorResource(chosen, e.getKey()), e.getValue(), Double::sum);
                }
            }
            if (build) {
                out.add(new PodSetAssignment(ps.name(), chosenFlavors, ResourceVector.of(ps.total()), ps.count()));
            }
        }
        if (!build) {
            return Fit.YES;
        }
        return new Fit(List.copyOf(out), extra, tree.borrowingLevel(cq, extra), null);
    }

    /** Why {@code request} does not fit in {@code flavor}, or null when it fits. */
    private String problem(String cq, String flavor, Map<String, Double> request, Map<String, String> nodeSelector,
                           Map<FlavorResource, Double> extra, boolean explain) {
        ResourceFlavorInfo info = flavors.get(flavor);
        if (info != null) {
            for (Map.Entry<String, String> l : info.nodeLabels().entrySet()) {
                String wanted = nodeSelector.get(l.getKey());
                if (wanted != null && !wanted.equals(l.getValue())) {
                    return !explain ? "" : "node label " + l.getKey() + "=" + l.getValue() + " conflicts with nodeSelector "
                            + l.getKey() + "=" + wanted;
                }
            }
        }
        for (Map.Entry<String, Double> r : request.entrySet()) {
            FlavorResource fr = new FlavorResource(flavor, r.getKey());
            double available = tree.available(cq, fr) - extra.getOrDefault(fr, 0.0);
            if (FlavorResource.exceeds(r.getValue(), available)) {
                return !explain ? "" : "insufficient " + r.getKey() + " (requested " + fmt(r.getValue()) + ", available "
                        + fmt(Math.max(0.0, available)) + ")";
            }
        }
        return null;
    }

    static String fmt(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
