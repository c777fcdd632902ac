package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.DemandModel;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kueue's demand rules ({@code pkg/workload/workload.go: totalRequestsFromPodSets}).
 *
 * <ul>
 *   <li>A container's missing request defaults to its limit.</li>
 *   <li>Pod request = max(Σ app containers + Σ sidecars, max over init containers of (init + sidecars started
 *       before it)) + pod overhead — the Kubernetes {@code PodRequests()} rule.</li>
 *   <li>Workload demand = Σ over pod sets of count × pod request.</li>
 *   <li>Admitted usage = Σ {@code status.admission.podSetAssignments[].resourceUsage} when present, else demand.</li>
 *   <li>Node capacity = {@code status.allocatable}.</li>
 *   <li>Resources whose name starts with one of {@code excludeResourcePrefixes} are dropped (Kueue's setting of
 *       the same name).</li>
 * </ul>
 */
public final class KueueDemandModel implements DemandModel {

    private final List<String> excludeResourcePrefixes;
    /** Parsed values of raw quantities; clusters repeat a few hundred distinct strings across 100k workloads. */
    private final java.util.concurrent.ConcurrentHashMap<String, Double> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED = 65_536;

    /** Kueue's rules with no excluded resources. */
    public KueueDemandModel() {
        this(List.of());
    }

    /** Kueue's rules, dropping resources with the given name prefixes. */
    public KueueDemandModel(List<String> excludeResourcePrefixes) {
        this.excludeResourcePrefixes = List.copyOf(excludeResourcePrefixes);
    }

    @Override
    public Bound bind(ClusterSnapshot snapshot) {
        return new Bound() {
            @Override
            public ResourceVector demand(Workload workload) {
                return workloadDemand(workload);
            }

            @Override
            public ResourceVector usage(Workload workload) {
                return admittedUsage(workload);
            }

            @Override
            public ResourceVector capacity(Node node) {
                return nodeCapacity(node);
            }
        };
    }

    /** Kueue's vectors depend on the object alone: results are reusable across all snapshots. */
    @Override
    public Object reuseScope(ClusterSnapshot snapshot) {
        return this;
    }

    /**
     * True when {@code a} and {@code b} have equal inputs to every vector this model computes (demand and usage read
     * only {@code spec.podSets} and {@code status.admission}), so a new version that changed only other fields — a
     * priority write: resourceVersion, spec.priority, annotations — keeps its vectors. Whoever makes a vector read
     * another field must add it here.
     */
    boolean sameVectorInputs(Workload a, Workload b) {
        return a.podSets().equals(b.podSets()) && java.util.Objects.equals(a.admission(), b.admission());
    }

    /** Total demand of a workload; throws {@link IllegalArgumentException} naming the field on a bad quantity. */
    public ResourceVector workloadDemand(Workload workload) {
        if (workload.podSets().isEmpty()) {
            throw new IllegalArgumentException("spec.podSets: workload has no pod sets");
        }
        TreeMap<String, Double> total = new TreeMap<>();
        List<PodSet> podSets = workload.podSets();
        for (int i = 0; i < podSets.size(); i++) {
            PodSet ps = podSets.get(i);
            Map<String, Double> pod;
            try {
                pod = podRequest(ps);
            } catch (BadField e) {
                throw e.at("spec.podSets[" + i + "]");
            }
            for (Map.Entry<String, Double> e : pod.entrySet()) {
                total.merge(e.getKey(), e.getValue() * ps.count(), Double::sum);
            }
        }
        return ResourceVector.of(total);
    }

    /** Admitted usage: Kueue's recorded usage when present, else the demand. */
    public ResourceVector admittedUsage(Workload workload) {
        if (workload.admission() != null && !workload.admission().podSetAssignments().isEmpty()) {
            ResourceVector usage = workload.admission().totalUsage();
            return filter(usage);
        }
        return workloadDemand(workload);
    }

    /** A node's allocatable resources. */
    public ResourceVector nodeCapacity(Node node) {
        TreeMap<String, Double> m = new TreeMap<>();
        for (Map.Entry<String, String> e : node.allocatable().entrySet()) {
            if (excluded(e.getKey())) {
                continue;
            }
            try {
                m.put(e.getKey(), parse(e.getValue()));
            } catch (BadField b) {
                throw b.at("status.allocatable." + e.getKey());
            }
        }
        return ResourceVector.of(m);
    }

    /**
     * Per-pod request of a pod set (Kubernetes {@code PodRequests()} with sidecars and overhead).
     *
     * @param path field path prefix for error messages, e.g. {@code spec.podSets[0]}
     */
    public Map<String, Double> podRequest(PodSet ps, String path) {
        try {
            return podRequest(ps);
        } catch (BadField e) {
            throw e.at(path);
        }
    }

    /** As {@link #podRequest(PodSet, String)}; the field path of an error is built only when there is an error. */
    private Map<String, Double> podRequest(PodSet ps) {
        TreeMap<String, Double> appSum = new TreeMap<>();
        TreeMap<String, Double> sidecarSum = new TreeMap<>();
        TreeMap<String, Double> initMax = new TreeMap<>();
        List<ContainerSpec> containers = ps.containers();
        for (ContainerSpec c : containers) {
            Map<String, Double> req;
            try {
                req = containerRequest(c);
            } catch (BadField e) {
                throw e.at(".template.spec." + (c.kind() == ContainerKind.APP ? "containers" : "initContainers")
                        + "[" + c.name() + "].resources");
            }
            switch (c.kind()) {
                case APP -> req.forEach((k, v) -> appSum.merge(k, v, Double::sum));
                case SIDECAR -> {
                    req.forEach((k, v) -> sidecarSum.merge(k, v, Double::sum));
                    // a sidecar also counts while later init containers run
                    for (Map.Entry<String, Double> e : sidecarSum.entrySet()) {
                        initMax.merge(e.getKey(), e.getValue(), Math::max);
                    }
                }
                case INIT -> {
                    TreeMap<String, Double> withSidecars = new TreeMap<>(sidecarSum);
                    req.forEach((k, v) -> withSidecars.merge(k, v, Double::sum));
                    withSidecars.forEach((k, v) -> initMax.merge(k, v, Math::max));
                }
            }
        }
        TreeMap<String, Double> pod = new TreeMap<>(appSum);
        sidecarSum.forEach((k, v) -> pod.merge(k, v, Double::sum));
        initMax.forEach((k, v) -> pod.merge(k, v, Math::max));
        for (Map.Entry<String, String> e : ps.overhead().entrySet()) {
            if (!excluded(e.getKey())) {
                double v;
                try {
                    v = parse(e.getValue());
                } catch (BadField b) {
                    throw b.at(".template.spec.overhead." + e.getKey());
                }
                pod.merge(e.getKey(), v, Double::sum);
            }
        }
        return pod;
    }

    private Map<String, Double> containerRequest(ContainerSpec c) {
        TreeMap<String, Double> m = new TreeMap<>();
        for (String r : c.resourceNames()) {
            if (excluded(r)) {
                continue;
            }
            String raw = c.requests().get(r);
            boolean fromLimit = raw == null;
            if (fromLimit) {
                raw = c.limits().get(r);
            }
            double v;
            try {
                v = parse(raw);
                if (v < 0) {
                    throw new BadField("negative quantity '" + raw + "'");
                }
            } catch (BadField e) {
                throw e.at((fromLimit ? ".limits." : ".requests.") + r);
            }
            if (v > 0) {
                m.put(r, v);
            }
        }
        return m;
    }

    private boolean excluded(String resource) {
        for (String p : excludeResourcePrefixes) {
            if (resource.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private ResourceVector filter(ResourceVector v) {
        if (excludeResourcePrefixes.isEmpty()) {
            return v;
        }
        ResourceVector out = v;
        for (String r : v.resources()) {
            if (excluded(r)) {
                out = out.without(r);
            }
        }
        return out;
    }

    private double parse(String raw) {
        Double cached = raw == null ? null : parsed.get(raw);
        if (cached != null) {
            return cached;
        }
        double v;
        try {
            v = Quantity.parse(raw).doubleValue();
        } catch (IllegalArgumentException e) {
            throw new BadField(e.getMessage(), e);
        }
        if (parsed.size() < MAX_CACHED) {
            parsed.put(raw, v);
        }
        return v;
    }

    /**
     * A malformed field, its path assembled on the way out ({@link #at} prepends a segment), so the happy path builds
     * no message strings. Escapes the public methods only as {@link IllegalArgumentException} with the full path.
     */
    private static final class BadField extends IllegalArgumentException {
        private final String reason;
        private final String path;

        BadField(String reason) {
            this(reason, null, "");
        }

        BadField(String reason, Throwable cause) {
            this(reason, cause, "");
        }

        private BadField(String reason, Throwable cause, String path) {
            super(path.isEmpty() ? reason : path + ": " + reason, cause);
            this.reason = reason;
            this.path = path;
        }

        /** No stack trace: the message says where; the path is rebuilt at every level. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        BadField at(String prefix) {
            return new BadField(reason, getCause(), prefix + path);
        }
    }
}
