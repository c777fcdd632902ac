package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ResourceQuota;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The quota tree: ClusterQueues as leaves under (possibly nested) cohorts, each node with its quotas, its subtree
 * quota and its usage, following Kueue's {@code pkg/cache/scheduler/resource_node.go}:
 * <ul>
 *   <li>A node's local quota for a flavor-resource is {@code max(0, subtreeQuota − lendingLimit)} when a lending
 *       limit is set, else 0: the part it never lends.</li>
 *   <li>A ClusterQueue's subtree quota is its nominal quota; a cohort's is its own nominal plus, over its children,
 *       their subtree quota minus their local quota.</li>
 *   <li>Usage is added bottom-up: what does not fit in a node's local quota is usage of its parent too (and removed
 *       the same way), so a cohort's usage is what its children borrow from it.</li>
 *   <li>{@code available(node)}: at a root, subtree quota − usage; below, local available + the parent's available,
 *       the latter capped by {@code subtreeQuota − localQuota − usedInParent + borrowingLimit} when a borrowing
 *       limit is set.</li>
 *   <li>The borrowing level of a request (Kueue's {@code FindHeightOfLowestSubtreeThatFits}): 0 when it fits the
 *       ClusterQueue's own quota, else the height of the lowest ancestor whose subtree holds it.</li>
 * </ul>
 * A cohort chain with a cycle detaches the ClusterQueues below it (they act as if they had no cohort).
 */
final class QuotaTree {

    /** One node: a ClusterQueue (leaf) or a cohort. */
    static final class Node {
        final String name;
        final boolean cohort;
        Node parent;
        final List<Node> children = new ArrayList<>();
        final TreeMap<FlavorResource, ResourceQuota> quotas;
        final TreeMap<FlavorResource, Double> subtree;
        final TreeMap<FlavorResource, Double> usage;
        int height;
        /** {@code spec.fairSharing.weight} of the ClusterQueue or Cohort. */
        double weight = 1.0;

        Node(String name, boolean cohort) {
            this.name = name;
            this.cohort = cohort;
            this.quotas = new TreeMap<>();
            this.subtree = new TreeMap<>();
            this.usage = new TreeMap<>();
        }

        /** A copy with its own usage; quotas and subtree quotas (fixed once the tree is built) are shared. */
        private Node(Node o) {
            this.name = o.name;
            this.cohort = o.cohort;
            this.quotas = o.quotas;
            this.subtree = o.subtree;
            this.usage = new TreeMap<>(o.usage);
            this.height = o.height;
            this.weight = o.weight;
        }

        double localQuota(FlavorResource fr) {
            ResourceQuota q = quotas.get(fr);
            if (q == null || q.lendingLimit() == null) {
                return 0.0;
            }
            return Math.max(0.0, subtree.getOrDefault(fr, 0.0) - q.lendingLimit().doubleValue());
        }

        double localAvailable(FlavorResource fr) {
            return Math.max(0.0, localQuota(fr) - usage.getOrDefault(fr, 0.0));
        }

        double usage(FlavorResource fr) {
            return usage.getOrDefault(fr, 0.0);
        }

        double subtreeQuota(FlavorResource fr) {
            return subtree.getOrDefault(fr, 0.0);
        }

        Node root() {
            Node n = this;
            while (n.parent != null) {
                n = n.parent;
            }
            return n;
        }
    }

    private final TreeMap<String, Node> queues = new TreeMap<>();
    private final TreeMap<String, Node> cohorts = new TreeMap<>();

    QuotaTree(Collection<ClusterQueueInfo> clusterQueues, Collection<CohortInfo> cohortSpecs) {
        TreeMap<String, CohortInfo> specs = new TreeMap<>();
        for (CohortInfo c : cohortSpecs) {
            specs.putIfAbsent(c.name(), c);
        }
        for (ClusterQueueInfo cq : clusterQueues) {
            if (queues.containsKey(cq.name())) {
                continue;
            }
            Node n = new Node(cq.name(), false);
            n.weight = cq.fairSharingWeight();
            for (ResourceQuota q : cq.quotas()) {
                n.quotas.putIfAbsent(new FlavorResource(q.flavor(), q.resource()), q);
            }
            queues.put(cq.name(), n);
            String cohort = cq.cohort();
            if (cohort != null && !cohort.isEmpty() && !cyclic(cohort, specs)) {
                attach(n, cohort(cohort, specs));
            }
        }
        for (Node c : cohorts.values()) {
            if (c.parent == null) {
                compute(c);
            }
        }
        for (Node q : queues.values()) {
            if (q.parent == null) {
                compute(q);
            }
        }
    }

    /** An empty tree, filled by {@link #copy()}. */
    private QuotaTree() {
    }

    /**
     * A copy of this tree with the same structure, quotas and usage, whose usage can be charged without touching
     * this one (the admission model charges held workloads into a persistent tree once and gives every cycle a
     * copy to work on).
     */
    QuotaTree copy() {
        QuotaTree t = new QuotaTree();
        java.util.IdentityHashMap<Node, Node> map = new java.util.IdentityHashMap<>();
        cohorts.forEach((k, n) -> t.cohorts.put(k, map.computeIfAbsent(n, Node::new)));
        queues.forEach((k, n) -> t.queues.put(k, map.computeIfAbsent(n, Node::new)));
        map.forEach((o, c) -> {
            if (o.parent != null) {
                c.parent = map.get(o.parent);
            }
            for (Node child : o.children) {
                c.children.add(map.get(child));
            }
        });
        return t;
    }

    /** Every node's quota values (nominal, limits and subtree quotas), for the exactness check of the model. */
    void forEachQuotaValue(java.util.function.DoubleConsumer sink) {
        List<Node> all = new ArrayList<>(cohorts.values());
        all.addAll(queues.values());
        for (Node n : all) {
            n.subtree.values().forEach(sink::accept);
            for (ResourceQuota q : n.quotas.values()) {
                sink.accept(q.nominal().doubleValue());
                if (q.lendingLimit() != null) {
                    sink.accept(q.lendingLimit().doubleValue());
                }
                if (q.borrowingLimit() != null) {
                    sink.accept(q.borrowingLimit().doubleValue());
                }
            }
        }
    }

    /** Usage of every node, by node (cohorts first, then ClusterQueues, by name): for tests comparing trees. */
    List<Map<FlavorResource, Double>> usageByNode() {
        List<Map<FlavorResource, Double>> out = new ArrayList<>();
        cohorts.values().forEach(n -> out.add(new TreeMap<>(n.usage)));
        queues.values().forEach(n -> out.add(new TreeMap<>(n.usage)));
        return out;
    }

    private static boolean cyclic(String cohort, Map<String, CohortInfo> specs) {
        Set<String> seen = new HashSet<>();
        for (String c = cohort; c != null; c = specs.containsKey(c) ? specs.get(c).parent() : null) {
            if (!seen.add(c)) {
                return true;
            }
        }
        return false;
    }

    private Node cohort(String name, Map<String, CohortInfo> specs) {
        Node n = cohorts.get(name);
        if (n != null) {
            return n;
        }
        n = new Node(name, true);
        cohorts.put(name, n);
        CohortInfo spec = specs.get(name);
        if (spec != null) {
            n.weight = spec.fairSharingWeight();
            for (ResourceQuota q : spec.quotas()) {
                n.quotas.putIfAbsent(new FlavorResource(q.flavor(), q.resource()), q);
            }
            if (spec.parent() != null) {
                attach(n, cohort(spec.parent(), specs));
            }
        }
        return n;
    }

    private static void attach(Node child, Node parent) {
        child.parent = parent;
        parent.children.add(child);
    }

    /** Subtree quotas and heights, bottom-up (Kueue {@code updateCohortResourceNode}). */
    private static void compute(Node n) {
        n.subtree.clear();
        n.quotas.forEach((fr, q) -> n.subtree.put(fr, q.nominal().doubleValue()));
        n.height = 0;
        for (Node c : n.children) {
            compute(c);
            n.height = Math.max(n.height, c.height + 1);
            c.subtree.forEach((fr, v) -> n.subtree.merge(fr, v - c.localQuota(fr), Double::sum));
        }
    }

    /** The ClusterQueue's node, or null when unknown. */
    Node queue(String name) {
        return queues.get(name);
    }

    /** All cohorts, by name. */
    Map<String, Node> cohorts() {
        return cohorts;
    }

    /** The ClusterQueue's quota for {@code fr}, or null when it does not list it. */
    ResourceQuota quota(String cq, FlavorResource fr) {
        Node n = queues.get(cq);
        return n == null ? null : n.quotas.get(fr);
    }

    /** Usage of {@code fr} in ClusterQueue {@code cq}. */
    double usage(String cq, FlavorResource fr) {
        Node n = queues.get(cq);
        return n == null ? 0.0 : n.usage(fr);
    }

    /** Nominal quota of {@code fr} in ClusterQueue {@code cq} (0 when not listed). */
    double nominal(String cq, FlavorResource fr) {
        Node n = queues.get(cq);
        return n == null ? 0.0 : n.subtreeQuota(fr);
    }

    /** Kueue's {@code available()}: how much more of {@code fr} ClusterQueue {@code cq} can use now. */
    double available(String cq, FlavorResource fr) {
        Node n = queues.get(cq);
        if (n == null || !n.quotas.containsKey(fr)) {
            return 0.0;
        }
        return available(n, fr);
    }

    private static double available(Node n, FlavorResource fr) {
        if (n.parent == null) {
            return n.subtreeQuota(fr) - n.usage(fr);
        }
        double parentAvailable = available(n.parent, fr);
        ResourceQuota q = n.quotas.get(fr);
        BigDecimal borrowingLimit = q == null ? null : q.borrowingLimit();
        if (borrowingLimit != null) {
            double lq = n.localQuota(fr);
            double storedInParent = n.subtreeQuota(fr) - lq;
            double usedInParent = Math.max(0.0, n.usage(fr) - lq);
            parentAvailable = Math.min(parentAvailable, storedInParent - usedInParent + borrowingLimit.doubleValue());
        }
        return n.localAvailable(fr) + parentAvailable;
    }

    /** Kueue's {@code potentialAvailable()}: what the node could use if everything it may borrow were free. */
    static double potentialAvailable(Node n, FlavorResource fr) {
        if (n.parent == null) {
            return n.subtreeQuota(fr);
        }
        double avail = n.localQuota(fr) + potentialAvailable(n.parent, fr);
        ResourceQuota q = n.quotas.get(fr);
        if (q != null && q.borrowingLimit() != null) {
            avail = Math.min(avail, n.subtreeQuota(fr) + q.borrowingLimit().doubleValue());
        }
        return avail;
    }

    /** Charges ({@code sign = 1}) or releases ({@code sign = -1}) a workload's usage in ClusterQueue {@code cq}. */
    void charge(String cq, Map<FlavorResource, Double> usage, int sign) {
        Node n = queues.get(cq);
        if (n == null) {
            return;
        }
        usage.forEach((fr, v) -> {
            if (sign > 0) {
                add(n, fr, v);
            } else {
                remove(n, fr, v);
            }
        });
    }

    private static void add(Node n, FlavorResource fr, double v) {
        double local = n.localAvailable(fr);
        n.usage.merge(fr, v, Double::sum);
        if (n.parent != null && v > local) {
            add(n.parent, fr, v - local);
        }
    }

    private static void remove(Node n, FlavorResource fr, double v) {
        double storedInParent = n.usage(fr) - n.localQuota(fr);
        n.usage.merge(fr, -v, Double::sum);
        if (storedInParent <= 0 || n.parent == null) {
            return;
        }
        remove(n.parent, fr, Math.min(v, storedInParent));
    }

    /** True when adding {@code extra} of {@code fr} takes ClusterQueue {@code cq} above its nominal quota. */
    boolean borrows(String cq, FlavorResource fr, double extra) {
        Node n = queues.get(cq);
        return n != null && FlavorResource.exceeds(n.usage(fr) + extra, n.subtreeQuota(fr));
    }

    /**
     * Kueue's borrowing level of a request: the largest, over its flavor-resources, height of the lowest subtree
     * that holds it (0 = within the ClusterQueue's nominal quota).
     */
    int borrowingLevel(String cq, Map<FlavorResource, Double> request) {
        Node n = queues.get(cq);
        if (n == null) {
            return 0;
        }
        int level = 0;
        for (Map.Entry<FlavorResource, Double> e : request.entrySet()) {
            level = Math.max(level, borrowingLevel(n, e.getKey(), e.getValue()));
        }
        return level;
    }

    private static int borrowingLevel(Node n, FlavorResource fr, double v) {
        if (!FlavorResource.exceeds(n.usage(fr) + v, n.subtreeQuota(fr)) || n.parent == null) {
            return 0;
        }
        double remaining = v - n.localAvailable(fr);
        for (Node p = n.parent; p != null; p = p.parent) {
            if (!FlavorResource.exceeds(p.usage(fr) + remaining, p.subtreeQuota(fr))) {
                return p.height;
            }
            remaining -= p.localAvailable(fr);
        }
        return n.root().height;
    }

    /** The root of the ClusterQueue's cohort tree (itself when it has no cohort). */
    Node root(String cq) {
        Node n = queues.get(cq);
        return n == null ? null : n.root();
    }

    /** ClusterQueue names in the same cohort tree as {@code cq} (including it), in name order. */
    List<String> treeQueues(String cq) {
        Node root = root(cq);
        List<String> out = new ArrayList<>();
        if (root != null) {
            collect(root, out);
        }
        out.sort(null);
        return out;
    }

    private static void collect(Node n, List<String> out) {
        if (!n.cohort) {
            out.add(n.name);
        }
        n.children.forEach(c -> collect(c, out));
    }
}
