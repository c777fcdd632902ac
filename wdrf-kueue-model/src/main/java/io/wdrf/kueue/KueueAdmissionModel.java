package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Entry point of the admission model used by {@link InMemoryCluster#admissionCycle()}: turns a snapshot into the
 * scheduler's inputs (Kueue's queue manager and cache: {@code pkg/cache/queue/manager.go},
 * {@code pkg/cache/scheduler/cache.go}) and runs one {@link Scheduler} cycle. The rules live in the classes named
 * in the package documentation, once each.
 *
 * <p>Queueing (Kueue's {@code workload.IsAdmissible} and queue manager): admitted workloads (phase ADMITTED) with
 * an admission record in a known ClusterQueue charge their admission's usage; admissible pending workloads reach a
 * ClusterQueue through their LocalQueue; one with no queue name, an unknown LocalQueue or ClusterQueue, no pod
 * sets or a malformed quantity stays pending with the reason.
 *
 * <p>Work per cycle is proportional to the workloads holding quota plus the admissible pending ones, which the
 * cluster indexes as they change (finished and gated workloads cost nothing); pod-set requests and admission usage
 * are parsed once per object (cached on the {@link WorkloadSlot}, by identity). Not thread-safe;
 * {@link InMemoryCluster} calls it under its lock.
 *
 * <p>Without inadmissible reasons and without Admission Fair Sharing (a replay's setting), the queues themselves
 * persist: each ClusterQueue's queued workloads stay in a {@link PendingQueue} in heap order, filed and unfiled as
 * the cluster's workloads change ({@link #queueChanged}), as Kueue's queue manager keeps its heaps between
 * scheduling cycles; a cycle walks them from the head and, for a BestEffortFIFO queue when no queue can preempt
 * (classical order), stops once every request shape still ahead is known not to fit ({@link ClusterQueueHeap}). A
 * cycle then costs what it admits plus what changed, not the queue length. The result is that of the full path
 * (every queued workload enqueued and sorted per cycle, every head visited), which tests compare it with
 * ({@link #persistentQueues(boolean)}).
 */
final class KueueAdmissionModel {

    private final KueueDemandModel demandModel;
    /** Heap order of the pending workloads in the last cycle (all ClusterQueues), the next cycle's sort input. */
    private final List<WorkloadSlot> lastOrder = new ArrayList<>();
    private long orderEpoch;
    /**
     * {@link ClusterQueueHeap#ORDER} on the queued workloads, written out: every cycle checks the whole (nearly sorted)
     * queue against it, and the composed comparator's lambda chain was most of a long queue's cycle. Same order
     * ({@code AdmissionModelTest} compares both).
     */
    static final Comparator<Requests.Queued> QUEUED_ORDER = (a, b) -> {
        if (a == b) {
            return 0;
        }
        int c = Integer.compare(b.priority(), a.priority()); // priority descending
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.orderSeconds(), b.orderSeconds()); // queue-order time, kept on the entry
        if (c == 0) {
            c = Integer.compare(a.orderNanos(), b.orderNanos());
        }
        if (c != 0) {
            return c;
        }
        Workload x = a.workload();
        Workload y = b.workload();
        c = x.uid().compareTo(y.uid());
        return c != 0 ? c : x.id().compareTo(y.id());
    };

    KueueAdmissionModel(KueueDemandModel demandModel) {
        this.demandModel = Objects.requireNonNull(demandModel, "demandModel");
    }

    private boolean recordReasons = true;

    /** Whether cycles collect the inadmissible workloads' reasons (default true); the model never reads them. */
    void recordReasons(boolean v) {
        recordReasons = v;
        queues = null;
    }

    /** Whether the persistent queues may be used (default true; false forces the full path, for tests). */
    private boolean persistentAllowed = true;
    /** The persistent queues by ClusterQueue name, or null when the next cycle (re)builds them (or never uses them). */
    private TreeMap<String, PendingQueue> queues;
    /** LocalQueue key → ClusterQueue name, as of the last build of {@link #queues}. */
    private final HashMap<String, String> queueOfLocalQueue = new HashMap<>();

    /** Allows or forbids the persistent queues (forbidden: every cycle takes the full path). For tests. */
    void persistentQueues(boolean allowed) {
        persistentAllowed = allowed;
        queues = null;
    }

    private long earlyStops;
    private long headsVisited;

    /** Heads the persistent walks popped (admitted or set aside) over all cycles. For tests. */
    long headsVisited() {
        return headsVisited;
    }

    /** How many times a queue's walk stopped with entries still ahead (persistent path). For tests. */
    long earlyStops() {
        return earlyStops;
    }

    /** Whether the last cycle used the persistent queues. For tests. */
    boolean usesPersistentQueues() {
        return queues != null;
    }

    /** ClusterQueues or LocalQueues changed: the persistent queues are rebuilt at the next cycle. */
    void invalidateQueues() {
        queues = null;
    }

    /**
     * The workload changed (or was deleted: {@code queuedNow} false): keeps its entry in the persistent queues equal
     * to what the full path would enqueue for it now ({@code queuedNow}: it is in the cluster's queued index).
     */
    void queueChanged(WorkloadSlot slot, boolean queuedNow) {
        if (queues == null) {
            return; // not in use, or rebuilt from the cluster's index at the next cycle
        }
        Requests.Queued entry = null;
        PendingQueue target = null;
        if (queuedNow) {
            entry = entry(slot, queueOfLocalQueue, queues::containsKey, NO_REASONS);
            if (entry != null) {
                target = queues.get(queueOfLocalQueue.get(entry.localQueue()));
            }
        }
        if (entry == slot.filed && target == slot.filedIn) {
            return;
        }
        if (slot.filed != null && slot.filedIn == queues.get(slot.filedIn.info.name())) {
            slot.filedIn.remove(slot.filed); // (an entry of an earlier build is simply dropped with it)
        }
        slot.filed = entry;
        slot.filedIn = target;
        if (entry != null) {
            target.add(entry);
        }
    }

    /** Files every queued workload of {@code in} anew (first use, or after ClusterQueues or LocalQueues changed). */
    private void buildQueues(Input in) {
        queues = new TreeMap<>();
        for (ClusterQueueInfo cq : in.clusterQueues()) {
            queues.putIfAbsent(cq.name(), new PendingQueue(cq));
        }
        queueOfLocalQueue.clear();
        for (LocalQueueInfo lq : in.localQueues()) {
            queueOfLocalQueue.putIfAbsent(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
        for (WorkloadSlot slot : in.queued()) {
            Requests.Queued entry = entry(slot, queueOfLocalQueue, queues::containsKey, NO_REASONS);
            slot.filed = entry;
            slot.filedIn = entry == null ? null : queues.get(queueOfLocalQueue.get(entry.localQueue()));
            if (entry != null) {
                slot.filedIn.add(entry);
            }
        }
    }

    /** A reason sink that keeps nothing (the model only ever puts into it). */
    private static final class Discarding extends TreeMap<WorkloadId, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String put(WorkloadId key, String value) {
            return null;
        }
    }

    /** The reason sink of cycles that keep none (it never holds anything, so one instance serves all). */
    private static final Discarding NO_REASONS = new Discarding();

    /**
     * What one cycle reads: the queue objects, and the workloads the cluster keeps indexed as they change —
     * those holding quota and the admissible pending ones (each in id order).
     */
    record Input(Collection<ClusterQueueInfo> clusterQueues, Collection<LocalQueueInfo> localQueues,
                 Collection<ResourceFlavorInfo> flavors, Collection<CohortInfo> cohorts,
                 Collection<WorkloadSlot> holding, Collection<WorkloadSlot> queued) {
    }

    /**
     * Runs one cycle.
     *
     * @param fairSharing Kueue's Fair Sharing configuration, or null
     * @param afs         the Admission Fair Sharing ledger, or null
     */
    Scheduler.Outcome run(Input in, FairSharingConfig fairSharing, AdmissionFairSharing afs) {
        if (persistentAllowed && !recordReasons && afs == null) {
            if (queues == null) {
                buildQueues(in);
            }
            // a walk may stop early only while no queue of the cycle can preempt: a preemption frees quota, and the
            // full walk would by then have set aside the stopped queue's heads round by round (see ClusterQueueHeap)
            boolean mayStop = fairSharing == null;
            for (PendingQueue q : queues.values()) {
                mayStop &= !Preemptor.mayPreempt(q.info);
            }
            TreeMap<String, ClusterQueueHeap> heaps = new TreeMap<>();
            for (PendingQueue q : queues.values()) {
                heaps.put(q.info.name(), new ClusterQueueHeap(q, mayStop));
            }
            Scheduler.Outcome outcome = schedule(in, heaps, NO_REASONS, fairSharing, null);
            for (ClusterQueueHeap h : heaps.values()) {
                earlyStops += h.stoppedEarly() ? 1 : 0;
                headsVisited += h.popped();
            }
            return outcome;
        }
        queues = null;
        TreeMap<String, ClusterQueueHeap> heaps = new TreeMap<>();
        for (ClusterQueueInfo cq : in.clusterQueues()) {
            heaps.putIfAbsent(cq.name(), new ClusterQueueHeap(cq, afs));
        }
        HashMap<String, String> localQueues = new HashMap<>();
        for (LocalQueueInfo lq : in.localQueues()) {
            localQueues.putIfAbsent(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
        SortedMap<WorkloadId, String> inadmissible = recordReasons ? new TreeMap<>() : new Discarding();
        // the pending workloads in the previous cycle's heap order, then the new ones: the sort below gives the
        // same order from any input order (ORDER is total), and from a nearly sorted one it is about linear
        long epoch = ++orderEpoch;
        WorkloadSlot[] queuedNow = new WorkloadSlot[in.queued().size()];
        int nq = 0;
        for (WorkloadSlot slot : in.queued()) { // one pass over the cluster's index (a tree), then the array
            slot.queuedEpoch = epoch;
            queuedNow[nq++] = slot;
        }
        List<WorkloadSlot> input = new ArrayList<>(nq);
        for (WorkloadSlot slot : lastOrder) {
            if (slot.queuedEpoch == epoch && slot.orderEpoch != epoch) {
                slot.orderEpoch = epoch;
                input.add(slot);
            }
        }
        for (int i = 0; i < nq; i++) {
            WorkloadSlot slot = queuedNow[i];
            if (slot.orderEpoch != epoch) {
                slot.orderEpoch = epoch;
                input.add(slot);
            }
        }
        HashMap<String, ClusterQueueHeap> heapOfLocalQueue = new HashMap<>();
        for (WorkloadSlot slot : input) {
            enqueue(slot, heaps, localQueues, heapOfLocalQueue, inadmissible);
        }
        heaps.values().forEach(h -> h.sort(QUEUED_ORDER));
        lastOrder.clear();
        heaps.values().forEach(h -> h.forEachQueued(q -> lastOrder.add(q.slot())));
        return schedule(in, heaps, inadmissible, fairSharing, afs);
    }

    /** One scheduler cycle over filled heaps. */
    private Scheduler.Outcome schedule(Input in, TreeMap<String, ClusterQueueHeap> heaps,
                                       SortedMap<WorkloadId, String> inadmissible, FairSharingConfig fairSharing,
                                       AdmissionFairSharing afs) {
        QuotaTree tree = tree(in, heaps);
        TreeMap<String, ResourceFlavorInfo> flavors = new TreeMap<>();
        for (ResourceFlavorInfo f : in.flavors()) {
            flavors.putIfAbsent(f.name(), f);
        }
        return new Scheduler(heaps, tree, flavors, coverage(heaps), () -> held(in.holding(), heaps), inadmissible,
                recordReasons, fairSharing, afs).run();
    }

    /** The ClusterQueue objects {@link #coverage} was computed for, in name order. */
    private final List<ClusterQueueInfo> coverageFor = new ArrayList<>();
    private Map<String, Map<String, List<String>>> coverage;

    /**
     * {@link FlavorAssigner#coverage} of the heaps' ClusterQueues: the last cycle's when they are the very same
     * objects (records are immutable), so a cycle does not recompute it.
     */
    private Map<String, Map<String, List<String>>> coverage(TreeMap<String, ClusterQueueHeap> heaps) {
        boolean same = coverage != null && coverageFor.size() == heaps.size();
        if (same) {
            int i = 0;
            for (ClusterQueueHeap h : heaps.values()) {
                if (coverageFor.get(i++) != h.info) {
                    same = false;
                    break;
                }
            }
        }
        if (!same) {
            coverageFor.clear();
            heaps.values().forEach(h -> coverageFor.add(h.info));
            coverage = FlavorAssigner.coverage(coverageFor);
        }
        return coverage;
    }

    /**
     * The workloads holding quota in a known ClusterQueue, by id: what preemption chooses from. Built only when a
     * cycle tries preemption (most cycles of a queue that never preempts do not need it).
     */
    private TreeMap<WorkloadId, Requests.Held> held(Collection<WorkloadSlot> holding, Map<String, ClusterQueueHeap> heaps) {
        TreeMap<WorkloadId, Requests.Held> held = new TreeMap<>();
        for (WorkloadSlot slot : holding) {
            Admission a = slot.workload.admission();
            if (a == null || !heaps.containsKey(a.clusterQueue())) {
                continue; // quota held in an unknown ClusterQueue (or without a record) cannot be accounted
            }
            held.put(slot.workload.id(), new Requests.Held(slot.workload, a.clusterQueue(), usage(slot, a),
                    slot.reservedAt));
        }
        return held;
    }

    // ------------------------------------------------------------------ the persistent quota tree

    /** Values whose sums are exact in doubles: multiples of 2^-10 below 2^43 (so 53 bits hold every partial sum). */
    private static final double EXACT_LIMIT = 0x1p43;

    static boolean exact(double v) {
        double scaled = v * 1024;
        return Math.abs(v) < EXACT_LIMIT && scaled == Math.rint(scaled);
    }

    /**
     * Quota tree charged with every held workload, kept up to date as workloads start and stop holding quota
     * ({@link #track}); each cycle works on a {@link QuotaTree#copy()}. Null when it must be rebuilt (ClusterQueues
     * or Cohorts changed) or when charges are not {@link #exact}: then every cycle charges a new tree from scratch.
     */
    private QuotaTree base;
    /** False once a quota or usage value was seen whose sums could round differently in another order. */
    private boolean exactSoFar = true;
    /** Total usage charged into {@link #base} per flavor-resource: every node's usage is at most this. */
    private final TreeMap<FlavorResource, Double> totals = new TreeMap<>();

    /** ClusterQueues or Cohorts changed: the persistent tree is rebuilt at the next cycle. */
    void invalidate() {
        base = null;
    }

    /**
     * The workload may have started or stopped holding quota, or changed its admission: keeps the persistent tree's
     * charge equal to what a from-scratch charge would be ({@code holding}: phase ADMITTED).
     */
    void track(WorkloadSlot slot, boolean holding) {
        if (base == null) {
            slot.chargedCq = null;
            slot.charged = null;
            return;
        }
        Admission a = holding ? slot.workload.admission() : null;
        String cq = null;
        Map<FlavorResource, Double> usage = null;
        if (a != null && base.queue(a.clusterQueue()) != null) {
            cq = a.clusterQueue();
            usage = usage(slot, a);
        }
        if (usage == slot.charged && Objects.equals(cq, slot.chargedCq)) {
            return;
        }
        if (slot.charged != null) {
            base.charge(slot.chargedCq, slot.charged, -1);
            slot.charged.forEach((fr, v) -> totals.merge(fr, -v, Double::sum));
        }
        slot.chargedCq = cq;
        slot.charged = usage;
        if (usage != null) {
            base.charge(cq, usage, 1);
            usage.forEach((fr, v) -> {
                double t = totals.merge(fr, v, Double::sum);
                if (!exact(v) || !exact(t)) {
                    exactSoFar = false;
                }
            });
        }
        if (!exactSoFar) {
            base = null;
            totals.clear();
        }
    }

    /** The quota tree this cycle starts from, charged with every workload holding quota in a known ClusterQueue. */
    private QuotaTree tree(Input in, Map<String, ClusterQueueHeap> heaps) {
        if (base != null) {
            return base.copy();
        }
        QuotaTree tree = new QuotaTree(heaps.values().stream().map(h -> h.info).toList(), in.cohorts());
        boolean[] ok = {exactSoFar};
        if (ok[0]) {
            tree.forEachQuotaValue(v -> ok[0] &= exact(v));
        }
        totals.clear();
        for (WorkloadSlot slot : in.holding()) {
            slot.chargedCq = null;
            slot.charged = null;
            Admission a = slot.workload.admission();
            if (a == null || !heaps.containsKey(a.clusterQueue())) {
                continue; // quota held in an unknown ClusterQueue (or without a record) cannot be accounted
            }
            Map<FlavorResource, Double> usage = usage(slot, a);
            tree.charge(a.clusterQueue(), usage, 1);
            slot.chargedCq = a.clusterQueue();
            slot.charged = usage;
            for (Map.Entry<FlavorResource, Double> e : usage.entrySet()) {
                double t = totals.merge(e.getKey(), e.getValue(), Double::sum);
                ok[0] &= exact(e.getValue()) && exact(t);
            }
        }
        exactSoFar = ok[0];
        if (!exactSoFar) {
            totals.clear();
            return tree;
        }
        base = tree;
        return tree.copy();
    }

    /** Whether cycles start from the persistent tree (false before the first cycle and after inexact values). */
    boolean incremental() {
        return base != null;
    }

    /**
     * For tests of the incremental bookkeeping: whether the persistent tree, when there is one, has exactly the
     * usage (zero entries aside) that charging every holding workload into a new tree gives.
     */
    boolean treeConsistent(Input in) {
        if (base == null) {
            return true;
        }
        TreeMap<String, ClusterQueueInfo> cqs = new TreeMap<>();
        in.clusterQueues().forEach(cq -> cqs.putIfAbsent(cq.name(), cq));
        QuotaTree fresh = new QuotaTree(cqs.values(), in.cohorts());
        for (WorkloadSlot slot : in.holding()) {
            Admission a = slot.workload.admission();
            if (a != null && cqs.containsKey(a.clusterQueue())) {
                fresh.charge(a.clusterQueue(), usage(a), 1);
            }
        }
        return nonZero(fresh.usageByNode()).equals(nonZero(base.usageByNode()));
    }

    private static List<Map<FlavorResource, Double>> nonZero(List<Map<FlavorResource, Double>> usage) {
        List<Map<FlavorResource, Double>> out = new ArrayList<>();
        for (Map<FlavorResource, Double> m : usage) {
            TreeMap<FlavorResource, Double> t = new TreeMap<>();
            m.forEach((k, v) -> {
                if (v != 0.0) {
                    t.put(k, v);
                }
            });
            out.add(t);
        }
        return out;
    }

    /** The admission's flavor-resource usage, parsed once per admission object. */
    private static Map<FlavorResource, Double> usage(WorkloadSlot slot, Admission a) {
        if (slot.usageFor != a) {
            slot.usage = usage(a);
            slot.usageFor = a;
        }
        return slot.usage;
    }

    private static Map<FlavorResource, Double> usage(Admission a) {
        TreeMap<FlavorResource, Double> usage = new TreeMap<>();
        for (PodSetAssignment psa : a.podSetAssignments()) {
            for (Map.Entry<String, Double> e : psa.resourceUsage().asMap().entrySet()) {
                String flavor = psa.flavors().get(e.getKey());
                if (flavor != null) {
                    usage.merge(new FlavorResource(flavor, e.getKey()), e.getValue(), Double::sum);
                }
            }
        }
        return usage;
    }

    private void enqueue(WorkloadSlot slot, Map<String, ClusterQueueHeap> heaps, Map<String, String> localQueues,
                         Map<String, ClusterQueueHeap> heapOfLocalQueue, SortedMap<WorkloadId, String> inadmissible) {
        String lq = localQueueOf(slot, inadmissible);
        if (lq == null) {
            return;
        }
        ClusterQueueHeap cq = heapOfLocalQueue.get(lq); // this cycle's answer for the LocalQueue, once found
        if (cq == null) {
            String cqName = clusterQueueOf(slot.workload, lq, localQueues, heaps::containsKey, inadmissible);
            if (cqName == null) {
                return;
            }
            cq = heaps.get(cqName);
            heapOfLocalQueue.put(lq, cq);
        }
        Requests.Queued q = requests(slot, lq, inadmissible);
        if (q != null) {
            cq.add(q);
        }
    }

    /** The slot's LocalQueue key, or null (empty queue name) with the reason put into {@code inadmissible}. */
    private static String localQueueOf(WorkloadSlot slot, SortedMap<WorkloadId, String> inadmissible) {
        if (slot.workload.queueName().isEmpty()) {
            inadmissible.put(slot.workload.id(), "spec.queueName is empty");
            return null;
        }
        return localQueueKey(slot);
    }

    /**
     * The ClusterQueue of LocalQueue {@code lq} (through {@code localQueues}) when it is {@code known}, or null with
     * the reason (the LocalQueue, or its ClusterQueue, does not exist) put into {@code inadmissible}.
     */
    private static String clusterQueueOf(Workload w, String lq, Map<String, String> localQueues,
                                         java.util.function.Predicate<String> known,
                                         SortedMap<WorkloadId, String> inadmissible) {
        String cqName = localQueues.get(lq);
        if (cqName == null) {
            inadmissible.put(w.id(), "LocalQueue " + lq + " does not exist");
            return null;
        }
        if (!known.test(cqName)) {
            inadmissible.put(w.id(), "ClusterQueue " + cqName + " (of LocalQueue " + lq + ") does not exist");
            return null;
        }
        return cqName;
    }

    /** {@code namespace/queueName} of the slot's workload (queue name not empty), kept across versions. */
    private static String localQueueKey(WorkloadSlot slot) {
        Workload w = slot.workload;
        if (slot.lqKeyFor != w) {
            Workload before = slot.lqKeyFor;
            // a new version of the workload (a priority write) keeps its id and queue-name objects: same key
            if (before == null || before.id() != w.id() || before.queueName() != w.queueName()) {
                slot.lqKey = w.id().namespace() + "/" + w.queueName();
            }
            slot.lqKeyFor = w;
        }
        return slot.lqKey;
    }

    /**
     * The queue entry {@link #enqueue} files for the slot's workload (reached through {@code localQueues} to a
     * ClusterQueue {@code known}), or null with the reason put into {@code inadmissible}: the checks of
     * {@link #enqueue} ({@link #localQueueOf}, {@link #clusterQueueOf}, {@link #requests}), without its per-cycle cache.
     */
    private Requests.Queued entry(WorkloadSlot slot, Map<String, String> localQueues,
                                  java.util.function.Predicate<String> known, SortedMap<WorkloadId, String> inadmissible) {
        String lq = localQueueOf(slot, inadmissible);
        if (lq == null || clusterQueueOf(slot.workload, lq, localQueues, known, inadmissible) == null) {
            return null;
        }
        return requests(slot, lq, inadmissible);
    }

    /** The entry of a workload whose LocalQueue resolved, or null (no pod sets, malformed requests) with the reason. */
    private Requests.Queued requests(WorkloadSlot slot, String lq, SortedMap<WorkloadId, String> inadmissible) {
        Workload w = slot.workload;
        if (w.podSets().isEmpty()) {
            inadmissible.put(w.id(), "spec.podSets: workload has no pod sets");
            return null;
        }
        if (slot.requestsFor != w.podSets()) {
            if (slot.requestsFor != null && slot.requestsFor.equals(w.podSets())) {
                slot.requestsFor = w.podSets(); // a rebuilt but equal pod-set list (e.g. after a priority write)
            } else {
                parse(slot);
            }
        }
        if (slot.requestError != null) {
            inadmissible.put(w.id(), "invalid workload: " + slot.requestError);
            return null;
        }
        if (slot.queued == null || slot.queued.workload() != w || slot.queued.podSets() != slot.requests) {
            slot.queued = new Requests.Queued(w, lq, slot.requests, slot);
        }
        return slot.queued;
    }

    /** Parses the pod sets' total requests once per pod-set list (records are immutable: identity = content). */
    private void parse(WorkloadSlot slot) {
        List<PodSet> podSets = slot.workload.podSets();
        List<Requests.PodSetRequest> requests = new ArrayList<>(podSets.size());
        String error = null;
        for (int i = 0; i < podSets.size() && error == null; i++) {
            PodSet ps = podSets.get(i);
            try {
                Map<String, Double> pod = demandModel.podRequest(ps, "spec.podSets[" + i + "]");
                TreeMap<String, Double> total = new TreeMap<>();
                pod.forEach((res, v) -> {
                    if (v > 0 && ps.count() > 0) {
                        total.put(res, v * ps.count());
                    }
                });
                requests.add(new Requests.PodSetRequest(ps.name(), ps.count(), total, ps.nodeSelector()));
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        slot.requestsFor = podSets;
        slot.requests = error == null ? intern(new Requests.RequestList(requests)) : null;
        slot.requestError = error;
    }

    /** Bound of {@link #shapes}: past it the memo starts over (it only saves work). */
    private static final int MAX_SHAPES = 1 << 16;
    /**
     * One instance per distinct request shape: workloads asking for the same thing share their parsed list, so a
     * cycle's scheduling-equivalence memo ({@link ClusterQueueHeap#knownFailure}) finds them by identity instead of
     * hashing and comparing one list per pending workload. The lists are immutable, so sharing changes nothing else.
     */
    private final HashMap<Requests.RequestList, Requests.RequestList> shapes = new HashMap<>();

    private Requests.RequestList intern(Requests.RequestList list) {
        Requests.RequestList known = shapes.get(list);
        if (known != null) {
            return known;
        }
        if (shapes.size() >= MAX_SHAPES) {
            shapes.clear();
        }
        shapes.put(list, list);
        return list;
    }
}
