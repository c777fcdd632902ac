package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ContextBuilder} across cycles: a context is built again only when something it reads changed.
 *
 * <p>When the shared inputs (nodes, queues, flavors, namespaces, the snapshot's own invalid list, the demand model's
 * reuse scope) and every workload are the same (identical or equal objects) as in the last cycle, the last context is
 * reused with only each pending workload's wait moved to {@code now}. When workloads changed only in what a priority
 * write touches (spec.priority, the boost, resourceVersion, WDRF's explanation and boost annotations: nothing the
 * context builder reads), the context is reused too, carrying the new workload objects. Any other change is a full
 * build; its demand, usage and capacity vectors come from the {@link DemandCache}, so only changed objects are
 * evaluated. (Levels are entitlement-relative, Σ over the active tenants' weights, so no tenant's part can be
 * rebuilt alone.) The result equals a full build of the same snapshot ({@code IncrementalEvaluationPropertyTest}).
 *
 * <p>Holds the last snapshot's context only. Not thread-safe: the engine serialises cycles.
 */
final class IncrementalContext {

    private final PolicyConfig config;
    private final ContextBuilder builder;
    private final DemandCache cache;

    /** Shared inputs of the last cycle (identity compared), or null before the first. */
    private ClusterSnapshot shared;
    private Object scope;
    private List<InvalidObject> sharedInvalid = List.of();
    private io.wdrf.api.ResourceVector capacity;
    /** Tenant → its workloads and state of the last cycle. */
    private Map<String, Part> parts = new HashMap<>();
    /** The last context's pending (by workload id), ClusterQueues, notes and workload errors (by workload id). */
    private List<PendingWorkload> pending = List.of();
    private Map<WorkloadId, String> clusterQueueOf = Map.of();
    private Map<WorkloadId, String> notes = Map.of();
    private List<InvalidObject> workloadInvalid = List.of();
    /** The last snapshot's workloads and its result (reused while nothing changed). */
    private List<Workload> lastWorkloads = List.of();
    private ContextBuilder.Built last;
    private long fullBuilds;
    private long partialBuilds;
    /** True when the last build returned a context equal in everything to the one before (same now too). */
    private boolean unchanged;
    private long cycles;

    private record Part(List<Workload> inputs, TenantState state) {
    }

    IncrementalContext(PolicyConfig config, DemandCache cache) {
        this.config = config;
        this.cache = cache;
        this.builder = new ContextBuilder(config, cache);
    }

    long fullBuilds() {
        return fullBuilds;
    }

    long partialBuilds() {
        return partialBuilds;
    }

    /**
     * True when the last {@link #build} changed nothing but the snapshot object: same shared inputs, same or equal
     * workloads, same instant. A pure policy then decides exactly as in the cycle before.
     */
    boolean unchanged() {
        return unchanged;
    }

    /** Number of builds so far (identifies a cycle). */
    long cycles() {
        return cycles;
    }

    ContextBuilder.Built build(ClusterSnapshot snapshot, Instant now) {
        unchanged = false;
        cycles++;
        try {
            return buildIncrementally(snapshot, now);
        } catch (RuntimeException | Error e) {
            reset(); // the next cycle starts from scratch
            throw e;
        }
    }

    private void reset() {
        last = null;
        lastWorkloads = List.of();
        shared = null;
        scope = null;
        parts = new HashMap<>();
        pending = List.of();
        clusterQueueOf = Map.of();
        notes = Map.of();
        workloadInvalid = List.of();
    }

    private ContextBuilder.Built buildIncrementally(ClusterSnapshot snapshot, Instant now) {
        Object s = cache.reuseScope(snapshot);
        if (s == null) { // no reuse promised: a plain build, nothing kept
            reset();
            fullBuilds++;
            ContextBuilder.Built all = builder.build(snapshot, now);
            cache.endCycle(List.of(), true);
            return all;
        }
        boolean sameShared = shared != null && s.equals(scope) && sameSharedInputs(shared, snapshot);
        if (sameShared && last != null && sameElements(lastWorkloads, snapshot.workloads())) {
            return again(snapshot, now); // nothing changed: only the waits move
        }
        TenantResolver tenants = new TenantResolver(config.tenantKey(), snapshot.localQueues());
        Map<String, List<Workload>> byTenant = partition(snapshot.workloads(), tenants);
        if (!sameShared) {
            return remember(snapshot, full(snapshot, now, s, byTenant));
        }
        Set<String> changed = new HashSet<>();
        Map<WorkloadId, Workload> rewritten = new HashMap<>(); // changed only in what WDRF writes
        for (Map.Entry<String, List<Workload>> e : byTenant.entrySet()) {
            Part p = parts.get(e.getKey());
            if (p == null || !sameOrRewritten(p.inputs(), e.getValue(), rewritten)) {
                changed.add(e.getKey());
            }
        }
        for (String t : parts.keySet()) {
            if (!byTenant.containsKey(t)) {
                changed.add(t);
            }
        }
        if (!changed.isEmpty()) {
            // levels are entitlement-relative (Σ of the active tenants' weights), so a tenant's part is not
            // independent of the others: any real change is a full build (the vectors still come from the cache)
            return remember(snapshot, full(snapshot, now, s, byTenant));
        }
        partialBuilds++;
        Map<String, Part> next = new HashMap<>(parts);
        for (Map.Entry<String, List<Workload>> e : byTenant.entrySet()) {
            Part p = next.get(e.getKey());
            if (p.inputs() != e.getValue()) {
                next.put(e.getKey(), new Part(e.getValue(), p.state()));
            }
        }
        parts = next;
        return remember(snapshot, assemble(snapshot, now, List.of(), changed, rewritten));
    }

    private ContextBuilder.Built remember(ClusterSnapshot snapshot, ContextBuilder.Built built) {
        lastWorkloads = snapshot.workloads();
        last = built;
        return built;
    }

    /** The last context at {@code now}, over {@code snapshot} (whose objects equal the last one's). */
    private ContextBuilder.Built again(ClusterSnapshot snapshot, Instant now) {
        PolicyContext prev = last.context();
        List<PendingWorkload> moved = prev.pending();
        unchanged = now.equals(prev.now());
        if (!unchanged) {
            moved = new ArrayList<>(prev.pending().size());
            for (PendingWorkload p : prev.pending()) {
                moved.add(waitedAt(p, now, null));
            }
            pending = moved;
        }
        PolicyContext ctx = new PolicyContext(snapshot, now, config, prev.capacity(), prev.tenants(), moved);
        last = new ContextBuilder.Built(ctx, last.invalid(), last.clusterQueueOf(), last.notes(), last.admitted());
        lastWorkloads = snapshot.workloads();
        return last;
    }

    private ContextBuilder.Built full(ClusterSnapshot snapshot, Instant now, Object s, Map<String, List<Workload>> byTenant) {
        fullBuilds++;
        // the shared part alone: capacity, node and namespace errors (no workloads)
        ContextBuilder.Built global = builder.build(withWorkloads(snapshot, List.of()), now);
        ContextBuilder.Built all = builder.build(snapshot, now);
        cache.endCycle(List.of(), true);
        shared = snapshot;
        scope = s;
        sharedInvalid = global.invalid();
        capacity = global.context().capacity();
        Map<String, Part> next = new HashMap<>();
        for (Map.Entry<String, List<Workload>> e : byTenant.entrySet()) {
            next.put(e.getKey(), new Part(e.getValue(), all.context().tenants().get(e.getKey())));
        }
        parts = next;
        pending = all.context().pending();
        clusterQueueOf = all.clusterQueueOf();
        notes = all.notes();
        workloadInvalid = List.copyOf(all.invalid().subList(sharedInvalid.size(), all.invalid().size()));
        return all;
    }

    /** Merges the kept pending with the rebuilt ones (by workload id) and the kept states with the new ones. */
    private ContextBuilder.Built assemble(ClusterSnapshot snapshot, Instant now, List<PendingWorkload> rebuilt,
                                          Set<String> changed, Map<WorkloadId, Workload> rewritten) {
        List<PendingWorkload> merged = new ArrayList<>(pending.size() + rebuilt.size());
        int j = 0;
        for (PendingWorkload p : pending) {
            if (changed.contains(p.tenant())) {
                continue;
            }
            while (j < rebuilt.size() && rebuilt.get(j).id().compareTo(p.id()) < 0) {
                merged.add(rebuilt.get(j++));
            }
            merged.add(waitedAt(p, now, rewritten.isEmpty() ? null : rewritten.get(p.id())));
        }
        while (j < rebuilt.size()) {
            merged.add(rebuilt.get(j++));
        }
        pending = merged;
        TreeMap<String, TenantState> states = new TreeMap<>();
        for (Map.Entry<String, Part> e : parts.entrySet()) {
            if (e.getValue().state() != null) {
                states.put(e.getKey(), e.getValue().state());
            }
        }
        List<InvalidObject> invalid = new ArrayList<>(sharedInvalid.size() + workloadInvalid.size());
        invalid.addAll(sharedInvalid); // the snapshot's own, then node and namespace errors (equal inputs: equal errors)
        invalid.addAll(workloadInvalid);
        PolicyContext ctx = new PolicyContext(snapshot, now, config, capacity, states, merged);
        List<ContextBuilder.AdmittedWorkload> admitted = last.admitted();
        if (!rewritten.isEmpty()) {
            admitted = new ArrayList<>(last.admitted().size());
            for (ContextBuilder.AdmittedWorkload a : last.admitted()) {
                Workload w = rewritten.get(a.workload().id());
                admitted.add(w == null ? a : new ContextBuilder.AdmittedWorkload(w, a.tenant(), a.workloadClass(), a.levelWithout()));
            }
        }
        return new ContextBuilder.Built(ctx, invalid, clusterQueueOf, notes, admitted);
    }

    /**
     * True when {@code now} holds the same workloads as {@code before} apart from what a priority write changes
     * (spec.priority, the boost, resourceVersion, WDRF's explanation and boost annotations): nothing the context
     * builder reads. Such workloads are put in {@code rewritten}; the tenant keeps its part.
     */
    private static boolean sameOrRewritten(List<Workload> before, List<Workload> now, Map<WorkloadId, Workload> rewritten) {
        if (before == now) {
            return true;
        }
        if (before.size() != now.size()) {
            return false;
        }
        List<Workload> found = null;
        for (int i = 0; i < before.size(); i++) {
            Workload a = before.get(i);
            Workload b = now.get(i);
            if (a == b || a.equals(b)) {
                continue;
            }
            if (!onlyRewritten(a, b)) {
                return false;
            }
            if (found == null) {
                found = new ArrayList<>();
            }
            found.add(b);
        }
        if (found != null) {
            for (Workload w : found) {
                rewritten.put(w.id(), w);
            }
        }
        return true;
    }

    private static boolean onlyRewritten(Workload a, Workload b) {
        return a.id().equals(b.id()) && a.uid().equals(b.uid()) && a.queueName().equals(b.queueName())
                && java.util.Objects.equals(a.clusterQueue(), b.clusterQueue()) && a.labels().equals(b.labels())
                && a.creationTime().equals(b.creationTime())
                && java.util.Objects.equals(a.lastEvictionTime(), b.lastEvictionTime())
                && a.podSets().equals(b.podSets()) && java.util.Objects.equals(a.priorityClassName(), b.priorityClassName())
                && a.active() == b.active() && a.trueConditions().equals(b.trueConditions())
                && java.util.Objects.equals(a.admission(), b.admission())
                && sameAnnotationsBesidesWrites(a.annotations(), b.annotations());
    }

    private static boolean sameAnnotationsBesidesWrites(Map<String, String> a, Map<String, String> b) {
        if (a.equals(b)) {
            return true;
        }
        Map<String, String> x = new HashMap<>(a);
        Map<String, String> y = new HashMap<>(b);
        for (String k : WRITTEN_ANNOTATIONS) {
            x.remove(k);
            y.remove(k);
        }
        return x.equals(y);
    }

    private static final List<String> WRITTEN_ANNOTATIONS = List.of(Workload.PRIORITY_BOOST,
            io.wdrf.api.PriorityUpdate.EXPLANATION_ANNOTATION);

    /**
     * The kept workload at {@code now} (the context builder's wait: never negative), carrying {@code replacement}
     * (its re-prioritised version) when not null.
     */
    private static PendingWorkload waitedAt(PendingWorkload p, Instant now, Workload replacement) {
        Duration waited = Duration.between(p.workload().queueOrderTime(), now);
        if (waited.isNegative()) {
            waited = Duration.ZERO;
        }
        Workload w = replacement != null ? replacement : p.workload();
        return waited.equals(p.waited()) && w == p.workload() ? p
                : new PendingWorkload(w, p.tenant(), p.workloadClass(), p.demand(), p.level(), waited);
    }

    private static Map<String, List<Workload>> partition(List<Workload> workloads, TenantResolver tenants) {
        Map<String, List<Workload>> m = new LinkedHashMap<>();
        for (Workload w : workloads) {
            m.computeIfAbsent(tenants.tenant(w), k -> new ArrayList<>()).add(w);
        }
        return m;
    }

    private static ClusterSnapshot withWorkloads(ClusterSnapshot s, List<Workload> workloads) {
        return new ClusterSnapshot(s.takenAt(), workloads, s.nodes(), s.pods(), s.clusterQueues(), s.localQueues(),
                s.flavors(), s.namespaces(), s.invalid());
    }

    private static boolean sameSharedInputs(ClusterSnapshot a, ClusterSnapshot b) {
        return sameElements(a.nodes(), b.nodes()) && sameElements(a.clusterQueues(), b.clusterQueues())
                && sameElements(a.localQueues(), b.localQueues()) && sameElements(a.flavors(), b.flavors())
                && sameElements(a.namespaces(), b.namespaces()) && a.invalid().equals(b.invalid());
    }

    /** Same size and, in the same order, the same objects or equal ones (a relist re-creates equal records). */
    private static boolean sameElements(List<?> a, List<?> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x != y && !x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "IncrementalContext[full=" + fullBuilds + ", partial=" + partialBuilds + ", tenants=" + parts.size() + "]";
    }
}
