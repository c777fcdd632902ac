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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ContextBuilder} across cycles: only the tenants whose workloads changed are built again.
 *
 * <p>What a tenant gets from the context builder (its state, its pending workloads with their levels, their
 * ClusterQueues, notes and errors) depends on the tenant's own workloads and on the inputs every tenant shares
 * (nodes, queues, flavors, namespaces, the snapshot's own invalid list, the demand model's reuse scope) — not on
 * other tenants. So when the shared inputs are the same (identical or equal) as in the last cycle, the tenants whose list of
 * workloads is element-for-element the same (identical or equal objects) keep their part, and the context builder runs on a snapshot
 * of the changed tenants only; the parts are merged in the builder's own orders (pending and errors by workload
 * id, tenants by name). Time enters only through each pending workload's wait, recomputed for every kept one.
 * Anything else (first cycle, shared inputs changed, a demand model without reuse scope) is a full build. The
 * result equals a full build of the same snapshot ({@code IncrementalEvaluationPropertyTest}).
 *
 * <p>Holds the last snapshot's parts only. Not thread-safe: the engine serialises cycles.
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
    /** Tenant → its part of the last cycle. */
    private Map<String, Part> parts = new HashMap<>();
    /** All pending of the last cycle, by workload id (as the context builder orders them). */
    private List<PendingWorkload> pending = List.of();
    /** The last snapshot's workloads and the maps assembled for them (reused while nothing changed). */
    private List<Workload> lastWorkloads = List.of();
    private ContextBuilder.Built last;
    private long fullBuilds;
    private long partialBuilds;

    private record Part(List<Workload> inputs, TenantState state, Map<WorkloadId, String> clusterQueueOf,
                        Map<WorkloadId, String> notes, List<InvalidObject> invalid) {
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

    ContextBuilder.Built build(ClusterSnapshot snapshot, Instant now) {
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
        for (Map.Entry<String, List<Workload>> e : byTenant.entrySet()) {
            Part p = parts.get(e.getKey());
            if (p == null || !sameElements(p.inputs(), e.getValue())) {
                changed.add(e.getKey());
            }
        }
        for (String t : parts.keySet()) {
            if (!byTenant.containsKey(t)) {
                changed.add(t);
            }
        }
        if (changed.isEmpty()) { // e.g. the same workloads in another order
            return remember(snapshot, assemble(snapshot, now, List.of(), null));
        }
        partialBuilds++;
        List<Workload> rebuilt = new ArrayList<>();
        List<WorkloadId> gone = new ArrayList<>();
        for (String t : changed) {
            List<Workload> now0 = byTenant.get(t);
            if (now0 != null) {
                rebuilt.addAll(now0);
            }
            Part old = parts.get(t);
            if (old != null) {
                Set<WorkloadId> still = new HashSet<>();
                if (now0 != null) {
                    for (Workload w : now0) {
                        still.add(w.id());
                    }
                }
                for (Workload w : old.inputs()) {
                    if (!still.contains(w.id())) {
                        gone.add(w.id());
                    }
                }
            }
        }
        ContextBuilder.Built sub = builder.build(withWorkloads(snapshot, rebuilt), now);
        cache.endCycle(gone, false);
        List<InvalidObject> subInvalid = sub.invalid().subList(sharedInvalid.size(), sub.invalid().size());
        Map<String, Part> next = new HashMap<>(parts);
        for (String t : changed) {
            next.remove(t);
        }
        split(sub, subInvalid, byTenant, changed, tenants, next);
        parts = next;
        return remember(snapshot, assemble(snapshot, now, sub.context().pending(), changed));
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
        if (!now.equals(prev.now())) {
            moved = new ArrayList<>(prev.pending().size());
            for (PendingWorkload p : prev.pending()) {
                moved.add(waitedAt(p, now));
            }
            pending = moved;
        }
        PolicyContext ctx = new PolicyContext(snapshot, now, config, prev.capacity(), prev.tenants(), moved);
        last = new ContextBuilder.Built(ctx, last.invalid(), last.clusterQueueOf(), last.notes());
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
        List<InvalidObject> workloadInvalid = all.invalid().subList(sharedInvalid.size(), all.invalid().size());
        Map<String, Part> next = new HashMap<>();
        split(all, workloadInvalid, byTenant, byTenant.keySet(), new TenantResolver(config.tenantKey(),
                snapshot.localQueues()), next);
        parts = next;
        pending = all.context().pending();
        return all;
    }

    /** Splits a build's results into per-tenant parts for {@code tenants}. */
    private void split(ContextBuilder.Built b, List<InvalidObject> workloadInvalid, Map<String, List<Workload>> byTenant,
                       Collection<String> tenants, TenantResolver resolver, Map<String, Part> into) {
        Map<String, Map<WorkloadId, String>> cq = new HashMap<>();
        Map<WorkloadId, String> tenantOf = new HashMap<>();
        for (String t : tenants) {
            List<Workload> ws = byTenant.get(t);
            if (ws == null) {
                continue;
            }
            Map<WorkloadId, String> m = new HashMap<>();
            for (Workload w : ws) {
                String q = b.clusterQueueOf().get(w.id());
                if (q != null) {
                    m.put(w.id(), q);
                }
                tenantOf.put(w.id(), t);
            }
            cq.put(t, m);
        }
        Map<String, Map<WorkloadId, String>> notes = new HashMap<>();
        b.notes().forEach((id, note) -> notes.computeIfAbsent(tenantOf.get(id), k -> new HashMap<>()).put(id, note));
        Map<String, List<InvalidObject>> invalid = new HashMap<>();
        for (InvalidObject o : workloadInvalid) {
            String t = tenantOf.get(new WorkloadId(o.namespace(), o.name()));
            invalid.computeIfAbsent(t, k -> new ArrayList<>()).add(o);
        }
        for (String t : tenants) {
            List<Workload> ws = byTenant.get(t);
            if (ws == null) {
                continue;
            }
            into.put(t, new Part(ws, b.context().tenants().get(t), cq.getOrDefault(t, Map.of()),
                    notes.getOrDefault(t, Map.of()), invalid.getOrDefault(t, List.of())));
        }
    }

    /** Merges the kept parts with the rebuilt ones in the context builder's orders. */
    private ContextBuilder.Built assemble(ClusterSnapshot snapshot, Instant now, List<PendingWorkload> rebuilt,
                                          Set<String> changed) {
        List<PendingWorkload> kept;
        if (changed == null) {
            kept = pending;
        } else {
            kept = new ArrayList<>(pending.size());
            for (PendingWorkload p : pending) {
                if (!changed.contains(p.tenant())) {
                    kept.add(p);
                }
            }
        }
        List<PendingWorkload> merged = new ArrayList<>(kept.size() + rebuilt.size());
        int i = 0;
        int j = 0;
        while (i < kept.size() || j < rebuilt.size()) {
            if (j >= rebuilt.size() || (i < kept.size() && kept.get(i).id().compareTo(rebuilt.get(j).id()) < 0)) {
                merged.add(waitedAt(kept.get(i++), now));
            } else {
                merged.add(rebuilt.get(j++));
            }
        }
        pending = merged;

        TreeMap<String, TenantState> states = new TreeMap<>();
        Map<WorkloadId, String> clusterQueueOf = new HashMap<>(snapshot.workloads().size() * 2);
        Map<WorkloadId, String> notes = new HashMap<>();
        List<InvalidObject> workloadInvalid = new ArrayList<>();
        for (Map.Entry<String, Part> e : parts.entrySet()) {
            Part p = e.getValue();
            if (p.state() != null) {
                states.put(e.getKey(), p.state());
            }
            clusterQueueOf.putAll(p.clusterQueueOf());
            notes.putAll(p.notes());
            workloadInvalid.addAll(p.invalid());
        }
        List<InvalidObject> invalid = new ArrayList<>(sharedInvalid.size() + workloadInvalid.size());
        invalid.addAll(sharedInvalid); // the snapshot's own, then node and namespace errors (equal inputs: equal errors)
        if (workloadInvalid.size() > 1) {
            workloadInvalid.sort((a, b) -> new WorkloadId(a.namespace(), a.name()).compareTo(new WorkloadId(b.namespace(), b.name())));
        }
        invalid.addAll(workloadInvalid);
        PolicyContext ctx = new PolicyContext(snapshot, now, config, capacity, states, merged);
        return new ContextBuilder.Built(ctx, invalid, clusterQueueOf, notes);
    }

    /** The kept workload at {@code now}: the same as the context builder's wait (never negative). */
    private static PendingWorkload waitedAt(PendingWorkload p, Instant now) {
        Duration waited = Duration.between(p.workload().queueOrderTime(), now);
        if (waited.isNegative()) {
            waited = Duration.ZERO;
        }
        return waited.equals(p.waited()) ? p
                : new PendingWorkload(p.workload(), p.tenant(), p.workloadClass(), p.demand(), p.level(), waited);
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
