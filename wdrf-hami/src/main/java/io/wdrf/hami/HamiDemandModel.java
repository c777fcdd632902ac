package io.wdrf.hami;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.DemandModel;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.engine.KueueDemandModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * HAMi fractional-GPU accounting as a {@link DemandModel}: Kueue's vectors with the vendor's slot/memory/core
 * resources replaced by one resource, the <b>physical GPU fraction</b>, named {@link HamiConfig#fractionResource()}
 * (default {@code hami.io/gpu}; {@code 1.0} = one whole physical card).
 *
 * <h2>Bound model</h2>
 * <ul>
 *   <li>{@code demand(w)} = the base model's demand without the vendor's resources ({@link HamiVendor#gpuResources()},
 *       e.g. {@code nvidia.com/gpu}, {@code nvidia.com/gpumem}, {@code nvidia.com/gpumem-percentage},
 *       {@code nvidia.com/gpucores}, {@code nvidia.com/priority} and Kueue-transformed
 *       {@code nvidia.com/total-gpucores}/{@code total-gpumem}) plus the GPU fraction of the spec.</li>
 *   <li>{@code usage(w)} = the base usage (Kueue: admission {@code resourceUsage}) without those resources plus the
 *       GPU fraction of the spec, with the admitted pod count per pod set (partial admission) and the admission's
 *       flavor for card memory.</li>
 *   <li>{@code capacity(node)} = the base capacity without those resources (so vGPU <em>slots</em> in allocatable
 *       {@code nvidia.com/gpu} never count) plus the number of healthy physical cards registered in the vendor's
 *       register annotation. A node <em>without</em> the annotation (NVIDIA's own device plugin, no HAMi) contributes
 *       its allocatable count resource as whole physical cards to the same fraction resource; a malformed annotation
 *       throws (the SPI contract), naming the device, field and value.</li>
 * </ul>
 *
 * <h2>Mixed clusters</h2>
 * A pod set whose candidate nodes (the card-memory rule below: admission flavor, else the ClusterQueue's GPU flavors,
 * else all nodes, narrowed by its nodeSelector) include GPU nodes but none registered with HAMi is charged <b>whole
 * cards</b> ({@code cards × 1.0}, whatever its gpumem/gpucores say: without HAMi a container gets whole cards). Any
 * registered candidate keeps HAMi's fractions (HAMi's scheduler places fractional requests on registered nodes). Every
 * {@link #bind} logs once, at INFO, the nodes whose accounting is new or changed ({@link NodeAccounting}), so the
 * first cycle reports every node.
 * The fraction is added to whatever the base reports under the same name, so two {@code HamiDemandModel}s for
 * different vendors can be chained (one wrapping the other) into one or two fraction resources.
 *
 * <h2>GPU fraction</h2>
 * Per container (HAMi's decoding; limits before requests; webhook defaults re-applied, see {@link HamiConfig}):
 * {@code cards × max(memFraction, cores/100[, 1/splitCount])}, where memFraction is
 * gpumem × memoryFactor / cardMemory when gpumem &gt; 0 (explicit MiB wins over a percentage, as in HAMi's
 * {@code Fit}), else percentage/100, else defaultMemory / cardMemory when configured, else 1; a card is never
 * charged more than 1.0; the GPU policy annotation value {@code mutex} books whole cards. Pod = Σ app containers and
 * restartable-init sidecars versus the largest init container (with the sidecars started before it), the Kubernetes
 * collapse rule HAMi also applies; workload = Σ pod sets count × pod.
 *
 * <h2>Card memory</h2>
 * Only needed when a container gives MiB (or defaultMemory is set). Per pod set, the candidate nodes are, by the first
 * rule that names flavors: (1) an admitted workload's {@code podSetAssignments[].flavors} entry for any of the
 * vendor's resources (or the fraction resource), (2) the flavors of the ClusterQueue quotas covering those resources
 * (ClusterQueue from {@link Workload#clusterQueue()}, else the LocalQueue mapping), (3) none — all nodes; always
 * restricted to nodes matching the pod set's nodeSelector. Flavors unknown to the snapshot are ignored. The card
 * memory is the smallest registered {@code devmem} of a healthy card on those nodes (conservative) whose type
 * passes the pod set's {@link HamiVendor#useTypeAnnotation()}/{@link HamiVendor#noUseTypeAnnotation()} filters
 * (HAMi's case-insensitive substring rule); when there is none, {@link HamiConfig#fallbackCardMemoryMiB()}.
 *
 * <h2>Errors</h2>
 * An invalid GPU value (e.g. {@code nvidia.com/gpumem: 16Gi}, which HAMi treats as an invalid request) makes
 * {@code demand}/{@code usage} throw {@link IllegalArgumentException}, e.g.
 * {@code spec.podSets[0].template.spec.containers[train].resources.limits.nvidia.com/gpumem: '16Gi' is not an
 * integer MiB (HAMi ignores the GPU request of this container)}, so the engine skips and counts that workload
 * instead of silently under-charging it.
 */
public final class HamiDemandModel implements DemandModel {

    private static final Logger LOG = Logger.getLogger(HamiDemandModel.class.getName());

    /** How a node's GPUs enter capacity. */
    public enum NodeAccounting {
        /** Registered with HAMi: healthy physical cards from the register annotation, requests as fractions. */
        HAMI_FRACTIONS,
        /** GPUs without HAMi registration: allocatable count resource as whole cards, requests as whole cards. */
        WHOLE_CARDS,
        /** No GPU. */
        NO_GPU,
        /** Malformed register annotation: the node is skipped and reported. */
        INVALID
    }

    private final HamiConfig config;
    private final DemandModel base;
    private final Map<String, NodeAccounting> reported = new TreeMap<>();
    private final boolean report;

    /** NVIDIA defaults over Kueue's rules. */
    public HamiDemandModel() {
        this(HamiConfig.defaults());
    }

    /** The given settings over Kueue's rules ({@link KueueDemandModel}). */
    public HamiDemandModel(HamiConfig config) {
        this(config, new KueueDemandModel());
    }

    /** The given settings over any base model. */
    public HamiDemandModel(HamiConfig config, DemandModel base) {
        this(config, base, true);
    }

    private HamiDemandModel(HamiConfig config, DemandModel base, boolean report) {
        this.config = Objects.requireNonNull(config, "config");
        this.base = Objects.requireNonNull(base, "base");
        this.report = report;
    }

    /** The same model without the node-accounting log (for a second user of the same snapshots, e.g. gauges). */
    public HamiDemandModel withoutNodeReport() {
        return new HamiDemandModel(config, base, false);
    }

    /** The settings. */
    public HamiConfig config() {
        return config;
    }

    @Override
    public HamiBound bind(ClusterSnapshot snapshot) {
        HamiBound b = new HamiBound(snapshot, config, base.bind(snapshot));
        if (report) {
            reportNodes(b.nodeAccounting());
        }
        return b;
    }

    /** Logs, once per node and accounting, which accounting each node got (the first cycle logs every node). */
    private synchronized void reportNodes(Map<String, NodeAccounting> now) {
        Map<NodeAccounting, List<String>> changed = new TreeMap<>();
        for (Map.Entry<String, NodeAccounting> e : now.entrySet()) {
            if (reported.get(e.getKey()) != e.getValue()) {
                changed.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        reported.keySet().retainAll(now.keySet());
        reported.putAll(now);
        for (Map.Entry<NodeAccounting, List<String>> e : changed.entrySet()) {
            List<String> names = e.getValue();
            String shown = String.join(", ", names.size() > 20 ? names.subList(0, 20) : names)
                    + (names.size() > 20 ? ", ... (" + (names.size() - 20) + " more)" : "");
            String what = switch (e.getKey()) {
                case HAMI_FRACTIONS -> "registered with HAMi (" + config.vendor().registerAnnotation()
                        + "): healthy physical cards, requests charged as fractions of a card";
                case WHOLE_CARDS -> "carry " + config.vendor().countResource() + " but no "
                        + config.vendor().registerAnnotation() + ": allocatable counted as whole physical cards,"
                        + " requests charged whole cards";
                case NO_GPU -> "no GPU";
                case INVALID -> "malformed " + config.vendor().registerAnnotation() + ": skipped (see the cycle's invalid objects)";
            };
            LOG.info("GPU accounting (" + config.fractionResource() + "): " + names.size() + " node(s) " + what
                    + ": " + shown);
        }
    }

    /**
     * HAMi's vectors depend, beyond the object, on the base model's scope and on what card memory is looked up in:
     * each node's name, labels and register annotation, the flavors, the ClusterQueues and the LocalQueues. Other
     * node changes (allocatable, readiness, other annotations) keep the workload vectors reusable.
     */
    @Override
    public Object reuseScope(ClusterSnapshot snapshot) {
        Object baseScope = base.reuseScope(snapshot);
        if (baseScope == null) {
            return null;
        }
        String key = config.vendor().registerAnnotation();
        List<Object> nodes = new ArrayList<>(snapshot.nodes().size());
        for (Node n : snapshot.nodes()) {
            nodes.add(new NodeCards(n.name(), n.labels(), n.annotations().get(key)));
        }
        return new Scope(baseScope, config, nodes, snapshot.flavors(), snapshot.clusterQueues(), snapshot.localQueues());
    }

    private record NodeCards(String name, Map<String, String> labels, String register) {
    }

    private record Scope(Object base, HamiConfig config, List<Object> nodes, List<?> flavors, List<?> clusterQueues,
                         List<?> localQueues) {
    }

    /**
     * The GPU fraction of one pod set, for explanations.
     *
     * @param podSet        pod set name
     * @param pods          pods counted (spec count, or the admitted count)
     * @param perPod        GPU fraction of one pod
     * @param cardMemoryMiB card memory used (0 when no container needed it)
     * @param source        how the card memory was chosen, or empty
     */
    public record PodSetShare(String podSet, int pods, double perPod, double cardMemoryMiB, String source) {
        /** pods × perPod. */
        public double total() {
            return pods * perPod;
        }
    }

    /** {@link DemandModel.Bound} with HAMi extras. Safe for concurrent use. */
    public static final class HamiBound implements DemandModel.Bound {
        private final ClusterSnapshot snapshot;
        private final HamiConfig cfg;
        private final DemandModel.Bound base;
        private final CardInventory inventory;
        private final Set<String> vendorResources;
        private volatile HamiAllocations allocations;

        HamiBound(ClusterSnapshot snapshot, HamiConfig cfg, DemandModel.Bound base) {
            this.snapshot = snapshot;
            this.cfg = cfg;
            this.base = base;
            this.inventory = new CardInventory(snapshot, cfg);
            this.vendorResources = Set.copyOf(cfg.vendor().gpuResources());
        }

        @Override
        public ResourceVector demand(Workload workload) {
            double f = gpuFraction(workload, false);
            return replace(baseVector(base::demand, workload), f);
        }

        @Override
        public ResourceVector usage(Workload workload) {
            double f = gpuFraction(workload, true);
            return replace(baseVector(base::usage, workload), f);
        }

        /**
         * The base model's vector. HAMi's rules have already accepted the vendor's values (e.g. a percentage of -5,
         * which HAMi reads as unset); when the base model rejects the workload, it is asked again with the vendor's
         * resources removed from every container, so only errors about other resources remain.
         */
        private ResourceVector baseVector(Function<Workload, ResourceVector> f, Workload w) {
            try {
                return f.apply(w);
            } catch (IllegalArgumentException first) {
                Workload stripped = withoutVendorResources(w);
                if (stripped == w) {
                    throw first;
                }
                return f.apply(stripped);
            }
        }

        private Workload withoutVendorResources(Workload w) {
            boolean changed = false;
            List<PodSet> sets = new ArrayList<>(w.podSets().size());
            for (PodSet ps : w.podSets()) {
                List<ContainerSpec> cs = new ArrayList<>(ps.containers().size());
                for (ContainerSpec c : ps.containers()) {
                    Map<String, String> req = new TreeMap<>(c.requests());
                    Map<String, String> lim = new TreeMap<>(c.limits());
                    changed |= req.keySet().removeAll(vendorResources) | lim.keySet().removeAll(vendorResources);
                    cs.add(new ContainerSpec(c.name(), c.kind(), req, lim));
                }
                sets.add(new PodSet(ps.name(), ps.count(), ps.minCount(), cs, ps.overhead(), ps.nodeSelector(),
                        ps.annotations()));
            }
            return changed ? w.toBuilder().podSets(sets).build() : w;
        }

        @Override
        public ResourceVector capacity(Node node) {
            ResourceVector v = base.capacity(node);
            String err = inventory.error(node.name());
            if (err != null) {
                throw new IllegalArgumentException(err);
            }
            NodeRegistration r = inventory.registration(node.name());
            return replace(v, r != null ? r.healthyCards() : CardInventory.plainCards(node, cfg));
        }

        /** Which accounting each node of the snapshot got, by node name. */
        public Map<String, NodeAccounting> nodeAccounting() {
            TreeMap<String, NodeAccounting> out = new TreeMap<>();
            for (Node n : snapshot.nodes()) {
                NodeAccounting a;
                if (inventory.error(n.name()) != null) {
                    a = NodeAccounting.INVALID;
                } else if (inventory.registration(n.name()) != null) {
                    a = NodeAccounting.HAMI_FRACTIONS;
                } else if (inventory.plainGpuNode(n)) {
                    a = NodeAccounting.WHOLE_CARDS;
                } else {
                    a = NodeAccounting.NO_GPU;
                }
                out.put(n.name(), a);
            }
            return out;
        }

        /** GPU fraction a pending workload asks for (spec counts). */
        public double gpuFraction(Workload workload) {
            return gpuFraction(workload, false);
        }

        /** Per pod set breakdown; {@code admitted} uses admitted pod counts. */
        public List<PodSetShare> breakdown(Workload workload, boolean admitted) {
            List<PodSetShare> out = new ArrayList<>();
            List<PodSet> podSets = workload.podSets();
            for (int i = 0; i < podSets.size(); i++) {
                out.add(podSetShare(workload, i, admitted));
            }
            return out;
        }

        /**
         * The distinct per-card shares of the containers of {@code workloads} (e.g. the pending ones): the "common
         * request shapes" for {@link HamiAllocations#fragmentation(java.util.Collection)}. Workloads with invalid
         * GPU values are skipped.
         */
        public SortedSet<Double> requestShapes(Collection<Workload> workloads) {
            TreeSet<Double> shapes = new TreeSet<>();
            for (Workload w : workloads) {
                try {
                    for (int i = 0; i < w.podSets().size(); i++) {
                        PodSet ps = w.podSets().get(i);
                        String path = "spec.podSets[" + i + "]";
                        boolean mutex = mutex(ps);
                        CardMemoryOnce mem = new CardMemoryOnce(w, i);
                        for (ContainerSpec c : ps.containers()) {
                            GpuRequest r = GpuRequest.decode(c, cfg, containerPath(path, c));
                            if (r.cards() > 0) {
                                shapes.add(r.sharePerCard(cfg, mutex, mem));
                            }
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // reported through demand(); shapes are best effort
                }
            }
            return shapes;
        }

        /** Register-annotation decode errors of this snapshot's nodes, by node name. */
        public List<InvalidObject> invalidNodes() {
            return inventory.invalidNodes();
        }

        /** Pod-allocation based usage of this snapshot (computed once, on first use). */
        public HamiAllocations allocations() {
            HamiAllocations a = allocations;
            if (a == null) {
                synchronized (this) {
                    a = allocations;
                    if (a == null) {
                        a = HamiAllocations.compute(snapshot, cfg);
                        allocations = a;
                    }
                }
            }
            return a;
        }

        private double gpuFraction(Workload workload, boolean admitted) {
            double total = 0.0;
            for (int i = 0; i < workload.podSets().size(); i++) {
                total += podSetShare(workload, i, admitted).total();
            }
            return total;
        }

        private PodSetShare podSetShare(Workload w, int index, boolean admitted) {
            PodSet ps = w.podSets().get(index);
            int pods = ps.count();
            if (admitted && w.admission() != null) {
                for (PodSetAssignment a : w.admission().podSetAssignments()) {
                    if (a.name().equals(ps.name()) && a.count() > 0) {
                        pods = a.count();
                    }
                }
            }
            CardMemoryOnce mem = new CardMemoryOnce(w, index);
            CardInventory.Charging charging = inventory.charging(w, index);
            double perPod = podFraction(ps, "spec.podSets[" + index + "]", mem, charging.wholeCards());
            if (charging.wholeCards()) {
                return new PodSetShare(ps.name(), pods, perPod, 0.0, charging.source());
            }
            CardInventory.CardMemory used = mem.resolved;
            return new PodSetShare(ps.name(), pods, perPod, used == null ? 0.0 : used.memoryMiB(),
                    used == null ? "" : used.source());
        }

        /**
         * Kubernetes' collapse: max(Σ app + Σ sidecars, max over init of (init + sidecars before it)); whole cards
         * charge every requested card 1.0, like HAMi's mutex policy.
         */
        private double podFraction(PodSet ps, String path, DoubleSupplier cardMemory, boolean wholeCards) {
            boolean mutex = wholeCards || mutex(ps);
            double app = 0.0;
            double sidecars = 0.0;
            double initMax = 0.0;
            for (ContainerSpec c : ps.containers()) {
                double f = GpuRequest.decode(c, cfg, containerPath(path, c)).fraction(cfg, mutex, cardMemory);
                switch (c.kind()) {
                    case APP -> app += f;
                    case SIDECAR -> {
                        sidecars += f;
                        initMax = Math.max(initMax, sidecars);
                    }
                    case INIT -> initMax = Math.max(initMax, sidecars + f);
                }
            }
            return Math.max(app + sidecars, initMax);
        }

        private boolean mutex(PodSet ps) {
            String policy = cfg.vendor().gpuPolicyAnnotation();
            if (policy.isEmpty()) {
                return false;
            }
            String v = ps.annotations().get(policy);
            if (v == null) {
                return false;
            }
            for (String p : v.split(",")) {
                if (p.strip().equals("mutex")) {
                    return true;
                }
            }
            return false;
        }

        private static String containerPath(String podSetPath, ContainerSpec c) {
            return podSetPath + ".template.spec." + (c.kind() == ContainerKind.APP ? "containers" : "initContainers")
                    + "[" + c.name() + "].resources";
        }

        /** {@code v} without the vendor's resources, plus {@code fraction} under the fraction resource name. */
        private ResourceVector replace(ResourceVector v, double fraction) {
            Set<String> vendor = vendorResources;
            boolean touched = fraction != 0.0;
            for (String r : v.resources()) {
                if (vendor.contains(r)) {
                    touched = true;
                    break;
                }
            }
            if (!touched) {
                return v;
            }
            TreeMap<String, Double> m = new TreeMap<>();
            for (Map.Entry<String, Double> e : v.asMap().entrySet()) {
                if (!vendor.contains(e.getKey())) {
                    m.put(e.getKey(), e.getValue());
                }
            }
            if (fraction != 0.0) {
                m.merge(cfg.fractionResource(), fraction, Double::sum);
            }
            return ResourceVector.of(m);
        }

        /** Resolves the pod set's card memory at most once, and only when a container needs it. */
        private final class CardMemoryOnce implements DoubleSupplier {
            private final Workload w;
            private final int index;
            private CardInventory.CardMemory resolved;

            CardMemoryOnce(Workload w, int index) {
                this.w = w;
                this.index = index;
            }

            @Override
            public double getAsDouble() {
                if (resolved == null) {
                    resolved = inventory.cardMemory(w, index);
                }
                return resolved.memoryMiB();
            }
        }
    }
}
