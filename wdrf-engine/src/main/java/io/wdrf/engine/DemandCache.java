package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.Node;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers the vectors a {@link DemandModel} computed, per object version, so an unchanged workload or node is
 * never evaluated twice.
 *
 * <p>A cached result is reused for an object when it is the same instance as the one it was computed for, or an
 * equal one (a relist, a re-projection) whose resourceVersion does not say otherwise; and only while the model's
 * {@link DemandModel#reuseScope(ClusterSnapshot) reuse scope} stays equal (a change of scope drops everything). A
 * model whose scope is {@code null} is not cached at all. Failures are cached like results (the same message is
 * thrown again), so a malformed object costs one evaluation per version too.
 *
 * <p>Bounded by the view: a full cycle ({@link #bind} … {@link #endCycle} with sweep) keeps only the entries it asked
 * for; a partial cycle drops the workloads that went away. Either way an entry never outlives its object in the
 * view. Not thread-safe: the engine serialises cycles.
 */
final class DemandCache implements DemandModel {

    private final DemandModel model;
    private final Map<WorkloadId, WorkloadEntry> workloads = new HashMap<>();
    private final Map<String, NodeEntry> nodes = new HashMap<>();
    private Object scope;
    private long generation;
    private long clears;
    private long hits;
    private long misses;

    DemandCache(DemandModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The model behind the cache. */
    DemandModel model() {
        return model;
    }

    @Override
    public Object reuseScope(ClusterSnapshot snapshot) {
        return model.reuseScope(snapshot);
    }

    @Override
    public Bound bind(ClusterSnapshot snapshot) {
        Object s = model.reuseScope(snapshot);
        if (s == null) {
            workloads.clear();
            nodes.clear();
            scope = null;
            clears++;
            return model.bind(snapshot);
        }
        if (!s.equals(scope)) {
            workloads.clear();
            nodes.clear();
            scope = s;
            clears++;
        }
        generation++;
        return new CachedBound(snapshot, generation);
    }

    /**
     * Ends a cycle. With {@code sweep}, drops every entry the cycle did not ask for (a full build asked for every
     * object of the snapshot); without, drops the workloads that went away ({@code gone}) — a partial build asks only
     * about the tenants that changed, and the others' entries stay valid.
     */
    void endCycle(java.util.Collection<WorkloadId> gone, boolean sweep) {
        if (sweep) {
            long g = generation;
            workloads.values().removeIf(e -> e.generation != g);
            nodes.values().removeIf(e -> e.generation != g);
        } else {
            for (WorkloadId id : gone) {
                workloads.remove(id);
            }
        }
    }

    /**
     * Ends a full cycle whose caller knows which workload entries went away: drops exactly those (an entry is dropped
     * only while it is still the one held for its id) and, with {@code sweepNodes}, the nodes not asked for.
     * Equivalent to {@code endCycle(.., true)} when {@code gone} holds every entry of the last cycle that this cycle
     * did not ask for.
     */
    void endCycleWithout(List<WorkloadEntry> gone, boolean sweepNodes) {
        for (WorkloadEntry e : gone) {
            workloads.remove(e.workload.id(), e);
        }
        if (sweepNodes) { // else the caller reused the last capacity: the same nodes, none asked for
            long g = generation;
            nodes.values().removeIf(e -> e.generation != g);
        }
    }

    /** How often the cache dropped all entries (a reuse-scope change or a model without scope). */
    long clears() {
        return clears;
    }

    int workloadEntries() {
        return workloads.size();
    }

    int nodeEntries() {
        return nodes.size();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    private static boolean sameVersion(String rvA, String rvB) {
        return rvA == null || rvB == null || rvA.equals(rvB);
    }

    /** One computed value: a vector or the failure it threw. */
    static final class Slot {
        ResourceVector value;
        RuntimeException failure;

        ResourceVector get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    /**
     * One workload version: its vectors and, for {@link CachedContextBuilder}, what the context builder derives from
     * it alone (phase, tenant, ClusterQueue, class, errors) and its place in the last cycle's id order. Package-private
     * for that builder only.
     */
    static final class WorkloadEntry {
        final Workload workload;
        long generation;
        /** The cache generation whose {@code entry} call created this entry. */
        long createdGeneration = -1;
        Slot demand;
        Slot usage;
        /** The slots' values once read without failure (the slots may be shared with a later version). */
        ResourceVector demandValue;
        ResourceVector usageValue;
        /** The honoured class (from {@code resolved}), kept on the entry for the per-cycle walk. */
        String workloadClass;
        // derived by CachedContextBuilder (valid while its epoch, i.e. LocalQueues and config, is unchanged)
        long derivedEpoch = -1;
        io.wdrf.api.Phase phase;
        boolean admissible;
        String tenant;
        String clusterQueue;
        ClassResolver.Resolved resolved;
        /** The explanation note (class, tenant label), and the same with the ignored-weight note (made once). */
        String note;
        String noteWithIgnored;
        RuntimeException classFailure;
        long classWeight;
        io.wdrf.api.InvalidObject error;
        double[] normalized;
        Object normalizedFor;
        io.wdrf.api.PendingWorkload lastPending;
        /** The builder's cycle in which this entry replaced, or was replaced by, another version in place. */
        long replacedCycle = -1;
        /** The builder's cycle in which this entry and its new version (same id, same ClusterQueue) kept the map entry. */
        long queueKeptCycle = -1;
        /** The level and instant {@code lastPending} was made or confirmed for. */
        double lastLevel;
        java.time.Instant lastPendingAt;
        /** Position in the id order of cycle {@link #rankCycle} of the builder (carried over to a new version). */
        int rank;
        long rankCycle = -1;
        /** The builder's cycle that last met this entry (an entry met twice in one cycle is a duplicate). */
        long seenCycle = -1;
        /** Index among the pending workloads (id order) of the cycle being built. */
        int pendingIndex;
        /** Queue-order time, for the progressive-filling order. */
        long queueOrderSeconds;
        int queueOrderNanos;
        /** The builder's cycle in which this entry was last a pending candidate / found in its tenant's last order. */
        long candidateCycle = -1;
        long orderedCycle = -1;

        WorkloadEntry(Workload workload) {
            this.workload = workload;
        }

        String noteWithIgnoredWeight() {
            if (noteWithIgnored == null) {
                noteWithIgnored = ContextBuilder.joined(note, ContextBuilder.IGNORED_WEIGHT_NOTE);
            }
            return noteWithIgnored;
        }
    }

    private static final class NodeEntry {
        final Node node;
        long generation;
        Slot capacity;

        NodeEntry(Node node) {
            this.node = node;
        }
    }

    private interface Compute<T> {
        ResourceVector apply(Bound b, T t);
    }

    final class CachedBound implements Bound {
        private final ClusterSnapshot snapshot;
        private final long gen;
        private Bound inner;

        CachedBound(ClusterSnapshot snapshot, long gen) {
            this.snapshot = snapshot;
            this.gen = gen;
        }

        /** Bound lazily: a cycle where nothing changed never binds the model (HAMi decodes every node on bind). */
        private Bound inner() {
            if (inner == null) {
                inner = model.bind(snapshot);
            }
            return inner;
        }

        /**
         * Marks {@code e}, found by the caller for the very workload object it holds, as asked for in this cycle
         * (as {@link #entry} would; no lookup).
         */
        void touch(WorkloadEntry e) {
            e.generation = gen;
        }

        /** True when {@link #entry} created {@code e} in this cycle (a new id or a new version). */
        boolean createdNow(WorkloadEntry e) {
            return e.createdGeneration == gen;
        }

        /** The entry of this workload version (a new version gets a new entry, keeping only the old one's rank). */
        WorkloadEntry entry(Workload w) {
            WorkloadEntry e = workloads.get(w.id());
            if (e == null || (e.workload != w && !(e.workload.uid().equals(w.uid())
                    && sameVersion(e.workload.resourceVersion(), w.resourceVersion()) && e.workload.equals(w)))) {
                WorkloadEntry next = new WorkloadEntry(w);
                next.createdGeneration = gen;
                if (e != null) {
                    next.rank = e.rank;
                    next.rankCycle = e.rankCycle;
                    if (model instanceof KueueDemandModel k && k.sameVectorInputs(e.workload, w)) {
                        next.demand = e.demand; // e.g. a priority write: the vectors' inputs are unchanged
                        next.usage = e.usage;
                    }
                }
                e = next;
                workloads.put(w.id(), e);
            }
            e.generation = gen;
            return e;
        }

        /** The demand of the entry's workload (computed once per entry; a failure is thrown again). */
        ResourceVector demand(WorkloadEntry e) {
            ResourceVector v = e.demandValue;
            if (v != null) { // on the entry itself: one object less to visit per workload and cycle
                hits++;
                return v;
            }
            if (e.demand == null) {
                e.demand = compute(Bound::demand, e.workload);
            } else {
                hits++;
            }
            v = e.demand.get();
            e.demandValue = v;
            return v;
        }

        /** The usage of the entry's workload (computed once per entry; a failure is thrown again). */
        ResourceVector usage(WorkloadEntry e) {
            ResourceVector v = e.usageValue;
            if (v != null) {
                hits++;
                return v;
            }
            if (e.usage == null) {
                e.usage = compute(Bound::usage, e.workload);
            } else {
                hits++;
            }
            v = e.usage.get();
            e.usageValue = v;
            return v;
        }

        private <T> Slot compute(Compute<T> f, T t) {
            misses++;
            Slot s = new Slot();
            try {
                s.value = f.apply(inner(), t);
            } catch (RuntimeException ex) {
                s.failure = ex;
            }
            return s;
        }

        @Override
        public ResourceVector demand(Workload workload) {
            return demand(entry(workload));
        }

        @Override
        public ResourceVector usage(Workload workload) {
            return usage(entry(workload));
        }

        @Override
        public ResourceVector capacity(Node node) {
            NodeEntry e = nodes.get(node.name());
            if (e == null || (e.node != node && !(sameVersion(e.node.resourceVersion(), node.resourceVersion())
                    && e.node.equals(node)))) {
                e = new NodeEntry(node);
                nodes.put(node.name(), e);
            }
            e.generation = gen;
            if (e.capacity == null) {
                e.capacity = compute(Bound::capacity, node);
            } else {
                hits++;
            }
            return e.capacity.get();
        }
    }
}
