package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.LocalQueueInfo;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ContextBuilder#build} over the {@link DemandCache}'s entries, for a model with a reuse scope: the same
 * context, the same errors in the same order, computed without re-deriving anything of an unchanged workload.
 *
 * <ul>
 *   <li>Per workload version, once: phase, tenant, ClusterQueue, class (and its note), the error it causes, its
 *       demand or usage, and its demand normalised by the cycle's capacity (while the capacity is unchanged).</li>
 *   <li>Id order without comparing strings: every entry remembers its position in the last cycle's id order; the
 *       known ones are placed by that position, only new ones are sorted and merged in by binary search.</li>
 *   <li>Per tenant: usage summed in id order as in the plain build (the same floating-point sums), the
 *       progressive-filling order kept while the tenant's pending set is the same, states and pending workloads
 *       equal to the last cycle's reused as objects (so a policy can recognise them).</li>
 *   <li>A cycle where few input positions hold other objects ({@link #sparse}): the unchanged positions are placed by
 *       their last rank without visiting their entries; a new version of the same shape (a priority write) replaces
 *       its predecessor in place; every tenant none of whose workloads changed is carried over per rank (kind,
 *       pending workload — with its wait moved if the clock moved — and admitted view) without visiting its
 *       entries. A change of the set of active tenants (every level moves with Σ active weights) walks everything.
 *       At 100k workloads the memory a cycle visits, not its arithmetic, is the cost.</li>
 * </ul>
 * Holds only entries of the last snapshot (the demand cache's sweep) and per-tenant state of its tenants. Not
 * thread-safe: the engine serialises cycles. {@code IncrementalEvaluationPropertyTest} checks that it equals the plain
 * build over random change sequences.
 */
final class CachedContextBuilder {

    private final PolicyConfig config;
    private final ContextBuilder plain;
    private final DemandCache cache;
    private final ClassResolver classes;

    /** Epoch of the derived fields (tenant, ClusterQueue): bumped when the LocalQueues change. */
    private long epoch;
    private List<LocalQueueInfo> localQueues;
    private TenantResolver tenants;
    /** The capacity the cached normalised demands were computed for (identity marks validity). */
    private ResourceVector sharesKey;
    private long cycle;
    /** The last cycle's input list and entries by input position (an unchanged position needs no lookup). */
    /**
     * The last cycle's workload list as an array (its objects compared by identity), or null. Arrays rather than the
     * snapshot's lists: the lists' classes vary with their size and origin, and an interface call per position that
     * meets a new class sends the whole placement back to the interpreter until it is compiled again.
     */
    private Object[] lastList;
    /** The array of the cycle before the last, reused for this cycle's list (two buffers in turn, nothing per cycle). */
    private Object[] spareList = new Object[0];
    private int lastListSize;
    private int spareListSize;
    private DemandCache.WorkloadEntry[] lastByPosition;
    /** The rank (id order) of the last cycle's entry at each input position. */
    private int[] lastRankByPosition;
    /** False after a cycle that placed entries by position: their own {@code rank} fields are older. */
    private boolean ranksInEntries = true;
    /** This cycle's entries that were not in the last cycle's order (by id), and the last cycle's not met (null: unknown). */
    private List<DemandCache.WorkloadEntry> fresh = new ArrayList<>();
    private List<DemandCache.WorkloadEntry> gone;
    /** The last cycle's entries in id order, and its ClusterQueue map (null: rebuild). */
    private DemandCache.WorkloadEntry[] lastSorted;
    private IdMap<String> lastQueues;
    private long cacheClears = -1;
    private Instant lastNow;
    /** The last capacity, its inputs and the node errors it produced. */
    private List<io.wdrf.api.Node> lastNodes;
    private List<io.wdrf.api.ClusterQueueInfo> lastClusterQueues;
    private ResourceVector lastCapacity;
    private List<InvalidObject> lastCapacityErrors = List.of();
    private int lastCount;
    private Map<String, TenantMemo> tenantMemo = new HashMap<>();
    /**
     * One String instance per tenant (this epoch, tenants of the last cycle): entries, states and pending workloads
     * of a tenant share it, so tenant comparisons on the hot path are identity checks.
     */
    private Map<String, String> canonicalTenants = new HashMap<>();

    /** A tenant's last pending set (in id order) and its progressive-filling order, and its last state. */
    private record TenantMemo(DemandCache.WorkloadEntry[] candidates, DemandCache.WorkloadEntry[] ordered, TenantState state,
                              double toLevel, ResourceVector capacity, Instant madeAt) {
    }

    /** Accumulates one tenant in one cycle. */
    private static final class Acc {
        /** A clean tenant's memo (its state and order as in the last cycle), or null. */
        TenantMemo memo;
        /** Leveled already (a dirty tenant leveled as soon as its run of ranks ended). */
        boolean leveled;
        /** The admitted workloads' usage, summed in rank order (null: none). */
        ResourceVector.Sum usage;
        int admitted;
        /** Candidates in id order: a typed array, because a list's typed copy checks (reads) every element's class. */
        DemandCache.WorkloadEntry[] candidates = new DemandCache.WorkloadEntry[8];
        int candidateCount;

        void addCandidate(DemandCache.WorkloadEntry e) {
            if (candidateCount == candidates.length) {
                candidates = Arrays.copyOf(candidates, candidateCount * 2);
            }
            candidates[candidateCount++] = e;
        }
    }

    private record AdmittedUsage(DemandCache.WorkloadEntry entry, String tenant, ResourceVector usage) {
    }

    CachedContextBuilder(PolicyConfig config, DemandCache cache) {
        this.config = config;
        this.cache = cache;
        this.plain = new ContextBuilder(config, cache);
        this.classes = new ClassResolver(config);
    }

    /** Builds that placed the unchanged input positions by their last rank (for tests: the path is taken). */
    long sparseBuilds() {
        return sparseBuilds;
    }

    private long sparseBuilds;
    private long carriedBuilds;
    private long inPlaceReplacements;

    /** New versions that replaced their predecessor without dirtying its tenant (for tests). */
    long inPlaceReplacements() {
        return inPlaceReplacements;
    }

    /** Builds that carried the clean tenants' results over without visiting their entries (for tests). */
    long carriedBuilds() {
        return carriedBuilds;
    }

    /** Tenants and workloads whose derived state this builder holds (for tests: bounded by the last snapshot). */
    int remembered() {
        return tenantMemo.size() + canonicalTenants.size() + (lastSorted == null ? 0 : lastSorted.length)
                + (lastByPosition == null ? 0 : lastByPosition.length);
    }

    /** Forgets everything derived (the next build derives again; the demand cache keeps its vectors). */
    void reset() {
        epoch++;
        localQueues = null;
        tenants = null;
        sharesKey = null;
        cycle++;
        lastCount = 0;
        lastList = null;
        lastListSize = 0;
        spareList = new Object[0];
        spareListSize = 0;
        lastByPosition = null;
        lastRankByPosition = null;
        ranksInEntries = true;
        fresh = new ArrayList<>();
        gone = null;
        carried = null;
        carryFrom = null;
        lastSorted = null;
        lastQueues = null;
        lastNow = null;
        lastCapacity = null; // the capacity depends on the model's scope too
        lastNodes = null;
        lastClusterQueues = null;
        lastCapacityErrors = List.of();
        tenantMemo = new HashMap<>();
        canonicalTenants = new HashMap<>();
    }

    /** The context of {@code snapshot}, as {@link ContextBuilder#build}; falls back to it for a model without scope. */
    ContextBuilder.Built build(ClusterSnapshot snapshot, Instant now) {
        io.wdrf.api.DemandModel.Bound b = cache.bind(snapshot);
        if (!(b instanceof DemandCache.CachedBound bound)) {
            reset();
            return plain.build(snapshot, now);
        }
        FlavorShares flavors = FlavorShares.of(snapshot);
        if (flavors.active()) {
            // a resource split by flavor: pending demand is charged by the snapshot's free quota, which moves with
            // every admission, so nothing per workload can be kept — the plain build, nothing remembered
            reset();
            ContextBuilder.Built built = plain.build(snapshot, now);
            cache.endCycle(List.of(), true);
            return built;
        }
        List<InvalidObject> invalid = new ArrayList<>(snapshot.invalid());
        if (cacheClears != cache.clears()) { // the cache dropped its entries (scope change): nothing of ours is valid
            reset();
            cacheClears = cache.clears();
        }
        if (localQueues == null || !IncrementalContext.sameElements(localQueues, snapshot.localQueues())) {
            epoch++;
            lastQueues = null;
            tenantMemo = new HashMap<>(); // tenants are derived again
            canonicalTenants = new HashMap<>();
            localQueues = snapshot.localQueues();
            tenants = new TenantResolver(config, localQueues);
        }
        ResourceVector capacity;
        boolean sameCapacityInputs = lastCapacity != null && IncrementalContext.sameElements(lastNodes, snapshot.nodes())
                && IncrementalContext.sameElements(lastClusterQueues, snapshot.clusterQueues());
        if (sameCapacityInputs) { // same nodes and queues: same capacity and node errors (the cache keeps the nodes)
            capacity = lastCapacity;
            invalid.addAll(lastCapacityErrors);
        } else {
            int before = invalid.size();
            capacity = plain.capacity(snapshot, bound, flavors, invalid); // no split: vectors pass through
            lastCapacityErrors = List.copyOf(invalid.subList(before, invalid.size()));
            lastNodes = snapshot.nodes();
            lastClusterQueues = snapshot.clusterQueues();
            lastCapacity = capacity;
        }
        if (sharesKey == null || !sharesKey.equals(capacity)) {
            sharesKey = capacity;
        }
        Shares shares = new Shares(config, sharesKey);
        java.util.Set<String> ignoredWeights = new java.util.HashSet<>();
        Map<String, Double> weights = plain.tenantWeights(snapshot, tenants, invalid, ignoredWeights);

        DemandCache.WorkloadEntry[] sorted = inIdOrder(snapshot.workloads(), bound);
        if (sorted == null) { // duplicate ids: the plain build's semantics, nothing remembered
            reset();
            ContextBuilder.Built built = plain.build(snapshot, now);
            cache.endCycle(List.of(), true);
            return built;
        }

        IdMap<String> clusterQueueOf = queues(sorted, gone);
        int n = sorted.length;
        Carried carry = carried;
        carried = null; // valid again once this cycle completes
        int[] carryFrom = this.carryFrom;
        this.carryFrom = null;
        boolean fast = carry != null && carryFrom != null && carry.epoch == epoch && carry.capacity == sharesKey
                && sameCapacityInputs && weights.equals(carry.weights)
                && ignoredWeights.equals(carry.ignoredWeights);
        int invalidBase = invalid.size();
        // a later instant moves only the waits: a clean tenant's levels are its usage and demands', not the clock's
        boolean sameInstant = now.equals(lastNow);
        while (true) {
            // per rank, this cycle: what the entry is, its tenant, its pending workload and admitted view (clean
            // tenants: carried from the last cycle without visiting the entry)
            Walk walk = newWalk(n);
            if (fast) {
                carryClean(walk, carry, carryFrom, sorted);
            }
            // a dirty tenant is leveled as soon as its run of ranks ends, while its entries are still in the cache (at
            // 100k workloads a second visit after the whole walk misses at every entry); with the last cycle's Σ of
            // active weights, which this cycle must equal (else it starts over), and only while tenants are runs
            boolean inline = fast && tenantsAreRuns;
            if (!walk(walk, sorted, bound, fast, inline, carry, weights, shares, now, sameInstant, ignoredWeights,
                    invalid)) { // a tenant's ranks are not one run: level after the walk, from now on
                tenantsAreRuns = false;
                fast = false; // start over, visiting every entry (once per builder)
                invalid.subList(invalidBase, invalid.size()).clear();
                Arrays.fill(walk.pendingBuf, null); // the scratch keeps nothing of the abandoned walk
                continue;
            }
            if (fast) { // the clean tenants, as they were
                for (Map.Entry<String, TenantMemo> m : tenantMemo.entrySet()) {
                    if (!walk.dirty.contains(m.getKey())) {
                        Acc clean = new Acc();
                        // only a tenant one of whose entries was replaced in place has anything to substitute
                        List<Replacement> swaps = replacedIn.get(m.getKey());
                        clean.memo = swaps == null ? m.getValue() : substituted(m.getValue(), swaps, now);
                        walk.accs.put(m.getKey(), clean);
                    }
                }
            }
            double activeWeight = plain.activeWeight(walk.accs.keySet(), weights);
            if (fast) {
                if (Double.compare(activeWeight, carry.activeWeight) != 0) {
                    // the set of tenants with work changed: every level moves — start over, visiting every entry
                    fast = false;
                    invalid.subList(invalidBase, invalid.size()).clear();
                    Arrays.fill(walk.pendingBuf, null);
                    continue;
                }
                carriedBuilds++;
            }
            return finish(walk, snapshot, now, capacity, weights, ignoredWeights, shares, activeWeight, invalid,
                    clusterQueueOf, sorted, sameCapacityInputs);
        }
    }

    /**
     * One walk over the ranks of a cycle: per rank what the entry is, its tenant, pending workload and admitted view
     * (clean tenants' carried from the last cycle), and the per-tenant accumulations. Its own object so that the walk,
     * the carrying and the finishing are methods of their own: one method holding all three took the JIT seconds to
     * compile, again after every deoptimization, while the controller ran in the interpreter.
     */
    private static final class Walk {
        final byte[] kind;
        final String[] tenantOf;
        final PendingWorkload[] pwOf;
        final ContextBuilder.AdmittedWorkload[] admOf;
        /** Tenants with a fresh, gone or replaced entry (carried cycles only; identity of the canonical names). */
        Set<String> dirty;
        final Map<String, Acc> accs = new TreeMap<>();
        final Map<WorkloadId, String> notes = new HashMap<>();
        final List<AdmittedUsage> admittedUsage = new ArrayList<>();
        final int[] admittedRank;
        int admittedCount;
        final int[] pendingRank;
        final PendingWorkload[] pendingBuf;
        int pendingCount;
        final Map<String, TenantState> states = new TreeMap<>();
        final Map<String, TenantMemo> nextMemo;

        /** A walk over {@code n} ranks; the three scratch arrays (at least {@code n} long, pendingBuf all null) are the builder's. */
        Walk(int n, int tenants, int[] admittedRank, int[] pendingRank, PendingWorkload[] pendingBuf) {
            kind = new byte[n];
            tenantOf = new String[n];
            pwOf = new PendingWorkload[n];
            admOf = new ContextBuilder.AdmittedWorkload[n];
            this.admittedRank = admittedRank;
            this.pendingRank = pendingRank;
            this.pendingBuf = pendingBuf;
            nextMemo = new HashMap<>(tenants * 2 + 16);
        }
    }

    /**
     * Scratch arrays of the walk, kept across cycles (nothing outside a build reads them): at 100k workloads three
     * arrays of that length per cycle are a good part of what the young collections copy and scan. The pending one is
     * cleared after each build so it keeps nothing alive.
     */
    private int[] admittedRankScratch = new int[0];
    private int[] pendingRankScratch = new int[0];
    private PendingWorkload[] pendingScratch = new PendingWorkload[0];

    private Walk newWalk(int n) {
        if (pendingScratch.length < n) {
            int size = n + n / 16;
            admittedRankScratch = new int[size];
            pendingRankScratch = new int[size];
            pendingScratch = new PendingWorkload[size];
        }
        return new Walk(n, tenantMemo.size(), admittedRankScratch, pendingRankScratch, pendingScratch);
    }

    /**
     * The ranks carried from the last cycle into {@code walk} (kind, tenant, pending workload, admitted view), the new
     * versions that took their predecessor's rank replaced in place where they can be, and the tenants of the other
     * fresh and gone entries marked dirty.
     */
    private void carryClean(Walk walk, Carried carry, int[] carryFrom, DemandCache.WorkloadEntry[] sorted) {
        int n = sorted.length;
        byte[] kind = walk.kind;
        String[] tenantOf = walk.tenantOf;
        PendingWorkload[] pwOf = walk.pwOf;
        ContextBuilder.AdmittedWorkload[] admOf = walk.admOf;
        for (int r = 0; r < n; r++) {
            int from = carryFrom[r];
            if (from >= 0) {
                kind[r] = carry.kind[from];
                tenantOf[r] = carry.tenant[from];
                pwOf[r] = carry.pending[from];
                admOf[r] = carry.admitted[from];
            }
        }
        Set<String> dirty = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        walk.dirty = dirty;
        replacedIn = new java.util.IdentityHashMap<>();
        DemandCache.WorkloadEntry[] last = lastSorted;
        for (int i = 0; i < claimed.length; i++) { // new versions that took their predecessor's rank
            int from = claimed[i];
            DemandCache.WorkloadEntry old = last[from];
            int r = claimedAt[i];
            DemandCache.WorkloadEntry e = sorted[r];
            derive(e);
            if (inPlace(old, e, carry.kind[from], carry.pending[from], carry.admitted[from], r, kind, tenantOf,
                    pwOf, admOf)) {
                old.replacedCycle = cycle;
                e.replacedCycle = cycle;
                inPlaceReplacements++;
                // per (canonical) tenant, the same as its predecessor's
                replacedIn.computeIfAbsent(e.tenant, k -> new ArrayList<>()).add(new Replacement(old, e));
            }
        }
        for (DemandCache.WorkloadEntry e : fresh) {
            if (e.replacedCycle != cycle) {
                derive(e);
                dirty.add(e.tenant);
            }
        }
        if (gone != null) {
            for (DemandCache.WorkloadEntry e : gone) {
                if (e.replacedCycle != cycle) {
                    dirty.add(e.tenant); // derived in this epoch's last cycle
                }
            }
        }
    }

    /**
     * The walk over the ranks: clean tenants' ranks as carried, every other entry visited (kind, usage or demand,
     * note, candidate), dirty tenants leveled as their runs end when {@code inline}. False when {@code inline} met a
     * tenant whose ranks are not one run (the caller starts over without inline leveling).
     */
    private boolean walk(Walk walk, DemandCache.WorkloadEntry[] sorted, DemandCache.CachedBound bound, boolean fast,
                         boolean inline, Carried carry, Map<String, Double> weights, Shares shares, Instant now,
                         boolean sameInstant, Set<String> ignoredWeights, List<InvalidObject> invalid) {
        int n = sorted.length;
        byte[] kind = walk.kind;
        String[] tenantOf = walk.tenantOf;
        PendingWorkload[] pwOf = walk.pwOf;
        ContextBuilder.AdmittedWorkload[] admOf = walk.admOf;
        Set<String> dirty = walk.dirty;
        int[] admittedRank = walk.admittedRank;
        int[] pendingRank = walk.pendingRank;
        PendingWorkload[] pendingBuf = walk.pendingBuf;
        int admittedCount = 0;
        int pendingCount = 0;
        String lastTenant = null;
        boolean lastDirty = true;
        Acc acc = null;
        String openTenant = null;
        Acc open = null;
        for (int r = 0; r < n; r++) {
            if (fast) {
                String t = tenantOf[r];
                if (t != null && t != lastTenant) {
                    lastTenant = t;
                    lastDirty = dirty.contains(t);
                    acc = null;
                    if (inline && open != null && !lastDirty) { // a clean tenant's run: the open one ended
                        leveled(openTenant, open, weights, shares, carry.activeWeight, now, walk.states, walk.nextMemo,
                                pendingBuf);
                        open.leveled = true;
                        open = null;
                    }
                }
                if (t != null && !lastDirty) { // a clean tenant: the same entry, kind and results as last cycle
                    byte k = kind[r];
                    if (k == ERROR) {
                        invalid.add(sorted[r].error);
                    } else if (k == ADMITTED) {
                        admittedRank[admittedCount++] = r;
                    } else if (k >= CANDIDATE) {
                        if (k == CANDIDATE_WITH_NOTE) {
                            DemandCache.WorkloadEntry e = sorted[r];
                            walk.notes.put(e.workload.id(), noteOf(e, ignoredWeights));
                        }
                        PendingWorkload pw = pwOf[r];
                        if (!sameInstant) {
                            pw = ContextBuilder.waitedAt(pw, lastNow, now); // carried and in-place ones: at lastNow
                            pwOf[r] = pw;
                        }
                        pendingBuf[pendingCount] = pw;
                        pendingRank[pendingCount++] = r;
                    }
                    continue;
                }
                if (t == null) {
                    lastTenant = null; // a fresh entry: its tenant is dirty by construction
                }
            }
            DemandCache.WorkloadEntry e = sorted[r];
            derive(e);
            tenantOf[r] = e.tenant;
            admOf[r] = null;
            if (e.phase == Phase.FINISHED) {
                kind[r] = SKIP;
                continue;
            }
            Workload w = e.workload;
            if (e.phase != Phase.ADMITTED && !e.admissible) {
                kind[r] = SKIP;
                continue;
            }
            ResourceVector v;
            try {
                v = e.phase == Phase.ADMITTED ? bound.usage(e) : bound.demand(e);
                if (e.phase != Phase.ADMITTED && e.classFailure != null) {
                    throw e.classFailure;
                }
            } catch (RuntimeException ex) {
                if (e.error == null) {
                    e.error = new InvalidObject("Workload", w.id().namespace(), w.id().name(), String.valueOf(ex.getMessage()));
                }
                invalid.add(e.error);
                kind[r] = ERROR;
                continue;
            }
            if (acc == null || (lastTenant != e.tenant && (lastTenant == null || !lastTenant.equals(e.tenant)))) {
                lastTenant = e.tenant;
                lastDirty = true;
                acc = walk.accs.computeIfAbsent(e.tenant, this::newAcc);
                if (inline && acc != open) {
                    if (acc.leveled) {
                        return false;
                    }
                    if (open != null) {
                        leveled(openTenant, open, weights, shares, carry.activeWeight, now, walk.states, walk.nextMemo,
                                pendingBuf);
                        open.leveled = true;
                    }
                    open = acc;
                    openTenant = e.tenant;
                }
            }
            if (e.phase == Phase.ADMITTED) {
                if (acc.usage == null) {
                    acc.usage = new ResourceVector.Sum();
                }
                acc.usage.add(v);
                acc.admitted++;
                walk.admittedUsage.add(new AdmittedUsage(e, e.tenant, v));
                admittedRank[admittedCount++] = r;
                kind[r] = ADMITTED;
            } else {
                String note = noteOf(e, ignoredWeights);
                if (note != null) {
                    walk.notes.put(w.id(), note);
                }
                kind[r] = note != null ? CANDIDATE_WITH_NOTE : CANDIDATE;
                if (e.normalizedFor != sharesKey) {
                    e.normalized = shares.terms(v);
                    e.normalizedFor = sharesKey;
                }
                e.pendingIndex = pendingCount; // id order among this cycle's pending
                pendingRank[pendingCount++] = r;
                e.candidateCycle = cycle;
                acc.addCandidate(e);
            }
        }
        if (open != null) {
            leveled(openTenant, open, weights, shares, carry.activeWeight, now, walk.states, walk.nextMemo, pendingBuf);
            open.leveled = true;
        }
        walk.admittedCount = admittedCount;
        walk.pendingCount = pendingCount;
        return true;
    }

    /** The context of a completed walk, and what the next cycle carries over from it. */
    private ContextBuilder.Built finish(Walk walk, ClusterSnapshot snapshot, Instant now, ResourceVector capacity,
                                        Map<String, Double> weights, Set<String> ignoredWeights, Shares shares,
                                        double activeWeight, List<InvalidObject> invalid, IdMap<String> clusterQueueOf,
                                        DemandCache.WorkloadEntry[] sorted, boolean sameCapacityInputs) {
        PendingWorkload[] pending = walk.pendingBuf;
        for (Map.Entry<String, Acc> te : walk.accs.entrySet()) {
            String t = te.getKey();
            Acc a = te.getValue();
            if (a.memo != null) {
                walk.states.put(t, a.memo.state());
                walk.nextMemo.put(t, a.memo);
                continue;
            }
            if (!a.leveled) {
                leveled(t, a, weights, shares, activeWeight, now, walk.states, walk.nextMemo, pending);
            }
        }
        int pendingCount = walk.pendingCount;
        PendingWorkload[] pendingOut = Arrays.copyOf(pending, pendingCount);
        Arrays.fill(pending, 0, pendingCount, null); // the scratch array keeps nothing alive
        for (int i = 0; i < pendingCount; i++) {
            walk.pwOf[walk.pendingRank[i]] = pendingOut[i];
        }
        List<ContextBuilder.AdmittedWorkload> admitted = admitted(walk.admittedUsage, walk.admittedRank,
                walk.admittedCount, walk.admOf, walk.states, shares, activeWeight);
        carried = new Carried(epoch, sharesKey, weights, Set.copyOf(ignoredWeights), activeWeight, walk.kind,
                walk.tenantOf, walk.pwOf, walk.admOf);
        tenantMemo = walk.nextMemo;
        if (canonicalTenants.size() > walk.accs.size()) { // bounded by the view: forget tenants that went away
            canonicalTenants.keySet().retainAll(walk.accs.keySet());
        }
        if (gone != null) {
            cache.endCycleWithout(gone, !sameCapacityInputs);
        } else {
            cache.endCycle(List.of(), true);
        }
        fresh = new ArrayList<>(); // per cycle only
        gone = null;
        replacedIn = Map.of();
        lastSorted = sorted;
        lastQueues = clusterQueueOf;
        lastNow = now;
        PolicyContext ctx = new PolicyContext(snapshot, now, config, capacity, walk.states, Arrays.asList(pendingOut));
        return new ContextBuilder.Built(ctx, invalid, clusterQueueOf, walk.notes, admitted);
    }

    /** An entry replaced in place by its new version this cycle. */
    private record Replacement(DemandCache.WorkloadEntry old, DemandCache.WorkloadEntry successor) {
    }

    /** This cycle's in-place replacements per tenant (by identity: tenants are canonical; fast path only). */
    private Map<String, List<Replacement>> replacedIn = Map.of();

    /**
     * Whether the new version {@code e} of the workload of {@code old} (at the same rank) leaves its tenant as it was:
     * same tenant, phase, admissibility, class, note, queue-order time and the same demand or usage vector (a
     * priority write or a status update) — then only its own results change, made here from the old ones: the
     * pending workload with the old level and the old wait, at the last cycle's instant (same place in the tenant's
     * filling order; the walk over a clean tenant moves it to this instant), the admitted view with the old
     * level-without.
     */
    private boolean inPlace(DemandCache.WorkloadEntry old, DemandCache.WorkloadEntry e, byte oldKind, PendingWorkload oldPending,
                            ContextBuilder.AdmittedWorkload oldAdmitted, int r, byte[] kind, String[] tenantOf,
                            PendingWorkload[] pwOf, ContextBuilder.AdmittedWorkload[] admOf) {
        if (old.tenant != e.tenant || old.phase != e.phase || old.admissible != e.admissible || old.classFailure != null
                || e.classFailure != null || old.classWeight != e.classWeight
                || !java.util.Objects.equals(old.workloadClass, e.workloadClass) || !java.util.Objects.equals(old.note, e.note)
                || old.queueOrderSeconds != e.queueOrderSeconds || old.queueOrderNanos != e.queueOrderNanos) {
            return false;
        }
        if (oldKind == SKIP) {
            kind[r] = SKIP;
            tenantOf[r] = e.tenant;
            return true;
        }
        if (oldKind == ADMITTED && old.usage != null && old.usage == e.usage && old.usageValue != null) {
            e.usageValue = old.usageValue;
            kind[r] = ADMITTED;
            tenantOf[r] = e.tenant;
            admOf[r] = oldAdmitted == null ? null : new ContextBuilder.AdmittedWorkload(e.workload, oldAdmitted.tenant(),
                    oldAdmitted.workloadClass(), oldAdmitted.levelWithout());
            return true;
        }
        if ((oldKind == CANDIDATE || oldKind == CANDIDATE_WITH_NOTE) && oldPending != null && old.demand != null
                && old.demand == e.demand && old.demandValue != null && old.normalizedFor == sharesKey) {
            e.demandValue = old.demandValue;
            e.normalized = old.normalized;
            e.normalizedFor = old.normalizedFor;
            // the old wait: the same queue-order time at the last cycle's instant (a clean tenant's walk moves it to now)
            PendingWorkload p = new PendingWorkload(e.workload, oldPending.tenant(), oldPending.workloadClass(),
                    oldPending.demand(), oldPending.level(), oldPending.waited());
            e.lastPending = p;
            e.lastLevel = oldPending.level();
            e.lastPendingAt = lastNow;
            kind[r] = oldKind;
            tenantOf[r] = e.tenant;
            pwOf[r] = p;
            return true;
        }
        return false;
    }

    /** The explanation note of a pending entry (with the ignored-weight note when its namespace's weight was ignored). */
    private static String noteOf(DemandCache.WorkloadEntry e, Set<String> ignoredWeights) {
        return !ignoredWeights.isEmpty() && ignoredWeights.contains(e.workload.id().namespace())
                ? e.noteWithIgnoredWeight() : e.note;
    }

    /**
     * The memo with every replaced entry of this tenant ({@code swaps}) swapped for its successor (same places: same
     * filling order). Compared by identity with the few replaced ones: hashing every candidate would read its header.
     */
    private TenantMemo substituted(TenantMemo memo, List<Replacement> swaps, Instant now) {
        DemandCache.WorkloadEntry[] cands = swapped(memo.candidates(), swaps);
        if (cands == memo.candidates()) {
            return memo; // replaced entries that were not candidates (admitted or skipped)
        }
        DemandCache.WorkloadEntry[] ordered = swapped(memo.ordered(), swaps);
        // the memo is whole for this instant only if it was made at it
        return new TenantMemo(cands, ordered, memo.state(), memo.toLevel(), memo.capacity(),
                now.equals(memo.madeAt()) ? now : null);
    }

    /**
     * {@code entries} with each replaced one in it swapped for its successor (the same array if none is in it). Only
     * an entry marked replaced in this cycle is looked up among the swaps: a tenant's memo is walked once, not once
     * per swap.
     */
    private DemandCache.WorkloadEntry[] swapped(DemandCache.WorkloadEntry[] entries, List<Replacement> swaps) {
        DemandCache.WorkloadEntry[] out = entries;
        for (int i = 0; i < entries.length; i++) {
            DemandCache.WorkloadEntry e = entries[i];
            if (e.replacedCycle != cycle) {
                continue;
            }
            for (int k = 0; k < swaps.size(); k++) {
                Replacement swap = swaps.get(k);
                if (swap.old() == e) {
                    if (out == entries) {
                        out = entries.clone();
                    }
                    out[i] = swap.successor();
                    break;
                }
            }
        }
        return out;
    }

    /** A dirty tenant's accumulator, its candidate array sized by its last cycle's (grown by doubling otherwise). */
    private Acc newAcc(String tenant) {
        Acc a = new Acc();
        TenantMemo last = tenantMemo.get(tenant);
        if (last != null && last.candidates().length > a.candidates.length) {
            a.candidates = new DemandCache.WorkloadEntry[last.candidates().length + 8];
        }
        return a;
    }

    /** Kinds of an entry in a cycle (per rank). */
    private static final byte SKIP = 0;
    private static final byte ERROR = 1;
    private static final byte ADMITTED = 2;
    private static final byte CANDIDATE = 3;
    private static final byte CANDIDATE_WITH_NOTE = 4;

    /**
     * What the last cycle derived per rank of its id order, for tenants none of whose entries changed: the entry's
     * kind, tenant, pending workload and admitted view, valid for this epoch, capacity, weights and ignored weights,
     * and the Σ of active weights it was leveled with.
     */
    private record Carried(long epoch, ResourceVector capacity, Map<String, Double> weights, Set<String> ignoredWeights,
                           double activeWeight, byte[] kind, String[] tenant, PendingWorkload[] pending,
                           ContextBuilder.AdmittedWorkload[] admitted) {
    }

    private Carried carried;
    /** False once a cycle met a tenant whose ranks are not one run (a tenant key other than the namespace). */
    private boolean tenantsAreRuns = true;
    /** This cycle's rank → the last cycle's rank of the same entry, or -1 (set by a sparse placement only). */
    private int[] carryFrom;
    /** Last ranks taken by a new version of the same workload, and that version's rank now (sparse placement only). */
    private int[] claimed = new int[0];
    private int[] claimedAt = new int[0];

    /** One tenant's state, progressive-filling order and levels (its candidates' pending workloads into {@code pending}). */
    private void leveled(String t, Acc a, Map<String, Double> weights, Shares shares, double activeWeight, Instant now,
                         Map<String, TenantState> states, Map<String, TenantMemo> nextMemo, PendingWorkload[] pending) {
        Double given = weights.get(t);
        double w = given != null ? given : config.tenantWeight(t);
        ResourceVector u = a.usage == null ? ResourceVector.empty() : a.usage.result();
        double[] cum = shares.normalized(u);
        Shares.Dominant dom = shares.dominant(cum);
        TenantMemo memo = tenantMemo.get(t);
        TenantState state = new TenantState(t, w, u, dom.share() / w, dom.resource(), a.admitted, a.candidateCount);
        if (memo != null && memo.state().equals(state)) {
            state = memo.state();
        }
        states.put(t, state);
        DemandCache.WorkloadEntry[] cands = Arrays.copyOf(a.candidates, a.candidateCount);
        DemandCache.WorkloadEntry[] ordered = fillingOrder(memo, cands);
        double toLevel = activeWeight / w;
        nextMemo.put(t, new TenantMemo(cands, ordered, state, toLevel, sharesKey, now));
        if (memo != null && memo.state() == state && memo.ordered() == ordered && Double.compare(memo.toLevel(), toLevel) == 0
                && memo.capacity() == sharesKey && now.equals(memo.madeAt())) {
            // (a tenant carried over at a later instant keeps its memo and entries of the instant they were made at)
            // the same state, candidates, capacity and scale at the same instant: every level and wait as in the
            // last cycle
            for (DemandCache.WorkloadEntry c : ordered) {
                pending[c.pendingIndex] = c.lastPending;
            }
            return;
        }
        double level = dom.share() * toLevel;
        for (DemandCache.WorkloadEntry c : ordered) {
            PendingWorkload last = c.lastPending;
            PendingWorkload p;
            if (last != null && Double.compare(c.lastLevel, level) == 0 && now.equals(c.lastPendingAt)) {
                p = last; // tenant, class and demand are the entry's; same level, same instant: same wait
            } else {
                // same queue-order time (same entry), same instant: the same wait
                Duration waited = last == null ? null : now.equals(c.lastPendingAt) ? last.waited()
                        : ContextBuilder.moved(last.waited(), c.lastPendingAt, now);
                if (waited == null) {
                    waited = ContextBuilder.waited(c.workload, now);
                }
                ResourceVector demand = c.demandValue; // read in this cycle's walk (a candidate's demand did not fail)
                if (last != null && last.tenant() == c.tenant && last.workloadClass() == c.workloadClass
                        && last.demand() == demand && Double.compare(last.level(), level) == 0 && last.waited().equals(waited)) {
                    p = last;
                } else {
                    p = new PendingWorkload(c.workload, c.tenant, c.workloadClass, demand, level, waited);
                    c.lastPending = p;
                }
                c.lastLevel = level;
                c.lastPendingAt = now;
            }
            pending[c.pendingIndex] = p;
            Shares.addTerms(cum, c.normalized);
            level = Shares.dominantShare(cum) * toLevel;
        }
    }

    /**
     * The tenant's candidates in progressive-filling order: the last order when the candidates are the same entries;
     * else the last order without the entries that left, merged with the new ones (sorted). The order is total
     * (ids break ties), so this equals sorting all candidates.
     */
    private DemandCache.WorkloadEntry[] fillingOrder(TenantMemo memo, DemandCache.WorkloadEntry[] cands) {
        if (memo == null) {
            DemandCache.WorkloadEntry[] ordered = cands.clone();
            Arrays.sort(ordered, WITHIN_TENANT);
            return ordered;
        }
        if (Arrays.equals(memo.candidates(), cands)) { // same entries (identity), same order
            return memo.ordered();
        }
        List<DemandCache.WorkloadEntry> kept = new ArrayList<>(cands.length);
        for (DemandCache.WorkloadEntry e : memo.ordered()) {
            if (e.candidateCycle == cycle) {
                e.orderedCycle = cycle;
                kept.add(e);
            }
        }
        List<DemandCache.WorkloadEntry> added = new ArrayList<>();
        for (DemandCache.WorkloadEntry e : cands) {
            if (e.orderedCycle != cycle) {
                added.add(e);
            }
        }
        added.sort(WITHIN_TENANT);
        DemandCache.WorkloadEntry[] out = new DemandCache.WorkloadEntry[cands.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < kept.size() && j < added.size()) {
            out[k++] = WITHIN_TENANT.compare(kept.get(i), added.get(j)) <= 0 ? kept.get(i++) : added.get(j++);
        }
        while (i < kept.size()) {
            out[k++] = kept.get(i++);
        }
        while (j < added.size()) {
            out[k++] = added.get(j++);
        }
        return out;
    }

    /** Phase, tenant, ClusterQueue and class of the entry's workload, derived once per entry and epoch. */
    private void derive(DemandCache.WorkloadEntry e) {
        if (e.derivedEpoch == epoch) {
            return;
        }
        Workload w = e.workload;
        e.phase = w.phase();
        Instant qot = w.queueOrderTime();
        e.queueOrderSeconds = qot.getEpochSecond();
        e.queueOrderNanos = qot.getNano();
        e.admissible = w.isAdmissible();
        e.tenant = canonicalTenants.computeIfAbsent(tenants.tenant(w), k -> k);
        e.clusterQueue = tenants.clusterQueue(w);
        if (e.resolved == null && e.classFailure == null) {
            try {
                e.resolved = classes.resolve(w);
                e.workloadClass = e.resolved.workloadClass();
                e.classWeight = config.priorityWeights().get(e.resolved.workloadClass());
            } catch (RuntimeException ex) {
                e.classFailure = ex;
            }
        }
        e.note = e.resolved == null ? null : ContextBuilder.joined(e.resolved.note(), tenants.note(w)); // as the plain build
        e.noteWithIgnored = null;
        e.lastPending = null;
        e.derivedEpoch = epoch;
    }

    /**
     * The entries of {@code workloads} sorted by workload id; null when two workloads share an id (a malformed
     * snapshot: the caller falls back to the plain build). Entries known from the last cycle keep their relative order;
     * only new ones are sorted, and merged in by binary search. Sets {@link #fresh} (the entries not in the last
     * cycle's order) and {@link #gone} (the last cycle's entries not met).
     *
     * <p>When few input positions hold another object than in the last cycle (a cycle with churn), the unchanged
     * positions are placed by the last cycle's rank of that position without touching their entries — at 100k
     * workloads the entries' memory, not the work, is the cost; otherwise every entry is visited and carries its rank.
     */
    private DemandCache.WorkloadEntry[] inIdOrder(List<Workload> workloads, DemandCache.CachedBound bound) {
        long previous = cycle;
        cycle++;
        Object[] before = lastList;
        int m = lastListSize;
        Object[] spare = spareList;
        int spareSize = spareListSize;
        lastList = null; // valid again only once this cycle's order is complete
        spareList = new Object[0];
        spareListSize = 0;
        int n = workloads.size(); // a snapshot's lists do not change
        Object[] current = workloads.toArray(spare);
        if (current == spare && spareSize > n) {
            Arrays.fill(current, n, spareSize, null); // nothing gone is kept alive by the buffer
        }
        if (before != null) {
            spareList = before; // the next cycle's buffer
            spareListSize = m;
        }
        DemandCache.WorkloadEntry[] beforeEntries = lastByPosition;
        int[] beforeRanks = lastRankByPosition;
        lastByPosition = null;
        lastRankByPosition = null;
        fresh = new ArrayList<>();
        gone = null;
        carryFrom = null; // set by a sparse placement only
        claimed = new int[0];
        claimedAt = new int[0];
        if (before != null && beforeRanks != null && lastSorted != null && lastSorted.length == lastCount) {
            DemandCache.WorkloadEntry[] placed = sparse(current, n, before, m, bound, beforeEntries, beforeRanks);
            if (placed != NOT_ALIGNED) {
                sparseBuilds++;
                return placed;
            }
        }
        if (!ranksInEntries && lastSorted != null) { // the last cycle placed by position: give the entries their ranks
            for (int i = 0; i < lastSorted.length; i++) {
                lastSorted[i].rank = i;
                lastSorted[i].rankCycle = previous;
            }
        }
        DemandCache.WorkloadEntry[] byRank = new DemandCache.WorkloadEntry[lastCount];
        int known = 0;
        DemandCache.WorkloadEntry[] byPosition = new DemandCache.WorkloadEntry[n];
        for (int p = 0; p < n; p++) {
            Workload w = (Workload) current[p];
            DemandCache.WorkloadEntry e;
            if (before != null && p < m && before[p] == w) {
                e = beforeEntries[p];
                bound.touch(e);
            } else {
                e = bound.entry(w);
            }
            byPosition[p] = e;
            if (e.seenCycle == cycle) {
                return null; // the same entry twice: equal duplicates
            }
            e.seenCycle = cycle;
            if (e.rankCycle == previous && e.rank < lastCount) {
                if (byRank[e.rank] != null) {
                    return null; // two versions of one id
                }
                byRank[e.rank] = e;
                known++;
            } else {
                fresh.add(e);
            }
        }
        DemandCache.WorkloadEntry[] out = merge(byRank, known, n);
        if (out == null) {
            return null;
        }
        int[] ranks = new int[n];
        for (int i = 0; i < n; i++) {
            out[i].rank = i;
            out[i].rankCycle = cycle;
        }
        for (int p = 0; p < n; p++) {
            ranks[p] = byPosition[p].rank;
        }
        if (lastSorted != null) {
            gone = new ArrayList<>();
            for (DemandCache.WorkloadEntry e : lastSorted) {
                if (e.seenCycle != cycle) {
                    gone.add(e);
                }
            }
        }
        ranksInEntries = true;
        lastCount = n;
        lastList = current;
        lastListSize = n;
        lastByPosition = byPosition;
        lastRankByPosition = ranks;
        return out;
    }

    /** Returned by {@link #sparse} when the positions do not align (then every entry is visited). */
    private static final DemandCache.WorkloadEntry[] NOT_ALIGNED = new DemandCache.WorkloadEntry[0];

    /**
     * Changed positions a placement by position accepts whatever the size: only a placement by position carries the
     * clean tenants' ranks into the next walk, and a small cluster changes a large share of its workloads per cycle
     * (a replay of Philly: ~100 priority writes a cycle among 70-400 workloads), where the passes cost nothing.
     */
    private static final int SPARSE_MIN_LIMIT = 256;

    /** How far the alignment looks ahead for a deletion or an insertion. */
    private static final int LOOKAHEAD = 8;

    /**
     * {@link #inIdOrder} for a cycle where few input positions hold other objects than in the last cycle; {@link
     * #NOT_ALIGNED} when more than {@link #SPARSE_MIN_LIMIT} and an eighth of them changed (then placing by position
     * would not pay), null for duplicate ids.
     *
     * <p>The two input lists are aligned by identity, greedily (a deletion or insertion shifts the positions after it;
     * a substitution keeps them), looking {@link #LOOKAHEAD} positions ahead at a mismatch. An unchanged position keeps
     * its entry and the last cycle's rank of that position, without a visit to the entry. A new version of the
     * workload that held the same position takes its predecessor's rank (same id, same place in the order); an entry of
     * the last cycle met at another position keeps its rank; only new ids are merged in, by binary search in the last
     * cycle's order. Three passes over the positions and one over the last ranks: at 100k workloads the passes are the
     * cost.
     */
    private DemandCache.WorkloadEntry[] sparse(Object[] now, int n, Object[] then, int m,
                                               DemandCache.CachedBound bound, DemandCache.WorkloadEntry[] beforeEntries,
                                               int[] beforeRanks) {
        int limit = Math.max(SPARSE_MIN_LIMIT, n / 8);
        if (Math.abs(n - m) > limit) {
            return NOT_ALIGNED;
        }
        DemandCache.WorkloadEntry[] last = lastSorted;
        DemandCache.WorkloadEntry[] byPosition = new DemandCache.WorkloadEntry[n];
        int[] ranks = new int[n]; // the last rank of an unchanged position's entry, later its rank now
        int[] changed = new int[64]; // changed positions, in order
        int[] predecessor = new int[64]; // per changed position: the last position it replaced one for one, or -1
        int[] unmatched = new int[64]; // the last positions whose object is not at any unchanged position now
        int u = 0;
        int c = 0;
        int p = 0;
        int q = 0;
        // compared as Objects: a cast to Workload reads each object's header, a cache miss per position at 100k
        while (p < n) {
            Object w = now[p];
            if (q < m && w == then[q]) { // the same object as at the last position q: its entry and rank
                byPosition[p] = beforeEntries[q];
                ranks[p++] = beforeRanks[q++];
                continue;
            }
            int deleted = -1;
            int inserted = -1;
            for (int d = 1; d <= LOOKAHEAD && q < m; d++) {
                if (deleted < 0 && q + d < m && w == then[q + d]) {
                    deleted = d;
                }
                if (inserted < 0 && p + d < n && now[p + d] == then[q]) {
                    inserted = d;
                }
                if (deleted > 0 || inserted > 0) {
                    break;
                }
            }
            if (deleted > 0 && (inserted < 0 || deleted <= inserted)) {
                for (int d = 0; d < deleted; d++) { // the last cycle's positions q .. q+deleted-1 are gone
                    if (u == limit) {
                        return NOT_ALIGNED;
                    }
                    if (u == unmatched.length) {
                        unmatched = Arrays.copyOf(unmatched, u * 2);
                    }
                    unmatched[u++] = q++;
                }
                continue;
            }
            int run = inserted > 0 ? inserted : 1;
            for (int k = 0; k < run; k++) {
                if (c == limit) {
                    return NOT_ALIGNED;
                }
                if (c == changed.length) {
                    changed = Arrays.copyOf(changed, c * 2);
                    predecessor = Arrays.copyOf(predecessor, c * 2);
                }
                predecessor[c] = inserted > 0 || q >= m ? -1 : q; // one for one, unless an insertion run
                changed[c++] = p;
                ranks[p++] = -1;
            }
            if (inserted < 0 && q < m) { // the last position q was substituted
                if (u == unmatched.length) {
                    unmatched = Arrays.copyOf(unmatched, u * 2);
                }
                unmatched[u++] = q++;
            }
        }
        if (m - q + u > limit || m != lastCount) {
            return NOT_ALIGNED;
        }
        // the last order without the objects not met at an unchanged position (a sequential copy and a few holes: a
        // store per rank in the order of the positions would miss the cache at almost every one)
        DemandCache.WorkloadEntry[] byRank = Arrays.copyOf(last, lastCount);
        for (int i = 0; i < u; i++) {
            byRank[beforeRanks[unmatched[i]]] = null;
        }
        for (; q < m; q++) { // the last positions after the last one matched
            byRank[beforeRanks[q]] = null;
        }
        gone = new ArrayList<>();
        int[] claims = new int[c]; // last ranks taken by a new version (nothing of theirs carries)
        int claimCount = 0;
        int[] lastRankAt = new int[c]; // per changed position: the last cycle's rank it takes, or -1
        List<DemandCache.WorkloadEntry> insert = new ArrayList<>(); // new ids: merged by id
        int[] insertAt = new int[c];
        for (int i = 0; i < c; i++) {
            int at = changed[i];
            DemandCache.WorkloadEntry e = bound.entry((Workload) now[at]);
            byPosition[at] = e;
            int r = -1;
            if (!bound.createdNow(e)) { // an entry of the last cycle at another position (a moved or equal object)
                int found = Arrays.binarySearch(last, e, BY_ID);
                if (found >= 0 && last[found] == e) {
                    r = found;
                }
            } else {
                fresh.add(e);
                int pred = predecessor[i];
                if (pred >= 0 && beforeEntries[pred].workload.id().equals(e.workload.id())) {
                    r = beforeRanks[pred]; // a new version where its predecessor was: the predecessor's rank
                    gone.add(beforeEntries[pred]);
                    claims[claimCount++] = r;
                }
            }
            if (r < 0) {
                insertAt[insert.size()] = at;
                insert.add(e);
                lastRankAt[i] = -1;
                continue;
            }
            if (byRank[r] != null) {
                return null; // the same entry twice, or two versions of one id
            }
            byRank[r] = e;
            lastRankAt[i] = r;
        }
        // the new ids in id order, each with the last rank it goes before
        Integer[] order = new Integer[insert.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> BY_ID.compare(insert.get(x), insert.get(y)));
        int[] goesBefore = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            DemandCache.WorkloadEntry e = insert.get(order[k]);
            if (k > 0 && BY_ID.compare(insert.get(order[k - 1]), e) == 0) {
                return null;
            }
            int at = Arrays.binarySearch(last, e, BY_ID);
            if (at >= 0 && byRank[at] != null) {
                return null; // two versions of one id (a last entry of that id, or its new version, is here)
            }
            goesBefore[k] = at >= 0 ? at : -at - 1; // a last entry of that id that is gone leaves a hole there
        }
        // one pass over the last ranks: the known entries in rank order, the new ids merged in, the holes gone
        int[] newRankOfOld = new int[lastCount];
        int[] carry = new int[n];
        int[] insertRank = new int[order.length];
        DemandCache.WorkloadEntry[] out = new DemandCache.WorkloadEntry[n];
        int o = 0;
        int k = 0;
        for (int r = 0; r < lastCount; r++) {
            while (k < order.length && goesBefore[k] == r) {
                insertRank[k] = o;
                carry[o] = -1;
                out[o++] = insert.get(order[k++]);
            }
            DemandCache.WorkloadEntry e = byRank[r];
            if (e == null) {
                gone.add(last[r]);
                continue;
            }
            newRankOfOld[r] = o;
            carry[o] = r;
            out[o++] = e;
        }
        while (k < order.length) {
            insertRank[k] = o;
            carry[o] = -1;
            out[o++] = insert.get(order[k++]);
        }
        if (o != n) {
            throw new IllegalStateException("sparse placement placed " + o + " of " + n + " workloads");
        }
        claimed = Arrays.copyOf(claims, claimCount);
        claimedAt = new int[claimCount];
        for (int i = 0; i < claimCount; i++) {
            claimedAt[i] = newRankOfOld[claims[i]];
            carry[claimedAt[i]] = -1; // a new version: nothing of its predecessor's carries
        }
        for (int i = 0; i < n; i++) { // unchanged positions: the last rank becomes this cycle's
            int r = ranks[i];
            if (r >= 0) {
                ranks[i] = newRankOfOld[r];
            }
        }
        for (int i = 0; i < c; i++) {
            if (lastRankAt[i] >= 0) {
                ranks[changed[i]] = newRankOfOld[lastRankAt[i]];
            }
        }
        for (int i = 0; i < order.length; i++) {
            ranks[insertAt[order[i]]] = insertRank[i];
        }
        carryFrom = carry;
        ranksInEntries = false; // placed by position: the entries' own ranks are an older cycle's
        lastCount = n;
        lastList = now;
        lastListSize = n;
        lastByPosition = byPosition;
        lastRankByPosition = ranks;
        return out;
    }

    /** The known entries ({@code byRank}, holes for those gone) merged with the sorted {@link #fresh} ones. */
    private DemandCache.WorkloadEntry[] merge(DemandCache.WorkloadEntry[] byRank, int known, int n) {
        DemandCache.WorkloadEntry[] old = new DemandCache.WorkloadEntry[known];
        int k = 0;
        for (DemandCache.WorkloadEntry e : byRank) {
            if (e != null) {
                old[k++] = e;
            }
        }
        fresh.sort(BY_ID);
        DemandCache.WorkloadEntry[] out = new DemandCache.WorkloadEntry[n];
        int o = 0;
        int from = 0;
        for (int f = 0; f < fresh.size(); f++) {
            DemandCache.WorkloadEntry e = fresh.get(f);
            if (f > 0 && BY_ID.compare(fresh.get(f - 1), e) == 0) {
                return null;
            }
            int at = Arrays.binarySearch(old, from, known, e, BY_ID);
            if (at >= 0) {
                return null;
            }
            at = -at - 1;
            System.arraycopy(old, from, out, o, at - from);
            o += at - from;
            from = at;
            out[o++] = e;
        }
        System.arraycopy(old, from, out, o, known - from);
        return out;
    }

    /**
     * Workload id → ClusterQueue of the non-finished workloads (as the plain build's map): the last cycle's map with
     * the entries that went away removed and the new ones (new ids, new versions) put, or built afresh.
     */
    private IdMap<String> queues(DemandCache.WorkloadEntry[] sorted, List<DemandCache.WorkloadEntry> gone) {
        IdMap.Editor<String> m;
        if (lastQueues != null && gone != null) {
            m = IdMap.editor(lastQueues, sorted.length);
            if (!ranksInEntries) { // a sparse placement: a new version at its predecessor's rank in the same queue
                // keeps the predecessor's map entry (no remove and put of the same id with the same value)
                for (int i = 0; i < claimed.length; i++) {
                    DemandCache.WorkloadEntry pred = lastSorted[claimed[i]];
                    DemandCache.WorkloadEntry e = sorted[claimedAt[i]];
                    derive(e);
                    if (pred.derivedEpoch == epoch && pred.phase != Phase.FINISHED && e.phase != Phase.FINISHED
                            && pred.clusterQueue != null && pred.clusterQueue.equals(e.clusterQueue)) {
                        pred.queueKeptCycle = cycle;
                        e.queueKeptCycle = cycle;
                    }
                }
            }
            for (DemandCache.WorkloadEntry e : gone) {
                if (e.queueKeptCycle != cycle) {
                    m.remove(e.workload.id());
                }
            }
            // after a sparse placement only the fresh entries can be new to this epoch (the others were derived in its
            // last cycle); after a full one, new versions kept their predecessor's rank, so every entry is looked at
            for (DemandCache.WorkloadEntry e : ranksInEntries ? Arrays.asList(sorted) : fresh) {
                if (!ranksInEntries && e.queueKeptCycle == cycle) {
                    continue; // derived above, its predecessor's map entry kept
                }
                if (e.derivedEpoch != epoch || !ranksInEntries) { // new to this epoch: a new id or a new version
                    derive(e);
                    if (e.phase != Phase.FINISHED && e.clusterQueue != null) {
                        m.put(e.workload.id(), e.clusterQueue);
                    } else {
                        m.remove(e.workload.id());
                    }
                }
            }
        } else {
            m = IdMap.editor(null, sorted.length);
            for (DemandCache.WorkloadEntry e : sorted) {
                derive(e);
                if (e.phase != Phase.FINISHED && e.clusterQueue != null) {
                    m.put(e.workload.id(), e.clusterQueue);
                }
            }
        }
        return m.build();
    }

    /** Admitted workloads with class and (for {@code fair}) the tenant's level without each, as the plain build. */
    private List<ContextBuilder.AdmittedWorkload> admitted(List<AdmittedUsage> admittedUsage, int[] admittedRank, int count,
                                                           ContextBuilder.AdmittedWorkload[] admOf,
                                                           Map<String, TenantState> states, Shares shares, double activeWeight) {
        io.wdrf.api.PreemptionMode mode = config.preemption();
        if (mode == io.wdrf.api.PreemptionMode.NEVER || mode == io.wdrf.api.PreemptionMode.ALLOW) {
            return List.of();
        }
        boolean fair = mode == io.wdrf.api.PreemptionMode.FAIR;
        Map<String, double[]> tenantUsage = new HashMap<>();
        List<ContextBuilder.AdmittedWorkload> out = new ArrayList<>(count);
        int next = 0; // the visited admitted workloads, in the same (id) order
        for (int i = 0; i < count; i++) {
            int r = admittedRank[i];
            ContextBuilder.AdmittedWorkload carried = admOf[r];
            if (carried != null) { // a clean tenant's: the same workload, state and Σ active weights as last cycle
                out.add(carried);
                continue;
            }
            AdmittedUsage a = admittedUsage.get(next++);
            double levelWithout = Double.NaN;
            if (fair) {
                levelWithout = ContextBuilder.levelWithout(shares, tenantUsage, states.get(a.tenant()), a.usage(), activeWeight);
            }
            DemandCache.WorkloadEntry e = a.entry();
            String cls = e.resolved != null ? e.resolved.workloadClass() : classes.resolve(e.workload).workloadClass();
            ContextBuilder.AdmittedWorkload w = new ContextBuilder.AdmittedWorkload(e.workload, a.tenant(), cls, levelWithout);
            admOf[r] = w;
            out.add(w);
        }
        return out;
    }

    private static final Comparator<DemandCache.WorkloadEntry> BY_ID = (x, y) -> x.workload.id().compareTo(y.workload.id());

    /** Progressive-filling order inside a tenant: class weight desc, queue-order time asc, id asc (as the plain build). */
    private static final Comparator<DemandCache.WorkloadEntry> WITHIN_TENANT = (x, y) -> {
        int c = Long.compare(y.classWeight, x.classWeight);
        if (c != 0) {
            return c;
        }
        c = Long.compare(x.queueOrderSeconds, y.queueOrderSeconds);
        if (c == 0) {
            c = Integer.compare(x.queueOrderNanos, y.queueOrderNanos);
        }
        return c != 0 ? c : x.workload.id().compareTo(y.workload.id());
    };
}
