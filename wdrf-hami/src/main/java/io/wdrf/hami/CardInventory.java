package io.wdrf.hami;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decoded register annotations of one snapshot's nodes, and the card-memory rule for workloads.
 *
 * <p>Card memory of a pod set (see {@link HamiDemandModel} for the documented rule): candidate nodes come from
 * the first applicable source — (1) the admission's flavor for this pod set, (2) the GPU flavors of the workload's
 * ClusterQueue, (3) the pod set's nodeSelector, (4) all nodes — always intersected with the pod set's
 * nodeSelector; the card memory is the smallest registered {@code devmem} of a healthy card on a candidate node
 * whose type passes the pod set's use/nouse type annotations, else {@link HamiConfig#fallbackCardMemoryMiB()}.
 */
final class CardInventory {

    /** How a pod set's card memory was determined. */
    record CardMemory(double memoryMiB, String source) {
    }

    /** Whether a pod set is charged whole cards (no HAMi-registered node among its GPU candidates), and why. */
    record Charging(boolean wholeCards, String source) {
    }

    private final HamiConfig cfg;
    private final TreeMap<String, NodeRegistration> registrations = new TreeMap<>();
    private final TreeMap<String, String> errors = new TreeMap<>();
    private final List<Node> nodes;
    private final Map<String, ResourceFlavorInfo> flavors = new TreeMap<>();
    private final Map<String, ClusterQueueInfo> clusterQueues = new TreeMap<>();
    private final Map<String, String> localQueues = new TreeMap<>();
    private final SortedSet<String> gpuResources;
    private final Map<String, CardMemory> cache = new ConcurrentHashMap<>();
    private final Map<String, Charging> chargingCache = new ConcurrentHashMap<>();

    CardInventory(ClusterSnapshot snapshot, HamiConfig cfg) {
        this.cfg = cfg;
        String key = cfg.vendor().registerAnnotation();
        List<Node> sorted = new ArrayList<>(snapshot.nodes());
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        this.nodes = List.copyOf(sorted);
        for (Node n : nodes) {
            String value = n.annotations().get(key);
            if (value == null) {
                continue;
            }
            try {
                registrations.put(n.name(), NodeRegistration.decode(value));
            } catch (IllegalArgumentException e) {
                errors.put(n.name(), "metadata.annotations[" + key + "]: " + e.getMessage());
            }
        }
        for (ResourceFlavorInfo f : snapshot.flavors()) {
            flavors.put(f.name(), f);
        }
        for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
            clusterQueues.put(cq.name(), cq);
        }
        for (LocalQueueInfo lq : snapshot.localQueues()) {
            localQueues.put(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
        TreeSet<String> g = new TreeSet<>(cfg.vendor().gpuResources());
        g.add(cfg.fractionResource());
        this.gpuResources = Collections.unmodifiableSortedSet(g);
    }

    /** The decoded registration of a node, or null when it has none or it is malformed. */
    NodeRegistration registration(String node) {
        return registrations.get(node);
    }

    /** Decode error of a node's register annotation, or null. */
    String error(String node) {
        return errors.get(node);
    }

    /**
     * Physical cards of a node without a register annotation: its allocatable count resource (e.g.
     * {@code nvidia.com/gpu} of NVIDIA's own device plugin, one per card), 0 when absent.
     *
     * @throws IllegalArgumentException when that quantity is not a non-negative whole number
     */
    static double plainCards(Node n, HamiConfig cfg) {
        String resource = cfg.vendor().countResource();
        String raw = n.allocatable().get(resource);
        if (raw == null) {
            return 0.0;
        }
        java.math.BigDecimal d;
        try {
            d = io.wdrf.api.Quantity.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status.allocatable[" + resource + "]: " + e.getMessage(), e);
        }
        if (d.signum() < 0) {
            throw new IllegalArgumentException("status.allocatable[" + resource + "]: '" + raw + "' is negative");
        }
        return Math.floor(d.doubleValue());
    }

    /** True when the node carries GPUs but no register annotation (and no malformed one). */
    boolean plainGpuNode(Node n) {
        if (registrations.containsKey(n.name()) || errors.containsKey(n.name())) {
            return false;
        }
        try {
            return plainCards(n, cfg) > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * How pod set {@code index} of {@code w} is charged: whole cards when its candidate nodes (the card-memory rule's
     * flavor and nodeSelector selection) include GPU nodes and none of them is HAMi-registered, else HAMi fractions.
     * HAMi's scheduler places fractional requests only on registered nodes, so a candidate set with any registered
     * node keeps HAMi's rules; with no GPU node at all (e.g. an autoscaled pool) HAMi's rules apply too.
     */
    Charging charging(Workload w, int index) {
        PodSet ps = w.podSets().get(index);
        TreeSet<String> flavorNames = new TreeSet<>();
        String admitted = admissionFlavor(w, ps);
        if (admitted != null) {
            flavorNames.add(admitted);
        } else {
            flavorNames.addAll(clusterQueueFlavors(w));
        }
        String key = flavorNames + "|" + ps.nodeSelector();
        return chargingCache.computeIfAbsent(key, k -> {
            int plain = 0;
            for (Node n : nodes) {
                if (!matchesSelector(n, ps.nodeSelector())
                        || (!flavorNames.isEmpty() && !matchesAnyFlavor(n, flavorNames))) {
                    continue;
                }
                if (registrations.containsKey(n.name())) {
                    return new Charging(false, "");
                }
                if (plainGpuNode(n)) {
                    plain++;
                }
            }
            return plain == 0 ? new Charging(false, "")
                    : new Charging(true, "whole cards: " + plain + " candidate GPU node(s), none registered with HAMi ("
                    + cfg.vendor().registerAnnotation() + ")");
        });
    }

    SortedSet<String> registeredNodes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(registrations.keySet()));
    }

    List<InvalidObject> invalidNodes() {
        List<InvalidObject> out = new ArrayList<>();
        errors.forEach((n, why) -> out.add(new InvalidObject("Node", "", n, why)));
        return out;
    }

    /** Card memory for pod set {@code index} of {@code w}. */
    CardMemory cardMemory(Workload w, int index) {
        PodSet ps = w.podSets().get(index);
        TreeSet<String> flavorNames = new TreeSet<>();
        String rule;
        String admitted = admissionFlavor(w, ps);
        if (admitted != null) {
            flavorNames.add(admitted);
            rule = "admission flavor";
        } else {
            flavorNames.addAll(clusterQueueFlavors(w));
            rule = flavorNames.isEmpty() ? (ps.nodeSelector().isEmpty() ? "all nodes" : "nodeSelector")
                    : "ClusterQueue flavors";
        }
        List<String> use = typeList(ps, cfg.vendor().useTypeAnnotation());
        List<String> noUse = typeList(ps, cfg.vendor().noUseTypeAnnotation());
        String key = rule + "|" + flavorNames + "|" + ps.nodeSelector() + "|" + use + "|" + noUse;
        return cache.computeIfAbsent(key, k -> compute(rule, flavorNames, ps.nodeSelector(), use, noUse));
    }

    /** HAMi's type filter list: comma separated, blank entries ignored, matched as lower-case substrings. */
    private static List<String> typeList(PodSet ps, String annotation) {
        if (annotation.isEmpty()) {
            return List.of();
        }
        String v = ps.annotations().get(annotation);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : v.split(",")) {
            String s = t.strip();
            if (!s.isEmpty()) {
                out.add(s.toLowerCase(java.util.Locale.ROOT));
            }
        }
        Collections.sort(out);
        return out;
    }

    /** HAMi's {@code CheckType}: with a use list the type must contain one entry; it must contain no nouse entry. */
    static boolean typeAllowed(String type, List<String> use, List<String> noUse) {
        String t = type.toLowerCase(java.util.Locale.ROOT);
        if (!use.isEmpty()) {
            boolean any = false;
            for (String u : use) {
                any |= t.contains(u);
            }
            if (!any) {
                return false;
            }
        }
        for (String n : noUse) {
            if (t.contains(n)) {
                return false;
            }
        }
        return true;
    }

    private CardMemory compute(String rule, SortedSet<String> flavorNames, Map<String, String> selector,
                               List<String> use, List<String> noUse) {
        int min = 0;
        int candidates = 0;
        for (Node n : nodes) {
            if (!matchesSelector(n, selector)) {
                continue;
            }
            if (!flavorNames.isEmpty() && !matchesAnyFlavor(n, flavorNames)) {
                continue;
            }
            NodeRegistration r = registrations.get(n.name());
            if (r == null) {
                continue;
            }
            boolean counted = false;
            for (NodeRegistration.Device d : r.devices()) {
                if (d.healthy() && d.memoryMiB() > 0 && typeAllowed(d.type(), use, noUse)) {
                    min = min == 0 ? d.memoryMiB() : Math.min(min, d.memoryMiB());
                    counted = true;
                }
            }
            if (counted) {
                candidates++;
            }
        }
        String what = rule + (flavorNames.isEmpty() ? "" : " " + flavorNames)
                + (selector.isEmpty() ? "" : " nodeSelector " + selector)
                + (use.isEmpty() ? "" : " use-type " + use) + (noUse.isEmpty() ? "" : " nouse-type " + noUse);
        if (min == 0) {
            return new CardMemory(cfg.fallbackCardMemoryMiB(),
                    what + ": no healthy registered card, fallback " + cfg.fallbackCardMemoryMiB() + " MiB");
        }
        return new CardMemory(min, what + ": smallest card " + min + " MiB on " + candidates + " node(s)");
    }

    private boolean matchesAnyFlavor(Node n, SortedSet<String> flavorNames) {
        for (String f : flavorNames) {
            if (flavors.get(f).matches(n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesSelector(Node n, Map<String, String> selector) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(n.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The known flavor the admission assigned to this pod set's GPU resources, or null. */
    private String admissionFlavor(Workload w, PodSet ps) {
        if (w.admission() == null) {
            return null;
        }
        for (PodSetAssignment a : w.admission().podSetAssignments()) {
            if (!a.name().equals(ps.name())) {
                continue;
            }
            for (String r : gpuResources) {
                String f = a.flavors().get(r);
                if (f != null && flavors.containsKey(f)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Known flavors whose quotas in the workload's ClusterQueue cover a GPU resource. */
    private SortedSet<String> clusterQueueFlavors(Workload w) {
        String cqName = w.clusterQueue();
        if (cqName == null || cqName.isEmpty()) {
            cqName = localQueues.get(w.id().namespace() + "/" + w.queueName());
        }
        TreeSet<String> out = new TreeSet<>();
        ClusterQueueInfo cq = cqName == null ? null : clusterQueues.get(cqName);
        if (cq == null) {
            return out;
        }
        for (ResourceQuota q : cq.quotas()) {
            if (gpuResources.contains(q.resource()) && flavors.containsKey(q.flavor())) {
                out.add(q.flavor());
            }
        }
        return out;
    }
}
