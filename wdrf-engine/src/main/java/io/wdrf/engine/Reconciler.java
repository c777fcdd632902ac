package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Phase;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control loop: snapshot → plan → diff → write.
 *
 * <p>Cycles run on one thread: after a change event (coalesced by the debounce) and every resync interval. A cycle
 * never throws: a malformed object is skipped and reported in the {@link CycleReport}; a failing policy or writer
 * fails that cycle only. Only priorities that differ from what is on the object are written, most important
 * first; a priority someone else overwrote is re-applied at most {@link ReconcilerSettings#maxOverrideRewrites()}
 * times per window. Nothing is written in dry-run mode or while {@code leadership} says this replica is not the
 * leader.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

    private final ClusterView view;
    private final PriorityWriter writer;
    private final WdrfEngine engine;
    private final ReconcilerSettings settings;
    private final CycleListener listener;
    private final BooleanSupplier leadership;
    private final Clock clock;
    private final WriteLedger ledger;
    private final Reservations reservations;
    private volatile List<WorkloadId> reservationHeads = List.of();
    /** What the ledger may hold entries for: the last cycle's pending workloads (id order) and protection targets. */
    private List<PendingWorkload> trackedPending = List.of();
    private Set<WorkloadId> trackedProtected = Set.of();
    /** The last cycle's snapshot workloads and how many of them were admitted. */
    private List<Workload> countedWorkloads = List.of();
    private int countedAdmitted;
    /** The cycle's pending workloads by id; its arrays are reused by the next cycle (cycles are serialised). */
    private final WorkloadTable pendingTable = new WorkloadTable();
    /** {@link #settled}'s value for a pending position whose stored priority is not known to equal its decision. */
    private static final long UNSETTLED = Long.MIN_VALUE;
    /**
     * Per position of {@link #settledFor} (the last cycle's pending list): the priority its workload object was found
     * to hold already, or {@link #UNSETTLED}. At 40k pending, reading each workload to compare its stored priority
     * with an unchanged decision was most of the loop over the plan; the table pairs this cycle's positions with the
     * last's by workload identity. Two buffers in turn.
     */
    private long[] settled = new long[0];
    private long[] spareSettled = new long[0];
    private List<PendingWorkload> settledFor;
    private final AtomicBoolean triggerScheduled = new AtomicBoolean();
    private final Object cycleLock = new Object();
    private ScheduledExecutorService executor;
    private AutoCloseable subscription;

    private Reconciler(Builder b) {
        this.view = b.view;
        this.writer = b.writer;
        this.engine = b.engine;
        this.settings = b.settings;
        this.listener = b.listener;
        this.leadership = b.leadership;
        this.clock = engine.clock();
        this.ledger = new WriteLedger(settings.maxOverrideRewrites(), settings.overrideWindow());
        this.reservations = b.reservations.enabled() ? new Reservations(engine.config().maxAgingTime(),
                b.reservations.timeout(), b.reservations.maxGated(), b.reservations.mode()) : null;
    }

    /**
     * Whether Kueue was seen admitting workloads through WDRF's reservation gate (so reservations cannot hold
     * capacity; in mode {@code auto} they stopped); false when reservations are off.
     */
    public boolean reservationGateIgnored() {
        return reservations != null && reservations.gateIgnored();
    }

    /**
     * The workloads the last cycle held a starvation reservation for (sorted by id; empty when reservations are off
     * or none is held), e.g. for a simulator measuring the reservation bound.
     */
    public List<WorkloadId> reservationHeads() {
        return reservationHeads;
    }

    /** A builder for a loop over {@code view} writing through {@code writer}. */
    public static Builder builder(ClusterView view, PriorityWriter writer, WdrfEngine engine) {
        return new Builder(view, writer, engine);
    }

    /** Starts event-driven and periodic cycles on a daemon thread; idempotent. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wdrf-reconciler");
            t.setDaemon(true);
            return t;
        });
        subscription = view.addChangeListener(this::onChange);
        long period = settings.resyncInterval().toMillis();
        executor.scheduleWithFixedDelay(this::runQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    private void onChange() {
        ScheduledExecutorService ex = executor;
        if (ex == null || ex.isShutdown()) {
            return;
        }
        if (triggerScheduled.compareAndSet(false, true)) {
            try {
                ex.schedule(() -> {
                    triggerScheduled.set(false);
                    runQuietly();
                }, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                triggerScheduled.set(false);
            }
        }
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "reconcile cycle failed unexpectedly", t);
        }
    }

    /** Runs one cycle now, on the caller's thread (serialised with the loop's own cycles). */
    public CycleReport runOnce() {
        synchronized (cycleLock) {
            long t0 = System.nanoTime();
            Instant now = clock.instant();
            boolean leader = leadership.getAsBoolean();
            CycleReport report;
            try {
                report = cycle(now, leader, t0);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reconcile cycle failed", e);
                report = new CycleReport(now, Duration.ofNanos(System.nanoTime() - t0), engine.policy().name(), 0, 0,
                        null, null, null, null, null, 0, 0, 0, settings.dryRun(), leader,
                        e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try {
                listener.onCycle(report);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cycle listener failed", e);
            }
            return report;
        }
    }

    private CycleReport cycle(Instant now, boolean leader, long t0) {
        ClusterSnapshot snapshot = view.snapshot();
        Evaluation ev = engine.evaluate(snapshot, now);
        WorkloadTable pending = pendingTable.update(ev.context().pending());
        int admitted = admittedCount(snapshot.workloads());
        Map<WorkloadId, Workload> protectedById = admittedTargets(snapshot, ev);
        forgetUntracked(ev.context().pending(), protectedById);
        Protections protections = protectionUpdates(ev, protectedById, now);

        List<PriorityUpdate> updates = new ArrayList<>();
        Map<WorkloadId, PriorityDecision> decisionOf = new HashMap<>();
        int deferred = 0;
        WriteOrdering ordering = settings.writeOrdering();
        WriteOrder order = null;
        if (ordering != WriteOrdering.PLAN) {
            Map<WorkloadId, PendingWorkload> pendingWorkloads = new HashMap<>(pending.size() * 2);
            for (PendingWorkload p : ev.context().pending()) {
                pendingWorkloads.put(p.id(), p);
            }
            order = new WriteOrder(snapshot, ev, pendingWorkloads);
        }
        Decided decided = decide(ev, pending, ordering, order, now);
        List<PriorityDecision> wanted = decided.wanted;
        int overrides = decided.overrides;
        int suppressed = decided.suppressed;
        long[] nowSettled = decided.settled;
        List<PendingWorkload> pendingList = ev.context().pending();
        spareSettled = settled;
        settled = nowSettled;
        settledFor = pendingList;
        if (order != null) {
            java.util.Comparator<WorkloadId> byEffect = order.comparator();
            wanted.sort((a, b) -> byEffect.compare(a.workloadId(), b.workloadId()));
        }
        for (PriorityDecision d : wanted) {
            if (updates.size() >= settings.maxWritesPerCycle()) {
                deferred++;
                continue;
            }
            Workload w = pending.get(d.workloadId());
            updates.add(toUpdate(w, d));
            decisionOf.put(w.id(), d);
        }

        WriteResult result = null;
        updates = withProtectionsFirst(protections, updates, pending, ev, leader);
        Reservations.Plan reservations = reservationPlan(snapshot, ev, now);
        if (reservations != null) {
            reservationHeads = reservations.held().stream().map(Reservations.Held::head).sorted().toList();
        }
        if (reservations != null && !reservations.updates().isEmpty()) {
            updates = withGates(updates, reservations);
        }
        decisionOf.putAll(protections.decisions());
        if (!updates.isEmpty() && !settings.dryRun() && leader) {
            result = writeProtectionsFirst(protections, updates, u -> isGuardedRaise(u, pending, ev));
            recordWritten(result, reservations, decisionOf, protectedById, pending);
        } else if (!updates.isEmpty() && settings.dryRun()) {
            for (PriorityUpdate u : updates) {
                LOG.info(() -> "dry-run: would set " + u.workloadId() + " " + u.target() + " " + u.previous() + " -> "
                        + u.value() + " (" + u.explanation() + ")");
            }
        }
        return new CycleReport(now, Duration.ofNanos(System.nanoTime() - t0), ev.plan().policy(),
                ev.context().pending().size(), admitted, ev.context().tenants(), ev.invalid(), ev.plan(), updates, result,
                overrides + protections.overrides(), suppressed + protections.suppressed(), deferred, settings.dryRun(),
                leader, null, ev.capped(), protections.updates().size(), engine.evictionsCaused(),
                reservations == null ? 0 : reservations.held().size(), reservations == null ? 0 : reservations.updates().size(),
                new LazyMap<>(() -> fairShares(ev.context())));
    }

    /**
     * The report's fair shares, computed when first read (the simulator never reads them; they cost a water-filling
     * per cycle); a failure is logged and reads as no shares, it does not fail a cycle whose writes are done.
     */
    private static Map<String, Double> fairShares(io.wdrf.api.PolicyContext context) {
        try {
            return FairShares.of(context);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "fair shares of the cycle at " + context.now() + " failed", e);
            return Map.of();
        }
    }

    /**
     * Forgets the ledger entries of workloads neither pending nor protection targets any more, as a retain of the
     * ledger over {@code pending ∪ protected} would, by visiting only what left since the last cycle: entries are
     * only made for workloads tracked in their cycle, so the ones to forget are those tracked last cycle and not now.
     * Both pending lists are in id order (the context's promise): one merge walk, comparing ids only where the objects
     * differ.
     */
    private void forgetUntracked(List<PendingWorkload> pendingNow, Map<WorkloadId, Workload> protectedNow) {
        List<PendingWorkload> before = trackedPending;
        int j = 0;
        int m = pendingNow.size();
        for (PendingWorkload p : before) {
            WorkloadId id = p.id();
            int c = -1;
            while (j < m) {
                PendingWorkload q = pendingNow.get(j);
                if (q == p) {
                    c = 0;
                    break;
                }
                c = id.compareTo(q.id());
                if (c <= 0) {
                    break;
                }
                j++;
            }
            if (c == 0) {
                j++;
            } else if (!protectedNow.containsKey(id)) {
                ledger.forget(id);
            }
        }
        for (WorkloadId id : trackedProtected) {
            if (!protectedNow.containsKey(id) && !isPending(pendingNow, id)) {
                ledger.forget(id);
            }
        }
        trackedPending = pendingNow;
        trackedProtected = protectedNow.isEmpty() ? Set.of() : Set.copyOf(protectedNow.keySet());
    }

    /**
     * What {@link #cycle} decided to write, before the write order and the per-cycle cap: the decisions past the
     * hysteresis, the ledger's lag and suppression, with its counts and the priorities found settled per pending
     * position. A method of its own (a loop over every decision) so that the JIT compiles it early and small, not as
     * part of the whole cycle on stack replacement.
     */
    private static final class Decided {
        final List<PriorityDecision> wanted = new ArrayList<>();
        int overrides;
        int suppressed;
        long[] settled;
    }

    /** The cycle's {@link Decided}: every decision of the plan against what the pending workloads hold. */
    private Decided decide(Evaluation ev, WorkloadTable pending, WriteOrdering ordering, WriteOrder order, Instant now) {
        Decided out = new Decided();
        List<PriorityDecision> wanted = out.wanted;
        PriorityPlan plan = ev.plan();
        List<PriorityDecision> decisions = plan.decisions();
        List<PendingWorkload> pendingList = ev.context().pending();
        // per pending position, the priority found already stored (else UNSETTLED): a decision of the same priority
        // for the very same workload object as the last cycle's is settled again without reading the workload
        long[] lastSettled = pending.previousList() == settledFor ? settled : null;
        long[] nowSettled = settledBuffer(pendingList.size());
        for (int k = 0; k < decisions.size(); k++) {
            PriorityDecision d = decisions.get(k);
            int at = plan.pendingPosition(k);
            Workload w;
            if (at >= 0) {
                int before = lastSettled == null ? -1 : pending.previousPosition(at);
                if (before >= 0 && lastSettled[before] == d.priority()) {
                    nowSettled[at] = d.priority();
                    continue;
                }
                w = pendingList.get(at).workload();
            } else {
                w = pending.get(d.workloadId());
            }
            if (w == null || w.effectivePriority() == d.priority()) {
                if (w != null && at >= 0) {
                    nowSettled[at] = d.priority();
                }
                continue;
            }
            boolean window = ordering == WriteOrdering.ORDER_ONLY && order.inWindow(w.id());
            if (!window && hasPriority(w) && Math.abs((long) d.priority() - w.effectivePriority()) < settings.minDelta()
                    && !aboveCeiling(ev, w)) {
                continue; // hysteresis: too small a change to be worth an API write
            }
            if (ordering == WriteOrdering.ORDER_ONLY && !order.orderMatters(w.id(), w.effectivePriority(), d.priority())) {
                continue; // below the admission window: its order decides nothing yet
            }
            WriteLedger.Judgement j = ledger.judge(w.id(), w.uid(), w.resourceVersion(), w.effectivePriority(),
                    d.priority(), now, w.annotations().get(PriorityUpdate.WRITTEN_ANNOTATION));
            if (j.overrideDetected()) {
                out.overrides++;
            }
            if (j.verdict() == WriteLedger.Verdict.LAG) {
                continue;
            }
            if (j.verdict() == WriteLedger.Verdict.SUPPRESS) {
                out.suppressed++;
                continue;
            }
            wanted.add(d);
        }
        out.settled = nowSettled;
        return out;
    }

    /** Records in the ledger (and as events) what the writer wrote of the cycle's decisions; gate events apart. */
    private void recordWritten(WriteResult result, Reservations.Plan reservations,
                               Map<WorkloadId, PriorityDecision> decisionOf, Map<WorkloadId, Workload> protectedById,
                               WorkloadTable pending) {
        Set<WorkloadId> done = new HashSet<>();
        for (WriteResult.Item item : result.items()) {
            if (item.outcome() == WriteOutcome.WRITTEN && gateEvent(reservations, item.workloadId())) {
                continue;
            }
            if (item.outcome() == WriteOutcome.WRITTEN && decisionOf.containsKey(item.workloadId())
                    && done.add(item.workloadId())) {
                Workload w = protectedById.get(item.workloadId()); // a protection target, else pending
                if (w == null) {
                    w = pending.get(item.workloadId());
                }
                PriorityDecision d = decisionOf.get(item.workloadId());
                ledger.written(w.id(), w.uid(), d.priority(), w.resourceVersion());
                if (settings.emitEvents()) {
                    recordEvent(w, d);
                }
            }
        }
    }

    /**
     * The number of admitted workloads in {@code now}, from the last cycle's count: one walk over the last and this
     * list that skips the very same objects (same phase) and re-counts the others. Exact in any order (every element
     * of either list is taken once, by a pairing or on its own); fast when the lists keep their order, as the
     * backends' id-sorted lists do: most objects are then skipped without being read. Counted directly when most of
     * the list changed.
     */
    private int admittedCount(List<Workload> now) {
        List<Workload> last = countedWorkloads;
        int count = countedAdmitted;
        if (now != last) {
            int i = 0;
            int j = 0;
            int n = last.size();
            int m = now.size();
            int edits = 0;
            while ((i < n || j < m) && edits <= m / 4 + 16) {
                Workload p = i < n ? last.get(i) : null;
                Workload q = j < m ? now.get(j) : null;
                if (p == q) {
                    i++;
                    j++;
                    continue;
                }
                edits++;
                int c = p == null ? 1 : q == null ? -1 : p.id().compareTo(q.id());
                if (c <= 0) {
                    count -= p.phase() == Phase.ADMITTED ? 1 : 0;
                    i++;
                }
                if (c >= 0) {
                    count += q.phase() == Phase.ADMITTED ? 1 : 0;
                    j++;
                }
            }
            if (i < n || j < m) { // most of it changed: count from scratch
                count = 0;
                for (Workload w : now) {
                    count += w.phase() == Phase.ADMITTED ? 1 : 0;
                }
            }
            countedWorkloads = now;
            countedAdmitted = count;
        }
        return count;
    }

    /** A buffer for this cycle's settled priorities, all {@link #UNSETTLED} over the first {@code n} positions. */
    private long[] settledBuffer(int n) {
        long[] b = spareSettled.length >= n && spareSettled.length <= 2 * n + 16 ? spareSettled : new long[n + n / 8];
        spareSettled = new long[0]; // handed out: the next swap returns the one in use now
        Arrays.fill(b, 0, n, UNSETTLED);
        return b;
    }

    /** The workloads the write ledger holds an entry for (for tests). */
    Set<WorkloadId> ledgerIds() {
        synchronized (cycleLock) {
            return ledger.ids();
        }
    }

    /** Binary search of an id-ordered pending list. */
    private static boolean isPending(List<PendingWorkload> pending, WorkloadId id) {
        int lo = 0;
        int hi = pending.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pending.get(mid).id().compareTo(id);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ starvation reservations (fairness)

    /** The reservation gate changes of this cycle, or null when reservations are off. */
    private Reservations.Plan reservationPlan(ClusterSnapshot snapshot, Evaluation ev, Instant now) {
        if (reservations == null) {
            return null;
        }
        return reservations.plan(snapshot, now, ev.clusterQueue(), ev.plan().decisions());
    }

    /**
     * Gate updates go after the priority writes (a gate never makes anything preemptible); a workload gated this cycle
     * gets no priority write (it leaves the admissible set), so every workload appears at most once.
     */
    private static List<PriorityUpdate> withGates(List<PriorityUpdate> updates, Reservations.Plan plan) {
        Set<WorkloadId> gated = new HashSet<>();
        plan.updates().forEach(u -> gated.add(u.workloadId()));
        List<PriorityUpdate> out = new ArrayList<>(updates.size() + gated.size());
        for (PriorityUpdate u : updates) {
            if (!gated.contains(u.workloadId())) {
                out.add(u);
            }
        }
        out.addAll(plan.updates());
        return out;
    }

    /** Records the Event of a written gate update; false when the item was not a gate update. */
    private boolean gateEvent(Reservations.Plan plan, WorkloadId id) {
        if (plan == null) {
            return false;
        }
        for (PriorityUpdate u : plan.updates()) {
            if (u.workloadId().equals(id) && u.target() == PriorityTarget.ANNOTATIONS) {
                if (settings.emitEvents()) {
                    String forWhom = u.annotations().get(PriorityUpdate.RESERVED_FOR_ANNOTATION);
                    try {
                        if (forWhom != null) {
                            writer.recordEvent(id, "ReservationGated", "WDRF gated admission ("
                                    + Workload.ADMISSION_GATED_BY + "=" + PriorityUpdate.RESERVATION_GATE
                                    + ") to hold capacity for " + forWhom + ", which waited past MAX_AGING_TIME");
                        } else {
                            writer.recordEvent(id, "ReservationReleased", "WDRF removed its reservation gate");
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "event for " + id + " failed", e);
                    }
                }
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ preemption-mode protections (fairness)

    /** Protection writes of a cycle and what the fight guard said about them. */
    private record Protections(List<PriorityUpdate> updates, Map<WorkloadId, PriorityDecision> decisions, int overrides,
                               int suppressed, boolean complete) {
    }

    /** The admitted workloads the preemption mode wants a protection priority on. */
    private static Map<WorkloadId, Workload> admittedTargets(ClusterSnapshot snapshot, Evaluation ev) {
        if (ev.protections().isEmpty()) {
            return Map.of();
        }
        Set<WorkloadId> wanted = new HashSet<>();
        ev.protections().forEach(d -> wanted.add(d.workloadId()));
        Map<WorkloadId, Workload> out = new HashMap<>();
        for (Workload w : snapshot.workloads()) {
            if (w.phase() == Phase.ADMITTED && wanted.contains(w.id())) {
                out.put(w.id(), w);
            }
        }
        return out;
    }

    /**
     * Protection updates (no hysteresis: a protection is exact or unsafe). {@code complete} is false when one was
     * withheld (fight guard) so that pending raises must wait.
     */
    private Protections protectionUpdates(Evaluation ev, Map<WorkloadId, Workload> admitted, Instant now) {
        if (admitted.isEmpty()) {
            return new Protections(List.of(), Map.of(), 0, 0, true);
        }
        List<PriorityUpdate> out = new ArrayList<>();
        Map<WorkloadId, PriorityDecision> decisions = new HashMap<>();
        int overrides = 0;
        int suppressed = 0;
        for (PriorityDecision d : ev.protections()) {
            Workload w = admitted.get(d.workloadId());
            if (w == null || w.effectivePriority() == d.priority()) {
                continue;
            }
            WriteLedger.Judgement j = ledger.judge(w.id(), w.uid(), w.resourceVersion(), w.effectivePriority(),
                    d.priority(), now, w.annotations().get(PriorityUpdate.WRITTEN_ANNOTATION));
            if (j.overrideDetected()) {
                overrides++;
            }
            if (j.verdict() == WriteLedger.Verdict.LAG) {
                continue;
            }
            if (j.verdict() == WriteLedger.Verdict.SUPPRESS) {
                suppressed++;
                continue;
            }
            out.add(toUpdate(w, d));
            decisions.put(w.id(), d);
        }
        return new Protections(out, decisions, overrides, suppressed, suppressed == 0);
    }

    /** True when the workload's current priority is above what the preemption mode allows it to hold. */
    private static boolean aboveCeiling(Evaluation ev, Workload w) {
        Integer ceiling = ev.ceilings().get(w.id());
        return ceiling != null && w.effectivePriority() > ceiling;
    }

    /**
     * Protections first; while a protection is withheld, pending updates that raise a guarded workload are dropped
     * (they are safe only once every admitted workload they could evict is protected).
     */
    private List<PriorityUpdate> withProtectionsFirst(Protections p, List<PriorityUpdate> pendingUpdates,
                                                      WorkloadTable pending, Evaluation ev, boolean leader) {
        if (p.updates().isEmpty() && p.complete()) {
            return pendingUpdates;
        }
        List<PriorityUpdate> out = new ArrayList<>(p.updates());
        for (PriorityUpdate u : pendingUpdates) {
            if (!p.complete() && isGuardedRaise(u, pending, ev)) {
                continue;
            }
            out.add(u);
        }
        return out;
    }

    private static boolean isGuardedRaise(PriorityUpdate u, WorkloadTable pending, Evaluation ev) {
        if (!pending.containsKey(u.workloadId()) || !ev.ceilings().containsKey(u.workloadId())) {
            return false;
        }
        return u.previous() == null || u.value() > u.previous();
    }

    /**
     * Sends the protections in their own request first; the pending updates follow only when every protection was
     * written (or its workload is gone). Otherwise the raises of guarded pending workloads are reported SKIPPED.
     */
    private WriteResult writeProtectionsFirst(Protections p, List<PriorityUpdate> updates,
                                              java.util.function.Predicate<PriorityUpdate> guardedRaise) {
        int n = p.updates().size();
        if (n == 0) {
            return writer.apply(updates);
        }
        WriteResult first = writer.apply(updates.subList(0, n));
        List<WriteResult.Item> items = new ArrayList<>(first.items());
        boolean ok = first.items().stream().allMatch(i -> i.outcome() == WriteOutcome.WRITTEN || i.outcome() == WriteOutcome.GONE);
        List<PriorityUpdate> rest = updates.subList(n, updates.size());
        List<PriorityUpdate> send = new ArrayList<>();
        List<WriteResult.Item> withheld = new ArrayList<>();
        for (PriorityUpdate u : rest) {
            if (!ok && guardedRaise.test(u)) {
                withheld.add(new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, 0,
                        "withheld: a protection write of this cycle failed"));
            } else {
                send.add(u);
            }
        }
        if (!send.isEmpty()) {
            items.addAll(writer.apply(send).items());
        }
        items.addAll(withheld);
        return new WriteResult(items);
    }

    private boolean hasPriority(Workload w) {
        return settings.target() == PriorityTarget.PRIORITY_BOOST ? w.priorityBoost() != null : w.priority() != null;
    }

    private PriorityUpdate toUpdate(Workload w, PriorityDecision d) {
        String explanation = settings.recordExplanation() ? d.explanation().summary() : null;
        // what WDRF wrote and the fight count, on the object: the fight limit holds across restarts
        Map<String, String> record = Map.of(PriorityUpdate.WRITTEN_ANNOTATION, ledger.record(w.id(), w.uid(), d.priority()));
        if (settings.target() == PriorityTarget.PRIORITY_BOOST) {
            long base = w.priority() == null ? 0 : w.priority();
            int boost = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, d.priority() - base));
            return new PriorityUpdate(w.id(), w.uid(), PriorityTarget.PRIORITY_BOOST, boost, w.priorityBoost(), explanation,
                    record);
        }
        long boost = w.priorityBoost() == null ? 0 : w.priorityBoost();
        int spec = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, d.priority() - boost));
        return new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY, spec, w.priority(), explanation, record);
    }

    private void recordEvent(Workload w, PriorityDecision d) {
        try {
            writer.recordEvent(w.id(), "PriorityChanged", "WDRF set effective priority " + w.effectivePriority() + " -> "
                    + d.priority() + ": " + d.explanation().summary());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "event for " + w.id() + " failed", e);
        }
    }

    /** Stops the loop; a running cycle completes. Idempotent. Does not close the view or writer. */
    @Override
    public synchronized void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing change subscription failed", e);
            }
            subscription = null;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** Builder. */
    public static final class Builder {
        private final ClusterView view;
        private final PriorityWriter writer;
        private final WdrfEngine engine;
        private ReconcilerSettings settings = ReconcilerSettings.defaults();
        private CycleListener listener = r -> { };
        private BooleanSupplier leadership = () -> true;
        private ReservationSettings reservations = ReservationSettings.off();

        private Builder(ClusterView view, PriorityWriter writer, WdrfEngine engine) {
            this.view = Objects.requireNonNull(view, "view");
            this.writer = Objects.requireNonNull(writer, "writer");
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        public Builder settings(ReconcilerSettings v) { settings = Objects.requireNonNull(v); return this; }
        public Builder listener(CycleListener v) { listener = Objects.requireNonNull(v); return this; }
        /** Writes happen only while this returns true (leader election); default always. */
        public Builder leadership(BooleanSupplier v) { leadership = Objects.requireNonNull(v); return this; }
        /** Starvation reservations (default off here; the standalone turns them on). */
        public Builder reservations(ReservationSettings v) { reservations = Objects.requireNonNull(v); return this; }

        public Reconciler build() {
            return new Reconciler(this);
        }
    }
}
