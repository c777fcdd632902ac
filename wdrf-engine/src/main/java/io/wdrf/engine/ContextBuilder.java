package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Phase;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@link PolicyContext} of one cycle: demand, usage, capacity, tenant shares and progressive-filling
 * levels (entitlement-relative, see {@link Points}). A workload or node the demand model rejects is skipped and
 * reported; it never fails the cycle.
 */
final class ContextBuilder {

    private final PolicyConfig config;
    private final DemandModel demandModel;

    ContextBuilder(PolicyConfig config, DemandModel demandModel) {
        this.config = config;
        this.demandModel = demandModel;
    }

    /** The context plus what the engine needs beyond it. */
    record Built(PolicyContext context, List<InvalidObject> invalid, Map<WorkloadId, String> clusterQueueOf,
                 Map<WorkloadId, String> notes, List<AdmittedWorkload> admitted) {
    }

    /**
     * An admitted workload as the preemption modes see it.
     *
     * @param workload     the workload
     * @param tenant       its tenant
     * @param workloadClass its honoured class
     * @param levelWithout the tenant's entitlement-relative level without this workload's usage (same units as
     *                     {@link PendingWorkload#level()}); computed only for {@code preemption = fair}, else NaN
     */
    record AdmittedWorkload(Workload workload, String tenant, String workloadClass, double levelWithout) {
    }

    private record AdmittedUsage(Workload workload, String tenant, ResourceVector usage) {
    }

    /**
     * The workloads (sorted by id) without any whose id is listed more than once, each such id reported once. A view
     * keyed by id never lists one twice; a hand-built snapshot may, and which copy is right cannot be told, so none
     * is evaluated (the rest of the cluster is), independently of the order they were listed in.
     */
    static List<Workload> withoutDuplicateIds(List<Workload> sorted, List<InvalidObject> invalid) {
        List<Workload> out = null;
        int i = 0;
        while (i < sorted.size()) {
            int j = i + 1;
            while (j < sorted.size() && sorted.get(j).id().equals(sorted.get(i).id())) {
                j++;
            }
            if (j - i > 1) {
                if (out == null) {
                    out = new ArrayList<>(sorted.subList(0, i));
                }
                WorkloadId id = sorted.get(i).id();
                invalid.add(new InvalidObject("Workload", id.namespace(), id.name(), "listed " + (j - i)
                        + " times in the snapshot; none of the copies is evaluated until it is listed once"));
            } else if (out != null) {
                out.add(sorted.get(i));
            }
            i = j;
        }
        return out == null ? sorted : out;
    }

    Built build(ClusterSnapshot snapshot, Instant now) {
        List<InvalidObject> invalid = new ArrayList<>(snapshot.invalid());
        DemandModel.Bound bound = demandModel.bind(snapshot);
        TenantResolver tenants = new TenantResolver(config, snapshot.localQueues());
        ClassResolver classes = new ClassResolver(config);
        FlavorShares flavors = FlavorShares.of(snapshot); // share keys per flavor; splits nothing on one-flavor clusters

        ResourceVector capacity = capacity(snapshot, bound, flavors, invalid);
        Set<String> ignoredWeights = new HashSet<>();
        Map<String, Double> weights = tenantWeights(snapshot, tenants, invalid, ignoredWeights);

        // usage and pending, per tenant; sorted workloads make everything independent of input order
        List<Workload> workloads = new ArrayList<>(snapshot.workloads());
        workloads.sort(Comparator.comparing(Workload::id));
        workloads = withoutDuplicateIds(workloads, invalid);
        Collected c = new Collected(workloads.size());
        for (Workload w : workloads) {
            collect(w, c, tenants, classes, flavors, bound, ignoredWeights, invalid);
        }

        Shares shares = new Shares(config, capacity);
        TreeSet<String> allTenants = new TreeSet<>(c.usage.keySet());
        allTenants.addAll(c.pendingByTenant.keySet());
        Map<String, TenantState> states = new TreeMap<>();
        List<PendingWorkload> pending = new ArrayList<>();
        double activeWeight = activeWeight(allTenants, weights);
        for (String t : allTenants) {
            fill(t, c, weights, shares, activeWeight, now, states, pending);
        }
        pending.sort(Comparator.comparing(PendingWorkload::id));
        PolicyContext ctx = new PolicyContext(snapshot, now, config, capacity, states, pending);
        return new Built(ctx, invalid, c.clusterQueueOf, c.notes, admitted(c.admittedUsage, states, shares, classes,
                activeWeight));
    }

    /**
     * What {@link #build} collects per tenant from the workloads. The per-workload and per-tenant steps are methods of
     * their own so that the JIT compiles them early and small: one method holding both loops was compiled twice (on
     * stack replacement, then whole) for over a second each on a two-core machine while the build ran interpreted.
     */
    private static final class Collected {
        final Map<String, ResourceVector> usage = new TreeMap<>();
        final Map<String, Integer> admittedCount = new TreeMap<>();
        final Map<String, List<Candidate>> pendingByTenant = new TreeMap<>();
        final Map<WorkloadId, String> clusterQueueOf;
        final Map<WorkloadId, String> notes = new HashMap<>();
        final List<AdmittedUsage> admittedUsage = new ArrayList<>();

        Collected(int workloads) {
            clusterQueueOf = new HashMap<>(workloads * 2);
        }
    }

    /** One workload of a build: its usage (admitted) or candidate (admissible pending), else nothing; errors listed. */
    private void collect(Workload w, Collected c, TenantResolver tenants, ClassResolver classes, FlavorShares flavors,
                         DemandModel.Bound bound, Set<String> ignoredWeights, List<InvalidObject> invalid) {
        Phase phase = w.phase();
        if (phase == Phase.FINISHED) {
            return;
        }
        String tenant = tenants.tenant(w);
        String cq = tenants.clusterQueue(w);
        if (cq != null) {
            c.clusterQueueOf.put(w.id(), cq);
        }
        try {
            if (phase == Phase.ADMITTED) {
                ResourceVector u = flavors.admitted(w, bound.usage(w), cq);
                c.usage.merge(tenant, u, ResourceVector::plus);
                c.admittedCount.merge(tenant, 1, Integer::sum);
                c.admittedUsage.add(new AdmittedUsage(w, tenant, u));
            } else if (w.isAdmissible()) {
                ResourceVector demand = flavors.pending(w, bound.demand(w), cq);
                ClassResolver.Resolved cls = classes.resolve(w);
                String note = joined(joined(cls.note(), tenants.note(w)),
                        ignoredWeights.contains(w.id().namespace()) ? IGNORED_WEIGHT_NOTE : null);
                if (note != null) {
                    c.notes.put(w.id(), note);
                }
                c.pendingByTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new Candidate(w, demand,
                        cls.workloadClass(), config.priorityWeights().get(cls.workloadClass()), w.queueOrderTime()));
            }
        } catch (RuntimeException e) {
            invalid.add(new InvalidObject("Workload", w.id().namespace(), w.id().name(), String.valueOf(e.getMessage())));
        }
    }

    /** One tenant of a build: its state, and its candidates' levels by progressive filling, added to {@code pending}. */
    private void fill(String t, Collected c, Map<String, Double> weights, Shares shares, double activeWeight,
                      Instant now, Map<String, TenantState> states, List<PendingWorkload> pending) {
        double w = weights.getOrDefault(t, config.tenantWeight(t));
        ResourceVector u = c.usage.getOrDefault(t, ResourceVector.empty());
        double[] cum = shares.normalized(u);
        Shares.Dominant dom = shares.dominant(cum);
        List<Candidate> cands = c.pendingByTenant.getOrDefault(t, List.of());
        states.put(t, new TenantState(t, w, u, dom.share() / w, dom.resource(), c.admittedCount.getOrDefault(t, 0),
                cands.size()));
        // progressive filling within the tenant: class desc, queue-order time asc, name asc
        List<Candidate> ordered = new ArrayList<>(cands);
        ordered.sort(WITHIN_TENANT);
        double toLevel = activeWeight / w;
        double level = dom.share() * toLevel;
        for (Candidate cand : ordered) {
            pending.add(new PendingWorkload(cand.workload(), t, cand.workloadClass(), cand.demand(), level,
                    waited(cand.workload(), now)));
            shares.addInPlace(cum, cand.demand());
            level = shares.dominant(cum).share() * toLevel;
        }
    }

    /** Admitted workloads with class and (for {@code fair}) the tenant's level without each; empty for never/allow. */
    private List<AdmittedWorkload> admitted(List<AdmittedUsage> admittedUsage, Map<String, TenantState> states, Shares shares,
                                            ClassResolver classes, double activeWeight) {
        io.wdrf.api.PreemptionMode mode = config.preemption();
        if (mode == io.wdrf.api.PreemptionMode.NEVER || mode == io.wdrf.api.PreemptionMode.ALLOW) {
            return List.of();
        }
        boolean fair = mode == io.wdrf.api.PreemptionMode.FAIR;
        Map<String, double[]> tenantUsage = new HashMap<>();
        List<AdmittedWorkload> out = new ArrayList<>(admittedUsage.size());
        for (AdmittedUsage a : admittedUsage) {
            double levelWithout = Double.NaN;
            if (fair) {
                levelWithout = levelWithout(shares, tenantUsage, states.get(a.tenant()), a.usage(), activeWeight);
            }
            out.add(new AdmittedWorkload(a.workload(), a.tenant(), classes.resolve(a.workload()).workloadClass(), levelWithout));
        }
        return out;
    }

    /** A pending workload's wait at {@code now}: time since its queue-order timestamp, never negative. */
    static Duration waited(Workload w, Instant now) {
        Duration waited = Duration.between(w.queueOrderTime(), now);
        return waited.isNegative() ? Duration.ZERO : waited;
    }

    /** {@code p} at {@code now}: the same object when its wait is unchanged, else a copy with the new wait. */
    static PendingWorkload waitedAt(PendingWorkload p, Instant now) {
        return withWait(p, waited(p.workload(), now));
    }

    /**
     * {@code p}, whose wait was taken at {@code from}, at {@code now}: as {@link #waitedAt(PendingWorkload, Instant)}.
     * A positive wait was not clamped, so it is {@code from − queue-order time} and moves by {@code now − from}
     * exactly (Durations are integer seconds and nanoseconds); only a zero wait is taken from the workload again —
     * at 100k pending, reading every workload's queue-order time is a cache miss per workload.
     */
    static PendingWorkload waitedAt(PendingWorkload p, Instant from, Instant now) {
        Duration waited = moved(p.waited(), from, now);
        return withWait(p, waited != null ? waited : waited(p.workload(), now));
    }

    /** {@code p} with the wait {@code waited}: the same object when it is unchanged. */
    private static PendingWorkload withWait(PendingWorkload p, Duration waited) {
        return waited.equals(p.waited()) ? p
                : new PendingWorkload(p.workload(), p.tenant(), p.workloadClass(), p.demand(), p.level(), waited);
    }

    /** A wait taken at {@code from}, at {@code now} ({@link #waited} of the same workload); null when it was zero. */
    static Duration moved(Duration waited, Instant from, Instant now) {
        if (waited.isZero() || waited.isNegative()) {
            return null; // maybe clamped: the workload's queue-order time decides
        }
        Duration at = waited.plus(Duration.between(from, now));
        return at.isNegative() ? Duration.ZERO : at;
    }

    /**
     * The tenant's entitlement-relative level without one admitted workload's usage (mode {@code fair}); the
     * tenant's normalised usage is computed once per tenant into {@code tenantUsage}.
     */
    static double levelWithout(Shares shares, Map<String, double[]> tenantUsage, TenantState t, ResourceVector usage,
                               double activeWeight) {
        double[] all = tenantUsage.computeIfAbsent(t.name(), k -> shares.normalized(t.usage()));
        double[] mine = shares.normalized(usage);
        double[] rest = new double[all.length];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = Math.max(0.0, all[i] - mine[i]);
        }
        return shares.dominant(rest).share() * activeWeight / t.weight();
    }

    /**
     * Σ of the weights of the tenants with work (pending or admitted), the denominator of the entitlement: tenant t
     * is entitled to {@code w_t / Σ_active w} of the dominant resource, so {@code level = share · Σ_active w / w_t} is
     * 1.0 exactly at the entitlement. Summed in name order so that the result never depends on hash order.
     */
    double activeWeight(java.util.Collection<String> active, Map<String, Double> weights) {
        double sum = 0;
        for (String t : active) {
            sum += weights.getOrDefault(t, config.tenantWeight(t));
        }
        return sum;
    }

    ResourceVector capacity(ClusterSnapshot snapshot, DemandModel.Bound bound, FlavorShares flavors,
                            List<InvalidObject> invalid) {
        List<Node> nodes = new ArrayList<>(snapshot.nodes());
        nodes.sort(Comparator.comparing(Node::name));
        ResourceVector fromNodes = ResourceVector.empty();
        for (Node n : nodes) {
            if (!n.schedulable()) {
                continue;
            }
            try {
                fromNodes = fromNodes.plus(flavors.node(n, bound.capacity(n)));
            } catch (RuntimeException e) {
                invalid.add(new InvalidObject("Node", "", n.name(), String.valueOf(e.getMessage())));
            }
        }
        List<ClusterQueueInfo> cqs = new ArrayList<>(snapshot.clusterQueues());
        cqs.sort(Comparator.comparing(ClusterQueueInfo::name));
        ResourceVector fromQuota = ResourceVector.empty();
        for (ClusterQueueInfo cq : cqs) {
            fromQuota = fromQuota.plus(flavors.nominal(cq));
        }
        switch (config.typedCapacitySource()) {
            case NODES:
                return fromNodes;
            case QUOTA:
                return fromQuota;
            default: {
                // nodes where they carry the resource, else quota (autoscaled pools have no nodes for pending types)
                TreeMap<String, Double> m = new TreeMap<>(fromQuota.asMap());
                m.putAll(fromNodes.asMap());
                return ResourceVector.of(m);
            }
        }
    }

    /** Bounds of the namespace weight annotation: a tenant cannot make itself 10^300 times more important. */
    static final double MIN_NAMESPACE_WEIGHT = 0.01;
    static final double MAX_NAMESPACE_WEIGHT = 100;

    /** User data for a message: at most 40 characters, control characters escaped. */
    private static String escaped(String raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length() && i < 40; i++) {
            char c = raw.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return raw.length() > 40 ? b + "..." : b.toString();
    }

    static final String IGNORED_WEIGHT_NOTE = io.wdrf.api.TenantInputs.Ignored.NAMESPACE_WEIGHT.marker()
            + "the namespace annotation " + NamespaceInfo.WEIGHT_ANNOTATION + " is not honoured "
            + "(tenant-inputs.namespace-weights = false); the configured tenant weight applies";

    static String joined(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    Map<String, Double> tenantWeights(ClusterSnapshot snapshot, TenantResolver tenants, List<InvalidObject> invalid,
                                      Set<String> ignored) {
        Map<String, Double> weights = new HashMap<>();
        if (!tenants.namespaceTenants()) {
            return weights;
        }
        for (NamespaceInfo ns : snapshot.namespaces()) {
            String raw = ns.annotations().get(NamespaceInfo.WEIGHT_ANNOTATION);
            if (raw == null) {
                continue;
            }
            if (!config.tenantInputs().namespaceWeights()) {
                ignored.add(ns.name()); // tenant-controlled: the operator's weights apply (issue 13.7)
                continue;
            }
            try {
                double w = raw.length() > 32 ? Double.NaN : Double.parseDouble(raw.trim());
                if (!(w >= MIN_NAMESPACE_WEIGHT && w <= MAX_NAMESPACE_WEIGHT)) {
                    throw new NumberFormatException("out of range");
                }
                weights.put(ns.name(), w);
            } catch (NumberFormatException e) {
                invalid.add(new InvalidObject("Namespace", "", ns.name(), "metadata.annotations." + NamespaceInfo.WEIGHT_ANNOTATION
                        + ": '" + escaped(raw) + "' is not a number in [" + MIN_NAMESPACE_WEIGHT + ", "
                        + MAX_NAMESPACE_WEIGHT + "]; using the configured weight"));
            }
        }
        return weights;
    }

    private record Candidate(Workload workload, ResourceVector demand, String workloadClass, long classWeight,
                             Instant queueOrderTime) {
    }

    /** Progressive-filling order inside a tenant: class weight desc, queue-order time asc, id asc. */
    private static final Comparator<Candidate> WITHIN_TENANT = (x, y) -> {
        int c = Long.compare(y.classWeight(), x.classWeight());
        if (c != 0) {
            return c;
        }
        c = x.queueOrderTime().compareTo(y.queueOrderTime());
        return c != 0 ? c : x.workload().id().compareTo(y.workload().id());
    };
}
