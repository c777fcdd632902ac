package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.Node;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.HashMap;
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
            return model.bind(snapshot);
        }
        if (!s.equals(scope)) {
            workloads.clear();
            nodes.clear();
            scope = s;
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
    private static final class Slot {
        ResourceVector value;
        RuntimeException failure;

        ResourceVector get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    private static final class WorkloadEntry {
        final Workload workload;
        long generation;
        Slot demand;
        Slot usage;

        WorkloadEntry(Workload workload) {
            this.workload = workload;
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

    private final class CachedBound implements Bound {
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

        private WorkloadEntry entry(Workload w) {
            WorkloadEntry e = workloads.get(w.id());
            if (e == null || (e.workload != w && !(e.workload.uid().equals(w.uid())
                    && sameVersion(e.workload.resourceVersion(), w.resourceVersion()) && e.workload.equals(w)))) {
                e = new WorkloadEntry(w);
                workloads.put(w.id(), e);
            }
            e.generation = gen;
            return e;
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
            WorkloadEntry e = entry(workload);
            if (e.demand == null) {
                e.demand = compute(Bound::demand, workload);
            } else {
                hits++;
            }
            return e.demand.get();
        }

        @Override
        public ResourceVector usage(Workload workload) {
            WorkloadEntry e = entry(workload);
            if (e.usage == null) {
                e.usage = compute(Bound::usage, workload);
            } else {
                hits++;
            }
            return e.usage.get();
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
