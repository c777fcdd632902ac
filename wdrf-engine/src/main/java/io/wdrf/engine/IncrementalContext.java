package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ContextBuilder} across cycles: a context is built again only when something it reads changed.
 *
 * <p>When the shared inputs (nodes, queues, flavors, namespaces, the snapshot's own invalid list, the demand model's
 * reuse scope) and every workload are the same (identical or equal objects) as in the last cycle, the last context is
 * reused with only each pending workload's wait moved to {@code now}. Any other change is a build by the
 * {@link CachedContextBuilder}, which derives nothing again for an unchanged workload and sorts only new ones; when
 * few input positions changed it visits only those and carries over the tenants none of whose workloads changed
 * (levels are entitlement-relative, Σ over the active tenants' weights, so a change of that set levels every tenant
 * again — from cached vectors). The result equals a plain build of the same snapshot
 * ({@code IncrementalEvaluationPropertyTest}).
 *
 * <p>A snapshot of fewer than {@link #DEFAULT_INCREMENTAL_FROM} workloads is built plainly, over the cached vectors
 * (a plain build reads every workload, but parses none again). There the incremental builder's bookkeeping saves
 * nothing measurable (a replay of Philly, 70 to 1,035 workloads a cycle: the same engine time once compiled), while
 * its code, far larger than the plain build's, keeps the JIT compiler busy for the first seconds of a process on a
 * small machine (the replay's C2 compilations: 47 over 100 ms taking 30.6 s, against 33 taking 9.3 s built plainly).
 *
 * <p>Holds the last snapshot's context only. Not thread-safe: the engine serialises cycles.
 */
final class IncrementalContext {

    /** Workloads from which a snapshot is built incrementally (below: plainly, over the cached vectors). */
    static final int DEFAULT_INCREMENTAL_FROM = 2048;

    private final ContextBuilder builder;
    private final CachedContextBuilder cached;
    private final DemandCache cache;
    private final int incrementalFrom;
    /** True while the incremental builder holds state of an earlier cycle (reset before a plain build). */
    private boolean cachedHolds;

    /** Shared inputs of the last cycle (identity compared), or null before the first. */
    private ClusterSnapshot shared;
    private Object scope;
    /** The last snapshot's workloads and its result (reused while nothing changed). */
    private List<Workload> lastWorkloads = List.of();
    private ContextBuilder.Built last;
    private long fullBuilds;
    private long plainBuilds;
    private long reusedBuilds;
    /** True when the last build returned a context equal in everything to the one before (same now too). */
    private boolean unchanged;
    private long cycles;

    IncrementalContext(PolicyConfig config, DemandCache cache, int incrementalFrom) {
        this.cache = cache;
        this.incrementalFrom = incrementalFrom;
        this.builder = new ContextBuilder(config, cache);
        this.cached = new CachedContextBuilder(config, cache);
    }

    /** Builds below {@link #DEFAULT_INCREMENTAL_FROM} (or the engine's setting) that were plain. */
    long plainBuilds() {
        return plainBuilds;
    }

    long fullBuilds() {
        return fullBuilds;
    }

    /** Cycles that reused the last context (nothing but the instant changed). */
    long reusedBuilds() {
        return reusedBuilds;
    }

    /**
     * True when the last {@link #build} changed nothing but the snapshot object: same shared inputs, same or equal
     * workloads, same instant. A pure policy then decides exactly as in the cycle before.
     */
    boolean unchanged() {
        return unchanged;
    }

    /** Builds whose id order placed unchanged input positions without visiting them. */
    long sparseBuilds() {
        return cached.sparseBuilds();
    }

    /** Builds that carried unchanged tenants over without visiting their workloads. */
    long carriedBuilds() {
        return cached.carriedBuilds();
    }

    /** New versions that replaced their predecessor in place (same tenant, shape and place). */
    long inPlaceReplacements() {
        return cached.inPlaceReplacements();
    }

    /** What the cached builder holds (see {@link CachedContextBuilder#remembered()}). */
    int remembered() {
        return cached.remembered();
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
        cached.reset();
        cachedHolds = false;
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
            reusedBuilds++;
            return again(snapshot, now); // nothing changed: only the waits move
        }
        fullBuilds++;
        ContextBuilder.Built built;
        if (snapshot.workloads().size() < incrementalFrom) {
            if (cachedHolds) { // its last cycle is not the one before this one any more
                cached.reset();
                cachedHolds = false;
            }
            plainBuilds++;
            built = builder.build(snapshot, now);
            cache.endCycle(List.of(), true); // the plain build asked for every object of the snapshot
        } else {
            cachedHolds = true;
            built = cached.build(snapshot, now);
        }
        shared = snapshot;
        scope = s;
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
                moved.add(ContextBuilder.waitedAt(p, prev.now(), now)); // every wait of a context is at its now
            }
        }
        PolicyContext ctx = new PolicyContext(snapshot, now, prev.config(), prev.capacity(), prev.tenants(), moved);
        last = new ContextBuilder.Built(ctx, last.invalid(), last.clusterQueueOf(), last.notes(), last.admitted());
        lastWorkloads = snapshot.workloads();
        return last;
    }

    private static boolean sameSharedInputs(ClusterSnapshot a, ClusterSnapshot b) {
        return sameElements(a.nodes(), b.nodes()) && sameElements(a.clusterQueues(), b.clusterQueues())
                && sameElements(a.localQueues(), b.localQueues()) && sameElements(a.flavors(), b.flavors())
                && sameElements(a.namespaces(), b.namespaces()) && a.invalid().equals(b.invalid());
    }

    /** Same size and, in the same order, the same objects or equal ones (a relist re-creates equal records). */
    static boolean sameElements(List<?> a, List<?> b) {
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
        return "IncrementalContext[full=" + fullBuilds + ", reused=" + reusedBuilds + "]";
    }
}
