package io.wdrf.kueue;

import io.wdrf.engine.ManualClock;
import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.Phase;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.KueueDemandModel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An in-memory Kueue cluster: a {@link ClusterView} and {@link PriorityWriter} for tests, demos and simulations,
 * with a deterministic model of Kueue's quota reservation ({@link #admissionCycle()}).
 *
 * <p>Typical use:
 * <pre>{@code
 * ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
 * InMemoryCluster cluster = InMemoryCluster.builder(clock)
 *         .flavor("default")
 *         .clusterQueue("cq", ResourceQuota.of("default", "cpu", "9"), ResourceQuota.of("default", "memory", "18Gi"))
 *         .localQueue("team-a", "lq", "cq")
 *         .build();
 * Workload w = cluster.submit("team-a", "job-1", "lq", PodSet.of("main", 1, Map.of("cpu", "1")));
 * AdmissionResult r = cluster.admissionCycle();   // r.admitted() == [team-a/job-1]
 * }</pre>
 *
 * <p>Promises:
 * <ul>
 *   <li>Thread-safe: every method may be called from any thread; each call is atomic.</li>
 *   <li>{@link #snapshot()} is immutable, taken at the injected clock's instant, with every list sorted by
 *       name/id. Each workload's {@code clusterQueue} is resolved as a backend would: the admission's ClusterQueue,
 *       else the one its LocalQueue points to, else the stored value.</li>
 *   <li>Change listeners run after every mutating call (one call = one notification, even for a batch), on the
 *       calling thread, outside the internal lock; a throwing listener is logged and does not disturb the others.
 *       After {@link #close()} none is called and {@link #apply(List)} skips every update.</li>
 *   <li>Objects are stored as given: a workload with a malformed quantity (e.g. {@code cpu: "1x"}) is kept and
 *       served; the engine rejects it, and {@link #admissionCycle()} leaves it pending with the reason.</li>
 *   <li>Deterministic: uids of workloads and pods are counter-based ({@code 00000000-0000-4000-8000-000000000001},
 *       ...), so they sort in creation order; resourceVersions come from one counter; no hash order is ever observable.</li>
 *   <li>The priority-boost field and the {@code kueue.x-k8s.io/priority-boost} annotation are kept consistent, as
 *       a backend projecting a real object would show them.</li>
 * </ul>
 */
public final class InMemoryCluster implements ClusterView, PriorityWriter {

    /** Condition type Kueue sets on eviction. */
    public static final String EVICTED = "Evicted";
    /** Condition type Kueue sets when a workload was preempted. */
    public static final String PREEMPTED = "Preempted";
    /**
     * Label carrying {@code spec.maximumExecutionTimeSeconds}: Kueue's job integrations copy this job label into
     * the Workload's spec ({@code pkg/controller/jobframework/utils.go}); the {@link Workload} projection has no
     * such field, so the model reads the label from the workload. Positive integers only; anything else is ignored,
     * as Kueue ignores it.
     */
    public static final String MAX_EXEC_TIME_SECONDS_LABEL = "kueue.x-k8s.io/max-exec-time-seconds";
    /**
     * Label with a workload's checkpoint interval in seconds (a simulation setting, not a Kueue field): an evicted
     * workload keeps the work done up to its last checkpoint; {@code 0} means it restarts from scratch. Overrides
     * {@link Builder#checkpointInterval(Duration)}; malformed or negative values fall back to it.
     */
    public static final String CHECKPOINT_INTERVAL_LABEL = "sim.wdrf.x-k8s.io/checkpoint-interval-seconds";
    /** The resource counted in {@link #lostGpuHours()}. */
    public static final String GPU = "nvidia.com/gpu";

    private static final System.Logger LOG = System.getLogger(InMemoryCluster.class.getName());

    /** An Event recorded through {@link #recordEvent(WorkloadId, String, String)}. */
    public record RecordedEvent(Instant time, WorkloadId workloadId, String reason, String message) {
    }

    private final Object lock = new Object();
    private final Clock clock;
    private final KueueAdmissionModel model;
    private final FairSharingConfig fairSharing;
    private final AdmissionFairSharing admissionFairSharing;
    private final TreeMap<WorkloadId, WorkloadSlot> workloads = new TreeMap<>();
    /** The same slots by id, for lookups (a tree lookup compares strings at every level); never iterated. */
    private final java.util.HashMap<WorkloadId, WorkloadSlot> slots = new java.util.HashMap<>();
    /** Workloads holding quota (phase ADMITTED) and admissible pending ones: the admission model's inputs. */
    private final TreeMap<WorkloadId, WorkloadSlot> holding = new TreeMap<>();
    private final TreeMap<WorkloadId, WorkloadSlot> queued = new TreeMap<>();
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final TreeMap<String, PodInfo> pods = new TreeMap<>();
    private final TreeMap<String, ClusterQueueInfo> clusterQueues = new TreeMap<>();
    private final TreeMap<String, LocalQueueInfo> localQueues = new TreeMap<>();
    private final TreeMap<String, ResourceFlavorInfo> flavors = new TreeMap<>();
    private final TreeMap<String, CohortInfo> cohorts = new TreeMap<>();
    private final TreeMap<String, NamespaceInfo> namespaces = new TreeMap<>();
    private final List<InvalidObject> invalid = new ArrayList<>();
    private final List<RecordedEvent> events = new ArrayList<>();
    /**
     * WRITTEN priority writes of deleted workloads, per id (a live workload counts its own in
     * {@link WorkloadSlot#writes}: a write then costs no lookup here); only looked up, never iterated.
     */
    private final java.util.HashMap<WorkloadId, Integer> writes = new java.util.HashMap<>();
    private final TreeMap<WorkloadId, Integer> failNext = new TreeMap<>();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Admitted workloads that are inactive or carry a maximum execution time: checked each admission cycle. */
    private final TreeSet<WorkloadId> watched = new TreeSet<>();
    private long resourceVersion;
    /** The last snapshot and the {@link #resourceVersion} it was taken at. */
    private ClusterSnapshot snapshotCache;
    private long snapshotVersion = -1;
    /**
     * The workload slots in id order as of the last snapshot build, or null (the next build walks {@link #workloads}):
     * a build merges the slots submitted since ({@link #submittedSince}) into it and drops the deleted ones, instead
     * of walking the tree, which was most of a build.
     */
    private WorkloadSlot[] ordered;
    /** Slots submitted since {@link #ordered} was built, in submission order (only kept while it is not null). */
    private final ArrayList<WorkloadSlot> submittedSince = new ArrayList<>();
    /** Whether a workload was deleted since {@link #ordered} was built (its slot carries {@link WorkloadSlot#deleted}). */
    private boolean deletedSince;
    /** Moves with every change of the objects other than workloads (nodes, pods, queues, flavors, namespaces, invalid). */
    private long othersVersion;
    /** {@link #othersVersion} of the lists of {@link #snapshotCache}. */
    private long snapshotOthersVersion = -1;
    private long localQueueVersion;
    private long uidCounter;
    private long totalWrites;
    private long preemptions;
    private long deactivations;
    private final Duration checkpointInterval;
    private Duration lostWork = Duration.ZERO;
    private double lostGpuHours;
    private volatile boolean closed;
    /** Kueue older than v0.19 (or {@code AdmissionGatedBy} off): the admission gate annotation is inert. */
    private boolean admissionGateIgnored;

    private InMemoryCluster(Clock clock, KueueDemandModel demandModel, FairSharingConfig fairSharing,
                            AdmissionFairSharingConfig admissionFairSharing, Duration checkpointInterval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkpointInterval = checkpointInterval;
        this.model = new KueueAdmissionModel(demandModel);
        this.fairSharing = fairSharing;
        this.admissionFairSharing = admissionFairSharing == null ? null : new AdmissionFairSharing(admissionFairSharing);
    }

    /** An empty cluster driven by {@code clock}; use {@link #builder(Clock)} to pre-populate it. */
    public static InMemoryCluster create(Clock clock) {
        return new InMemoryCluster(clock, new KueueDemandModel(), null, null, Duration.ZERO);
    }

    /** A builder for a cluster driven by {@code clock} (typically a {@link ManualClock}). */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** The clock that stamps snapshots, creation times, admissions and evictions. */
    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------------------------------ ClusterView

    @Override
    public ClusterSnapshot snapshot() {
        synchronized (lock) {
            return snapshotLocked(clock.instant());
        }
    }

    private ClusterSnapshot snapshotLocked(Instant at) {
        ClusterSnapshot c = snapshotCache;
        if (c != null && snapshotVersion == resourceVersion) {
            // nothing stored changed since (every change moves the resourceVersion counter): same lists, new instant
            return c.takenAt().equals(at) ? c : new ClusterSnapshot(at, c.workloads(), c.nodes(), c.pods(),
                    c.clusterQueues(), c.localQueues(), c.flavors(), c.namespaces(), c.invalid());
        }
        snapshotCache = buildSnapshotLocked(at);
        snapshotVersion = resourceVersion;
        return snapshotCache;
    }

    private ClusterSnapshot buildSnapshotLocked(Instant at) {
        WorkloadSlot[] order = orderedLocked();
        Workload[] all = new Workload[order.length];
        for (int i = 0; i < order.length; i++) {
            all[i] = project(order[i]);
        }
        ClusterSnapshot c = snapshotCache;
        if (c != null && snapshotOthersVersion == othersVersion) {
            // only workloads changed: the other lists are the last snapshot's (immutable, equal to a new copy)
            return new ClusterSnapshot(at, java.util.Arrays.asList(all), c.nodes(), c.pods(), c.clusterQueues(),
                    c.localQueues(), c.flavors(), c.namespaces(), c.invalid());
        }
        snapshotOthersVersion = othersVersion;
        // one copy of the array (the record copies the list into an immutable one)
        return new ClusterSnapshot(at, java.util.Arrays.asList(all), new ArrayList<>(nodes.values()),
                new ArrayList<>(pods.values()), new ArrayList<>(clusterQueues.values()),
                new ArrayList<>(localQueues.values()), new ArrayList<>(flavors.values()),
                new ArrayList<>(namespaces.values()), new ArrayList<>(invalid));
    }

    /**
     * The stored slots in id order ({@link #workloads}' order): the last build's order with the deleted slots dropped
     * and the ones submitted since merged in, or a walk of the tree when there is no last order.
     */
    private WorkloadSlot[] orderedLocked() {
        WorkloadSlot[] last = ordered;
        if (last == null) {
            last = workloads.values().toArray(new WorkloadSlot[0]);
        } else if (!submittedSince.isEmpty() || deletedSince) {
            WorkloadSlot[] added = new WorkloadSlot[submittedSince.size()];
            int na = 0;
            for (WorkloadSlot e : submittedSince) {
                if (!e.deleted) {
                    added[na++] = e;
                }
            }
            java.util.Arrays.sort(added, 0, na, (a, b) -> a.workload.id().compareTo(b.workload.id()));
            WorkloadSlot[] out = new WorkloadSlot[workloads.size()];
            int i = 0;
            int k = 0;
            for (int j = 0; j < na; j++) {
                // where the new slot goes among the last order (deleted slots keep their place and id there): a binary
                // search, so the ids of the slots in between are not read
                WorkloadId id = added[j].workload.id();
                int lo = i;
                int hi = last.length;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (last[mid].workload.id().compareTo(id) < 0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                for (; i < lo; i++) {
                    if (!last[i].deleted) {
                        out[k++] = last[i];
                    }
                }
                out[k++] = added[j];
            }
            for (; i < last.length; i++) {
                if (!last[i].deleted) {
                    out[k++] = last[i];
                }
            }
            if (k != out.length) {
                throw new IllegalStateException("snapshot order lost track of the workloads: " + k + " of " + out.length);
            }
            last = out;
        }
        ordered = last;
        submittedSince.clear();
        deletedSince = false;
        return last;
    }

    /** Keeps {@link #ordered} mergeable after a submit (or drops it when more was submitted than it holds). */
    private void submittedLocked(WorkloadSlot e) {
        if (ordered == null) {
            return;
        }
        if (submittedSince.size() >= ordered.length + 64) {
            // nobody took a snapshot for a while: a walk of the tree is as cheap as the merge, and this list stays bounded
            ordered = null;
            submittedSince.clear();
            deletedSince = false;
            return;
        }
        submittedSince.add(e);
    }

    private Workload project(WorkloadSlot e) {
        if (e.projected == null || e.projectedFor != localQueueVersion) {
            e.projected = project(e.workload);
            e.projectedFor = localQueueVersion;
        }
        return e.projected;
    }

    private Workload project(Workload w) {
        String cq = null;
        if (w.admission() != null && w.phase() != Phase.PENDING) {
            cq = w.admission().clusterQueue();
        } else {
            LocalQueueInfo lq = localQueues.get(w.id().namespace() + "/" + w.queueName());
            if (lq != null) {
                cq = lq.clusterQueue();
            }
        }
        if (cq == null || cq.equals(w.clusterQueue())) {
            return w;
        }
        return withStatus(w, w.trueConditions(), cq, w.admission());
    }

    @Override
    public AutoCloseable addChangeListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }

    private void fire() {
        if (closed) {
            return;
        }
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "change listener " + l + " failed", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ PriorityWriter

    /**
     * Writes each update in order: {@code spec.priority} or the priority boost, plus the explanation annotation when
     * given. A missing workload or a uid mismatch is {@link WriteOutcome#GONE}; after {@link #close()} every update
     * is {@link WriteOutcome#SKIPPED}; failures injected with {@link #failNextWrites(WorkloadId, int)} are
     * {@link WriteOutcome#FAILED}. Every {@code WRITTEN} item counts in {@link #writeCount(WorkloadId)}, even when
     * the value did not change; the resourceVersion only moves (and listeners only fire) when something changed.
     */
    @Override
    public WriteResult apply(List<PriorityUpdate> updates) {
        List<WriteResult.Item> items = new ArrayList<>(updates.size());
        boolean changed = false;
        synchronized (lock) {
            for (PriorityUpdate u : updates) {
                if (closed) {
                    items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, 0, "writer closed"));
                    continue;
                }
                WorkloadSlot e = slots.get(u.workloadId());
                if (e == null) {
                    items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, 1, "workload not found"));
                    continue;
                }
                if (!u.uid().isEmpty() && !u.uid().equals(e.workload.uid())) {
                    items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, 1,
                            "uid changed: expected " + u.uid() + ", found " + e.workload.uid()));
                    continue;
                }
                Integer failures = failNext.get(u.workloadId());
                if (failures != null) {
                    if (failures <= 1) {
                        failNext.remove(u.workloadId());
                    } else {
                        failNext.put(u.workloadId(), failures - 1);
                    }
                    items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.FAILED, 1, "injected failure"));
                    continue;
                }
                changed |= writeLocked(e, u);
                e.writes++;
                totalWrites++;
                items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.WRITTEN, 1, ""));
            }
        }
        if (changed) {
            fire();
        }
        return new WriteResult(items);
    }

    @Override
    public void recordEvent(WorkloadId workloadId, String reason, String message) {
        synchronized (lock) {
            events.add(new RecordedEvent(clock.instant(), workloadId, reason, message));
        }
    }

    /** Events recorded so far, oldest first. */
    public List<RecordedEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** Number of {@code WRITTEN} priority writes to this workload through {@link #apply(List)} (kept after delete). */
    public int writeCount(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            return writes.getOrDefault(id, 0) + (e == null ? 0 : e.writes);
        }
    }

    /** Number of {@code WRITTEN} priority writes to all workloads. */
    public long totalWrites() {
        synchronized (lock) {
            return totalWrites;
        }
    }

    /** Makes the next {@code count} writes to this workload fail with {@link WriteOutcome#FAILED} (0 clears). */
    public void failNextWrites(WorkloadId id, int count) {
        synchronized (lock) {
            if (count <= 0) {
                failNext.remove(id);
            } else {
                failNext.put(id, count);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ workloads

    /**
     * Stores a workload as given, filling a deterministic uid when empty and a new resourceVersion; the namespace is
     * registered when unknown.
     *
     * @return the stored workload, as {@link #snapshot()} shows it
     * @throws IllegalStateException when a workload with the same id exists
     */
    public Workload submit(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Workload stored;
        synchronized (lock) {
            if (slots.containsKey(workload.id())) {
                throw new IllegalStateException("workload " + workload.id() + " already exists");
            }
            Workload w = normalizeBoost(workload);
            String rv = nextResourceVersion();
            String uid = workload.uid().isEmpty() ? nextUid() : w.uid();
            w = withVersion(w, uid, rv);
            WorkloadSlot entry = new WorkloadSlot(w, workload.phase() == Phase.ADMITTED ? clock.instant() : null);
            workloads.put(workload.id(), entry);
            slots.put(workload.id(), entry);
            submittedLocked(entry);
            reindexLocked(entry);
            Workload w0 = entry.workload;
            if (w0.phase() == Phase.ADMITTED && (!w0.active() || w0.labels().containsKey(MAX_EXEC_TIME_SECONDS_LABEL))) {
                watched.add(w0.id());
            }
            stored = project(entry);
            if (!namespaces.containsKey(stored.id().namespace())) {
                namespaces.put(stored.id().namespace(), new NamespaceInfo(stored.id().namespace(), null, null));
                othersVersion++;
            }
        }
        fire();
        return stored;
    }

    /**
     * Creates and stores a pending workload {@code namespace/name} in LocalQueue {@code queue}, created now (clock).
     *
     * @return the stored workload (uid and resourceVersion filled)
     */
    public Workload submit(String namespace, String name, String queue, PodSet... podSets) {
        return submit(Workload.builder(namespace, name, clock.instant()).queueName(queue)
                .podSets(List.of(podSets)).build());
    }

    /** The workload as {@link #snapshot()} would show it, if present. */
    public Optional<Workload> workload(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            return e == null ? Optional.empty() : Optional.of(project(e));
        }
    }

    /**
     * Replaces a workload with {@code change} applied to it, as any other API client could (labels, annotations,
     * pod sets, conditions, ...); the id cannot change.
     *
     * @return the stored workload as {@link #snapshot()} shows it, or empty when absent
     * @throws IllegalArgumentException when the change alters the id
     */
    public Optional<Workload> updateWorkload(WorkloadId id, UnaryOperator<Workload> change) {
        Workload result;
        boolean changed;
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            if (e == null) {
                return Optional.empty();
            }
            Workload next = normalizeBoost(Objects.requireNonNull(change.apply(e.workload), "changed workload"));
            if (!next.id().equals(id)) {
                throw new IllegalArgumentException("updateWorkload cannot change the id " + id + " to " + next.id());
            }
            boolean wasHolding = e.workload.phase() == Phase.ADMITTED;
            changed = replaceLocked(e, next);
            if (!wasHolding && next.phase() == Phase.ADMITTED) {
                e.reservedAt = clock.instant();
            }
            if (wasHolding && !e.workload.active() && e.workload.phase() == Phase.ADMITTED) {
                deactivateLocked(e, clock.instant());
                changed = true;
            }
            result = project(e);
        }
        if (changed) {
            fire();
        }
        return Optional.of(result);
    }

    /**
     * Sets {@code spec.priority} as Kueue or a user would (not counted as a WDRF write); null removes it.
     *
     * @return false when the workload does not exist
     */
    public boolean setPriority(WorkloadId id, Integer priority) {
        return updateWorkload(id, w -> w.toBuilder().priority(priority).build()).isPresent();
    }

    /**
     * Sets the priority boost (annotation {@code kueue.x-k8s.io/priority-boost}) as another client would; null
     * removes it.
     *
     * @return false when the workload does not exist
     */
    public boolean setPriorityBoost(WorkloadId id, Integer boost) {
        return updateWorkload(id, w -> {
            TreeMap<String, String> ann = new TreeMap<>(w.annotations());
            ann.remove(Workload.PRIORITY_BOOST);
            return w.toBuilder().priorityBoost(boost).annotations(ann).build();
        }).isPresent();
    }

    /**
     * Sets one annotation as another client (a reconciler, a user) would, e.g. {@link Workload#ADMISSION_GATED_BY}
     * to gate admission. A gated pending workload is not admissible (Kueue v0.19 {@code AdmissionGatedBy}); gating
     * an admitted one does not evict it (the gate only guards admission, as in Kueue).
     *
     * @return false when the workload does not exist
     */
    public boolean setAnnotation(WorkloadId id, String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return updateWorkload(id, w -> {
            TreeMap<String, String> ann = new TreeMap<>(w.annotations());
            ann.put(key, value);
            return w.toBuilder().annotations(ann).build();
        }).isPresent();
    }

    /**
     * Removes one annotation (e.g. the admission gate, making the workload admissible again).
     *
     * @return false when the workload does not exist
     */
    public boolean removeAnnotation(WorkloadId id, String key) {
        Objects.requireNonNull(key, "key");
        return updateWorkload(id, w -> {
            if (!w.annotations().containsKey(key)) {
                return w;
            }
            TreeMap<String, String> ann = new TreeMap<>(w.annotations());
            ann.remove(key);
            return w.toBuilder().annotations(ann).build();
        }).isPresent();
    }

    /**
     * Sets {@code spec.active}. An inactive workload is not admissible; deactivating an admitted one evicts it at
     * once (Evicted, quota released, queue-order time kept), as Kueue's workload controller does; it counts in
     * {@link #deactivations()}. Reactivating makes it pending again.
     *
     * @return false when the workload does not exist
     */
    public boolean setActive(WorkloadId id, boolean active) {
        return updateWorkload(id, w -> w.toBuilder().active(active).build()).isPresent();
    }

    /**
     * Kueue's {@code status.accumulatedPastExecutionTimeSeconds}: the admitted time of the workload's earlier
     * admissions (added on every eviction), or empty when the workload does not exist.
     */
    public Optional<Duration> accumulatedExecutionTime(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            return e == null ? Optional.empty() : Optional.of(e.accumulated);
        }
    }

    /** Workloads evicted because they were deactivated (by a client or by exceeding their maximum execution time). */
    public long deactivations() {
        synchronized (lock) {
            return deactivations;
        }
    }

    /**
     * Marks the workload Finished (its quota is released).
     *
     * @return false when absent or already finished
     */
    public boolean finish(WorkloadId id) {
        boolean changed;
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            if (e == null || e.workload.phase() == Phase.FINISHED) {
                return false;
            }
            Workload w = e.workload;
            TreeSet<String> conditions = new TreeSet<>(w.trueConditions());
            conditions.add(Workload.FINISHED);
            changed = replaceLocked(e, withStatus(w, conditions, w.clusterQueue(), w.admission()));
        }
        if (changed) {
            fire();
        }
        return changed;
    }

    /**
     * Evicts an admitted workload as Kueue does: drops QuotaReserved/Admitted and the admission, sets Evicted, and
     * sets {@code lastEvictionTime} to now (its new queue-order time), so it is pending again.
     *
     * @return false when absent or not holding quota
     */
    public boolean evict(WorkloadId id) {
        boolean changed;
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            if (e == null || e.workload.phase() != Phase.ADMITTED) {
                return false;
            }
            accumulateLocked(e, clock.instant());
            changed = replaceLocked(e, evicted(e.workload).lastEvictionTime(clock.instant()).build());
            e.reservedAt = null;
        }
        if (changed) {
            fire();
        }
        return changed;
    }

    /**
     * Deletes a workload.
     *
     * @return false when absent
     */
    public boolean delete(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot removed = workloads.remove(id);
            slots.remove(id);
            if (removed == null) {
                return false;
            }
            removed.deleted = true;
            deletedSince = true;
            if (removed.writes > 0) {
                writes.merge(id, removed.writes, Integer::sum);
            }
            model.track(removed, false);
            model.queueChanged(removed, false);
            watched.remove(id);
            holding.remove(id);
            queued.remove(id);
            resourceVersion++;
        }
        fire();
        return true;
    }

    /** Total number of workloads evicted by {@code withinClusterQueue} preemption in {@link #admissionCycle()}. */
    public long preemptions() {
        synchronized (lock) {
            return preemptions;
        }
    }

    /**
     * Runs Kueue's quota reservation until nothing more can be admitted, at the clock's current instant.
     *
     * <p>First the workload controller's part: admitted workloads that are inactive or used up their maximum
     * execution time are evicted ({@link AdmissionResult#deactivated()}). Then one scheduler cycle of the model
     * described in the {@linkplain io.wdrf.kueue package documentation} (one copy of the rules, class by class with
     * the Kueue file each follows). Its effects: admission sets QuotaReserved and Admitted and an {@link Admission}
     * whose pod set usage is count × pod request ({@link KueueDemandModel}); preemption sets Evicted and Preempted,
     * keeps the queue-order time (Kueue only moves it for PodsReady/AdmissionCheck evictions) and counts in
     * {@link #preemptions()}. Reasons in {@link AdmissionResult#inadmissible()} are computed when the workload's
     * turn came; workloads with the same pod-set requests in the same ClusterQueue share the first one's reason
     * within a cycle (none with {@link Builder#withoutInadmissibleReasons()}).
     */
    public AdmissionResult admissionCycle() {
        AdmissionResult result;
        synchronized (lock) {
            Instant now = clock.instant();
            List<WorkloadId> deactivated = expireLocked(now);
            if (admissionFairSharing != null) {
                admissionFairSharing.sample(now, holding.values());
            }
            Scheduler.Outcome outcome = model.run(new KueueAdmissionModel.Input(clusterQueues.values(),
                    localQueues.values(), flavors.values(), cohorts.values(), holding.values(), queued.values()),
                    fairSharing, admissionFairSharing);
            List<WorkloadId> admitted = new ArrayList<>();
            List<WorkloadId> preempted = new ArrayList<>();
            for (Scheduler.Action a : outcome.actions()) {
                WorkloadSlot e = slots.get(a.id());
                if (a.isAdmission()) {
                    TreeSet<String> conditions = new TreeSet<>(e.workload.trueConditions());
                    conditions.add(Workload.QUOTA_RESERVED);
                    conditions.add(Workload.ADMITTED);
                    conditions.remove(EVICTED);
                    conditions.remove(PREEMPTED);
                    replaceLocked(e, withStatus(e.workload, conditions, a.admission().clusterQueue(), a.admission()));
                    e.reservedAt = now;
                    admitted.add(a.id());
                } else {
                    accumulateLocked(e, now);
                    replaceLocked(e, evicted(e.workload).condition(PREEMPTED, true).build());
                    e.reservedAt = null;
                    preempted.add(a.id());
                    preemptions++;
                }
            }
            result = new AdmissionResult(now, admitted, preempted, deactivated, outcome.inadmissible());
        }
        if (!result.isEmpty()) {
            fire();
        }
        return result;
    }

    /**
     * Kueue's workload controller, for the workloads it would act on before this cycle: an admitted inactive
     * workload is evicted; an admitted workload whose maximum execution time is used up (accumulated past execution
     * time + time since admission, {@code reconcileMaxExecutionTime}) is deactivated and evicted.
     */
    private List<WorkloadId> expireLocked(Instant now) {
        if (watched.isEmpty()) {
            return List.of();
        }
        List<WorkloadId> out = new ArrayList<>();
        for (WorkloadId id : List.copyOf(watched)) {
            WorkloadSlot e = slots.get(id);
            if (e == null || e.workload.phase() != Phase.ADMITTED) {
                watched.remove(id);
                continue;
            }
            boolean expire = !e.workload.active();
            Long max = maxExecutionSeconds(e.workload);
            if (!expire && max != null && e.reservedAt != null) {
                Duration ran = e.accumulated.plus(Duration.between(e.reservedAt, now));
                if (ran.compareTo(Duration.ofSeconds(max)) >= 0) {
                    replaceLocked(e, e.workload.toBuilder().active(false).build());
                    e.accumulated = Duration.ZERO; // Kueue clears it when it sets the deactivation target
                    expire = true;
                }
            }
            if (expire) {
                deactivateLocked(e, now);
                out.add(id);
            }
        }
        return out;
    }

    /** Evicts an admitted, inactive workload (Kueue keeps its queue-order time for this eviction reason). */
    private void deactivateLocked(WorkloadSlot e, Instant now) {
        accumulateLocked(e, now);
        replaceLocked(e, evicted(e.workload).build());
        e.reservedAt = null;
        deactivations++;
    }

    /**
     * The admission ends by eviction: adds its duration to the accumulated execution time (Kueue: when Admitted
     * turns false), keeps the work up to the last checkpoint and counts the rest as lost, with the GPUs it held.
     */
    private void accumulateLocked(WorkloadSlot e, Instant now) {
        if (e.reservedAt == null || !now.isAfter(e.reservedAt)) {
            return;
        }
        Duration ran = Duration.between(e.reservedAt, now);
        e.accumulated = e.accumulated.plus(ran);
        Duration interval = checkpointInterval(e.workload);
        Duration saved = Duration.ZERO;
        if (!interval.isZero()) {
            saved = interval.multipliedBy(ran.toMillis() / interval.toMillis());
        }
        Duration lost = ran.minus(saved);
        e.savedProgress = e.savedProgress.plus(saved);
        e.lostWork = e.lostWork.plus(lost);
        double gpus = gpus(e.workload);
        double hours = gpus * lost.toMillis() / 3_600_000.0;
        e.lostGpuHours += hours;
        lostWork = lostWork.plus(lost);
        lostGpuHours += hours;
    }

    private Duration checkpointInterval(Workload w) {
        String v = w.labels().get(CHECKPOINT_INTERVAL_LABEL);
        if (v != null) {
            try {
                long s = Long.parseLong(v.trim());
                if (s >= 0) {
                    return Duration.ofSeconds(s);
                }
            } catch (NumberFormatException ignored) {
                // falls back to the trace-wide interval
            }
        }
        return checkpointInterval;
    }

    /** GPUs held by the workload's admission (all flavors). */
    private static double gpus(Workload w) {
        double g = 0;
        if (w.admission() != null) {
            for (io.wdrf.api.PodSetAssignment psa : w.admission().podSetAssignments()) {
                g += psa.resourceUsage().asMap().getOrDefault(GPU, 0.0);
            }
        }
        return g;
    }

    /**
     * Work the workload keeps from earlier admissions (whole checkpoint intervals it ran before each eviction):
     * a restarted job has this much less to do. Empty when the workload does not exist.
     */
    public Optional<Duration> savedProgress(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            return e == null ? Optional.empty() : Optional.of(e.savedProgress);
        }
    }

    /** Run time lost by this workload's evictions (since its last checkpoint each time); empty when absent. */
    public Optional<Duration> lostWork(WorkloadId id) {
        synchronized (lock) {
            WorkloadSlot e = slots.get(id);
            return e == null ? Optional.empty() : Optional.of(e.lostWork);
        }
    }

    /** Run time lost by all evictions so far (preemption, {@link #evict}, deactivation), kept after deletes. */
    public Duration lostWork() {
        synchronized (lock) {
            return lostWork;
        }
    }

    /** GPU-hours lost by all evictions so far: lost run time × {@link #GPU} held, kept after deletes. */
    public double lostGpuHours() {
        synchronized (lock) {
            return lostGpuHours;
        }
    }

    /** The workload's maximum execution time in seconds from {@link #MAX_EXEC_TIME_SECONDS_LABEL}, or null. */
    static Long maxExecutionSeconds(Workload w) {
        String v = w.labels().get(MAX_EXEC_TIME_SECONDS_LABEL);
        if (v == null) {
            return null;
        }
        try {
            long s = Long.parseLong(v.trim());
            return s > 0 && s <= Integer.MAX_VALUE ? s : null;
        } catch (NumberFormatException ex) {
            return null; // Kueue ignores a label it cannot parse
        }
    }

    /**
     * {@code w} with other true conditions, ClusterQueue and admission (what {@code toBuilder()} with those set builds,
     * without the builder's copies of the pod sets and conditions).
     */
    private static Workload withStatus(Workload w, java.util.Set<String> trueConditions, String clusterQueue,
                                       Admission admission) {
        return new Workload(w.id(), w.uid(), w.resourceVersion(), w.queueName(), clusterQueue, w.labels(),
                w.annotations(), w.creationTime(), w.lastEvictionTime(), w.podSets(), w.priority(), w.priorityBoost(),
                w.priorityClassName(), w.active(), trueConditions, admission);
    }

    /** {@code w} with another uid and resourceVersion (as {@code toBuilder()} with those set, without its copies). */
    private static Workload withVersion(Workload w, String uid, String resourceVersion) {
        return new Workload(w.id(), uid, resourceVersion, w.queueName(), w.clusterQueue(), w.labels(), w.annotations(),
                w.creationTime(), w.lastEvictionTime(), w.podSets(), w.priority(), w.priorityBoost(),
                w.priorityClassName(), w.active(), w.trueConditions(), w.admission());
    }

    private static Workload.Builder evicted(Workload w) {
        return w.toBuilder().condition(Workload.QUOTA_RESERVED, false).condition(Workload.ADMITTED, false)
                .condition(EVICTED, true).admission(null);
    }

    /**
     * Applies one priority update to the stored workload: {@code replaceLocked} of the workload with the update's
     * field and annotations set, and the boost field and annotation made consistent as {@link #normalizeBoost} does
     * (a write touches only spec.priority, the boost and annotations, so the other fields are the stored object's
     * own and equality is decided on these three, before anything is built). The stored object is built once. The
     * projection is carried over: it depends only on
     * the admission, phase, namespace, queue name and ClusterQueue, none of which a write changes. True when
     * something changed.
     */
    private boolean writeLocked(WorkloadSlot e, PriorityUpdate u) {
        Workload old = e.workload;
        Integer priority = old.priority();
        Integer boost = old.priorityBoost();
        switch (u.target()) {
            case SPEC_PRIORITY -> priority = u.value();
            case PRIORITY_BOOST -> boost = u.value();
            default -> { } // ANNOTATIONS: only the annotations below
        }
        Map<String, String> annotations = old.annotations();
        if (u.explanation() != null || !u.annotations().isEmpty()) {
            TreeMap<String, String> ann = new TreeMap<>(annotations);
            if (u.explanation() != null) {
                ann.put(PriorityUpdate.EXPLANATION_ANNOTATION, u.explanation());
            }
            u.annotations().forEach((k, v) -> {
                if (v == null) {
                    ann.remove(k);
                } else {
                    ann.put(k, v);
                }
            });
            annotations = ann;
        }
        // normalizeBoost's rule on (boost, annotations), without building the workload it would be given
        Boost consistent = consistentBoost(boost, annotations);
        boost = consistent.value();
        annotations = consistent.annotations();
        if (Objects.equals(priority, old.priority()) && Objects.equals(boost, old.priorityBoost())
                && annotations.equals(old.annotations())) {
            return false;
        }
        Workload projected = e.projected != null && e.projectedFor == localQueueVersion ? e.projected : null;
        Workload stored = new Workload(old.id(), old.uid(), nextResourceVersion(), old.queueName(), old.clusterQueue(),
                old.labels(), annotations, old.creationTime(), old.lastEvictionTime(), old.podSets(), priority, boost,
                old.priorityClassName(), old.active(), old.trueConditions(), old.admission());
        commitLocked(e, stored);
        if (projected != null) {
            e.projected = projected == old ? stored
                    : withStatus(stored, stored.trueConditions(), projected.clusterQueue(), stored.admission());
            e.projectedFor = localQueueVersion;
        }
        return true;
    }

    /** Stores {@code next} with a new resourceVersion when it differs from the current value; true if changed. */
    private boolean replaceLocked(WorkloadSlot e, Workload next) {
        next = normalizeBoost(next);
        if (equalExceptVersion(next, e.workload)) {
            return false;
        }
        commitLocked(e, withVersion(next, next.uid(), nextResourceVersion()));
        return true;
    }

    /**
     * {@code a.equals(b)} but for the resourceVersion: the record's equality, component by component, without
     * building a copy of {@code a} with {@code b}'s resourceVersion to compare.
     */
    static boolean equalExceptVersion(Workload a, Workload b) {
        return a.id().equals(b.id()) && a.uid().equals(b.uid()) && a.queueName().equals(b.queueName())
                && a.active() == b.active() && Objects.equals(a.priority(), b.priority())
                && Objects.equals(a.priorityBoost(), b.priorityBoost()) && Objects.equals(a.clusterQueue(), b.clusterQueue())
                && Objects.equals(a.priorityClassName(), b.priorityClassName())
                && a.creationTime().equals(b.creationTime()) && Objects.equals(a.lastEvictionTime(), b.lastEvictionTime())
                && a.trueConditions().equals(b.trueConditions()) && Objects.equals(a.admission(), b.admission())
                && a.labels().equals(b.labels()) && a.annotations().equals(b.annotations())
                && a.podSets().equals(b.podSets());
    }

    /** Stores {@code next}, which already carries its new resourceVersion, and re-files it. */
    private void commitLocked(WorkloadSlot e, Workload next) {
        e.workload = next;
        e.projected = null;
        reindexLocked(e);
        if (next.phase() == Phase.ADMITTED && (!next.active() || next.labels().containsKey(MAX_EXEC_TIME_SECONDS_LABEL))) {
            watched.add(next.id());
        }
    }

    /**
     * True when the admission model's indexes (workloads holding quota, admissible pending ones) equal a
     * classification of every stored workload from scratch; for tests of the incremental bookkeeping.
     */
    boolean indexesConsistent() {
        synchronized (lock) {
            TreeMap<WorkloadId, WorkloadSlot> h = new TreeMap<>();
            TreeMap<WorkloadId, WorkloadSlot> q = new TreeMap<>();
            workloads.forEach((id, e) -> {
                if (e.workload.phase() == Phase.ADMITTED) {
                    h.put(id, e);
                } else if (admissible(e.workload)) {
                    q.put(id, e);
                }
            });
            return h.equals(holding) && q.equals(queued);
        }
    }

    /** Kueue's admissibility; with the gate ignored, a gated workload is admissible like any other. */
    private boolean admissible(Workload w) {
        return w.isAdmissible() || (admissionGateIgnored && w.phase() == Phase.PENDING && w.active()
                && !w.trueConditions().contains(Workload.WAITING_FOR_REPLACEMENT_PODS));
    }

    /**
     * True when the admission model's persistent quota tree (if it uses one) equals a from-scratch charge of the
     * workloads holding quota; {@code incremental} tells whether it uses one. For tests.
     */
    boolean quotaTreeConsistent() {
        synchronized (lock) {
            return model.treeConsistent(new KueueAdmissionModel.Input(clusterQueues.values(), localQueues.values(),
                    flavors.values(), cohorts.values(), holding.values(), queued.values()));
        }
    }

    /**
     * Allows (the default) or forbids the admission model's persistent queues; forbidden, every admission cycle
     * enqueues and sorts every queued workload and visits every head (the reference the persistent path must
     * equal). For tests.
     */
    void persistentQueues(boolean allowed) {
        synchronized (lock) {
            model.persistentQueues(allowed);
        }
    }

    /** How many times an admission cycle's walk of a queue stopped with entries still ahead. For tests. */
    long earlyStops() {
        synchronized (lock) {
            return model.earlyStops();
        }
    }

    /** Heads the admission cycles' persistent walks popped (admitted or set aside), over all cycles. For tests. */
    long headsVisited() {
        synchronized (lock) {
            return model.headsVisited();
        }
    }

    /** Whether the last admission cycle walked the persistent queues (see {@link #persistentQueues(boolean)}). */
    boolean usesPersistentQueues() {
        synchronized (lock) {
            return model.usesPersistentQueues();
        }
    }

    /** Whether the admission model currently keeps a persistent quota tree (see {@link #quotaTreeConsistent()}). */
    boolean quotaTreeIncremental() {
        synchronized (lock) {
            return model.incremental();
        }
    }

    /** Files the workload under the admission model's inputs it belongs to (at most one). */
    private void reindexLocked(WorkloadSlot e) {
        WorkloadId id = e.workload.id();
        boolean holds = e.workload.phase() == Phase.ADMITTED;
        byte where = holds ? WorkloadSlot.HOLDING : admissible(e.workload) ? WorkloadSlot.QUEUED : WorkloadSlot.NONE;
        if (where != e.indexed) {
            if (e.indexed == WorkloadSlot.HOLDING) {
                holding.remove(id);
            } else if (e.indexed == WorkloadSlot.QUEUED) {
                queued.remove(id);
            }
            if (where == WorkloadSlot.HOLDING) {
                holding.put(id, e);
            } else if (where == WorkloadSlot.QUEUED) {
                queued.put(id, e);
            }
            e.indexed = where;
        }
        model.track(e, holds);
        model.queueChanged(e, where == WorkloadSlot.QUEUED);
    }

    /** Keeps the boost field and the boost annotation consistent (the field wins when both are set). */
    private static Workload normalizeBoost(Workload w) {
        Boost b = consistentBoost(w.priorityBoost(), w.annotations());
        if (b.annotations() == w.annotations() && Objects.equals(b.value(), w.priorityBoost())) {
            return w;
        }
        return w.toBuilder().priorityBoost(b.value()).annotations(b.annotations()).build();
    }

    /** A boost field and its annotation (the same map when it needed no change). */
    private record Boost(Integer value, Map<String, String> annotations) {
    }

    /**
     * The boost field and annotation made consistent: a set field writes the annotation, else a parseable annotation
     * sets the field; a malformed annotation stays as written (Kueue's webhook would reject it).
     */
    private static Boost consistentBoost(Integer boost, Map<String, String> annotations) {
        String ann = annotations.get(Workload.PRIORITY_BOOST);
        if (boost != null) {
            String want = Integer.toString(boost);
            if (want.equals(ann)) {
                return new Boost(boost, annotations);
            }
            TreeMap<String, String> m = new TreeMap<>(annotations);
            m.put(Workload.PRIORITY_BOOST, want);
            return new Boost(boost, m);
        }
        if (ann != null) {
            try {
                return new Boost(Integer.parseInt(ann.trim()), annotations);
            } catch (NumberFormatException ignored) {
                return new Boost(null, annotations);
            }
        }
        return new Boost(null, annotations);
    }

    private String nextResourceVersion() {
        return Long.toString(++resourceVersion);
    }

    // ------------------------------------------------------------------------------------------ other objects

    /** Adds or replaces a node. */
    public void putNode(Node node) {
        mutate(() -> nodes.put(node.name(), node));
    }

    /** Removes a node; false when absent. */
    public boolean removeNode(String name) {
        return mutateIf(() -> nodes.remove(name) != null);
    }

    /** Adds or replaces a pod; an empty uid is filled deterministically, as the API server would. */
    public void putPod(PodInfo pod) {
        mutate(() -> putPodLocked(pod));
    }

    private void putPodLocked(PodInfo pod) {
        PodInfo p = pod;
        if (p.uid().isEmpty()) {
            PodInfo old = pods.get(p.namespace() + "/" + p.name());
            String uid = old != null ? old.uid() : nextUid();
            p = new PodInfo(p.namespace(), p.name(), uid, p.nodeName(), p.phase(), p.labels(), p.annotations(), p.initContainers());
        }
        pods.put(p.namespace() + "/" + p.name(), p);
    }

    private String nextUid() {
        // "00000000-0000-4000-8000-%012d" by hand: String.format was most of a submit
        String n = Long.toString(++uidCounter);
        StringBuilder b = new StringBuilder(24 + Math.max(12, n.length())).append("00000000-0000-4000-8000-");
        for (int i = n.length(); i < 12; i++) {
            b.append('0');
        }
        return b.append(n).toString();
    }

    /** Removes a pod; false when absent. */
    public boolean removePod(String namespace, String name) {
        return mutateIf(() -> pods.remove(namespace + "/" + name) != null);
    }

    /** Adds or replaces a ClusterQueue. */
    public void putClusterQueue(ClusterQueueInfo clusterQueue) {
        mutate(() -> {
            clusterQueues.put(clusterQueue.name(), clusterQueue);
            model.invalidate();
            model.invalidateQueues();
        });
    }

    /** Removes a ClusterQueue; false when absent. */
    public boolean removeClusterQueue(String name) {
        return mutateIf(() -> {
            model.invalidate();
            model.invalidateQueues();
            return clusterQueues.remove(name) != null;
        });
    }

    /** Adds or replaces a LocalQueue (its namespace is registered when unknown). */
    public void putLocalQueue(LocalQueueInfo localQueue) {
        mutate(() -> {
            localQueueVersion++;
            model.invalidateQueues();
            localQueues.put(localQueue.namespace() + "/" + localQueue.name(), localQueue);
            namespaces.putIfAbsent(localQueue.namespace(), new NamespaceInfo(localQueue.namespace(), null, null));
        });
    }

    /** Removes a LocalQueue; false when absent. */
    public boolean removeLocalQueue(String namespace, String name) {
        return mutateIf(() -> {
            localQueueVersion++;
            model.invalidateQueues();
            return localQueues.remove(namespace + "/" + name) != null;
        });
    }

    /** Adds or replaces a Cohort object (parent cohort, own quotas) of the cohort tree. */
    public void putCohort(CohortInfo cohort) {
        Objects.requireNonNull(cohort, "cohort");
        mutate(() -> {
            cohorts.put(cohort.name(), cohort);
            model.invalidate();
        });
    }

    /** Removes a Cohort object; false when absent (ClusterQueues naming it keep an implicit root cohort). */
    public boolean removeCohort(String name) {
        return mutateIf(() -> {
            model.invalidate();
            return cohorts.remove(name) != null;
        });
    }

    /** The Cohort objects, by name. */
    public List<CohortInfo> cohorts() {
        synchronized (lock) {
            return List.copyOf(cohorts.values());
        }
    }

    /** Adds or replaces a ResourceFlavor. */
    public void putFlavor(ResourceFlavorInfo flavor) {
        mutate(() -> flavors.put(flavor.name(), flavor));
    }

    /** Adds or replaces a namespace (labels and annotations, e.g. the tenant weight annotation). */
    public void putNamespace(NamespaceInfo namespace) {
        mutate(() -> namespaces.put(namespace.name(), namespace));
    }

    /** Adds an object a real backend could not project, to be listed in {@link ClusterSnapshot#invalid()}. */
    public void addInvalid(InvalidObject object) {
        Objects.requireNonNull(object, "object");
        mutate(() -> invalid.add(object));
    }

    /** Applies a change to the objects other than workloads. */
    private void mutate(Runnable change) {
        synchronized (lock) {
            change.run();
            resourceVersion++;
            othersVersion++;
        }
        fire();
    }

    /** Applies a change to the objects other than workloads, if it changes anything. */
    private boolean mutateIf(java.util.function.BooleanSupplier change) {
        boolean changed;
        synchronized (lock) {
            changed = change.getAsBoolean();
            if (changed) {
                resourceVersion++;
                othersVersion++;
            }
        }
        if (changed) {
            fire();
        }
        return changed;
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Fluent set-up of a cluster. Nothing is shared with the built cluster; {@link #build()} may be called again.
     */
    public static final class Builder {
        private final Clock clock;
        private KueueDemandModel demandModel = new KueueDemandModel();
        private final List<Node> nodes = new ArrayList<>();
        private final List<PodInfo> pods = new ArrayList<>();
        private final List<ResourceFlavorInfo> flavors = new ArrayList<>();
        private final List<ClusterQueueInfo> clusterQueues = new ArrayList<>();
        private final List<LocalQueueInfo> localQueues = new ArrayList<>();
        private final List<NamespaceInfo> namespaces = new ArrayList<>();
        private final List<CohortInfo> cohorts = new ArrayList<>();
        private FairSharingConfig fairSharing;
        private AdmissionFairSharingConfig admissionFairSharing;
        private Duration checkpointInterval = Duration.ZERO;
        private boolean ignoreAdmissionGate;
        private boolean withoutReasons;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Demand rules for admission (default: Kueue's rules with no excluded resources). */
        public Builder demandModel(KueueDemandModel model) {
            this.demandModel = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Turns on Kueue's Fair Sharing (DRS tournament and fair preemption strategies) for the whole cluster, as
         * Kueue's Configuration {@code fairSharing} does; null (the default) keeps the classical scheduler.
         */
        public Builder fairSharing(FairSharingConfig config) {
            this.fairSharing = config;
            return this;
        }

        /**
         * Turns on Kueue's Admission Fair Sharing for every ClusterQueue (as {@code admissionFairSharing} in the
         * Kueue Configuration plus {@code admissionScope: UsageBasedAdmissionFairSharing} on each ClusterQueue);
         * null (the default) keeps heap order within a ClusterQueue.
         */
        public Builder admissionFairSharing(AdmissionFairSharingConfig config) {
            this.admissionFairSharing = config;
            return this;
        }

        /**
         * Models a Kueue older than v0.19 (or one with the feature gate {@code AdmissionGatedBy} off): the annotation
         * {@link Workload#ADMISSION_GATED_BY} does not keep a workload from being admitted.
         */
        public Builder ignoreAdmissionGate() {
            this.ignoreAdmissionGate = true;
            return this;
        }

        /**
         * {@link AdmissionResult#inadmissible()} stays empty: admission cycles do not collect a reason per workload
         * left pending (a sorted map of every pending workload per cycle, the largest cost of a cycle over a long
         * queue). Nothing else changes: reasons are never read by the model itself. For replays that do not use them.
         */
        public Builder withoutInadmissibleReasons() {
            this.withoutReasons = true;
            return this;
        }

        /**
         * The trace-wide checkpoint interval (default 0: an evicted workload restarts from scratch); a workload's
         * {@link #CHECKPOINT_INTERVAL_LABEL} overrides it. See {@link InMemoryCluster#savedProgress(WorkloadId)}.
         */

        public Builder checkpointInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("checkpoint interval must not be negative, got " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /** A namespace without labels or annotations. */
        public Builder namespace(String name) {
            return namespace(new NamespaceInfo(name, null, null));
        }

        /** A namespace with labels and annotations (e.g. {@code wdrf.x-k8s.io/weight}). */
        public Builder namespace(String name, Map<String, String> labels, Map<String, String> annotations) {
            return namespace(new NamespaceInfo(name, labels, annotations));
        }

        /** A namespace. */
        public Builder namespace(NamespaceInfo namespace) {
            namespaces.add(Objects.requireNonNull(namespace, "namespace"));
            return this;
        }

        /** A Ready, schedulable node without labels. */
        public Builder node(String name, Map<String, String> allocatable) {
            return node(name, allocatable, Map.of());
        }

        /** A Ready, schedulable node with labels (e.g. the node labels of a flavor). */
        public Builder node(String name, Map<String, String> allocatable, Map<String, String> labels) {
            return node(new Node(name, labels, Map.of(), allocatable, true, false));
        }

        /** A node as given (annotations, readiness, schedulability). */
        public Builder node(Node node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        /** A pod (device accounting). */
        public Builder pod(PodInfo pod) {
            pods.add(Objects.requireNonNull(pod, "pod"));
            return this;
        }

        /** A ResourceFlavor without node labels. */
        public Builder flavor(String name) {
            return flavor(name, Map.of());
        }

        /** A ResourceFlavor whose nodes carry {@code nodeLabels}. */
        public Builder flavor(String name, Map<String, String> nodeLabels) {
            flavors.add(new ResourceFlavorInfo(name, nodeLabels));
            return this;
        }

        /** A BestEffortFIFO ClusterQueue without cohort or preemption. */
        public Builder clusterQueue(String name, ResourceQuota... quotas) {
            return clusterQueue(ClusterQueueInfo.of(name, List.of(quotas)));
        }

        /**
         * A ClusterQueue without preemption. (Without a cohort, prefer {@link #clusterQueue(String, ResourceQuota...)}:
         * a literal {@code null} for both cohort and strategy is ambiguous to the compiler.)
         *
         * @param cohort   cohort name, or null
         * @param strategy {@link ClusterQueueInfo#BEST_EFFORT_FIFO} or {@link ClusterQueueInfo#STRICT_FIFO}
         */
        public Builder clusterQueue(String name, String cohort, String strategy, ResourceQuota... quotas) {
            return clusterQueue(new ClusterQueueInfo(name, cohort, List.of(quotas), strategy, null, null, null, 1.0));
        }

        /** A ClusterQueue as given (preemption policies, fair-sharing weight). */
        public Builder clusterQueue(ClusterQueueInfo clusterQueue) {
            clusterQueues.add(Objects.requireNonNull(clusterQueue, "clusterQueue"));
            return this;
        }

        /** A Cohort object: a node of the cohort tree with an optional parent and quotas of its own. */
        public Builder cohort(CohortInfo cohort) {
            cohorts.add(Objects.requireNonNull(cohort, "cohort"));
            return this;
        }

        /** A LocalQueue {@code namespace/name} backed by ClusterQueue {@code clusterQueue}. */
        public Builder localQueue(String namespace, String name, String clusterQueue) {
            localQueues.add(new LocalQueueInfo(namespace, name, clusterQueue));
            return this;
        }

        /** The cluster with everything added so far. */
        public InMemoryCluster build() {
            InMemoryCluster c = new InMemoryCluster(clock, demandModel, fairSharing, admissionFairSharing, checkpointInterval);
            c.admissionGateIgnored = ignoreAdmissionGate;
            c.model.recordReasons(!withoutReasons);
            nodes.forEach(n -> c.nodes.put(n.name(), n));
            pods.forEach(c::putPodLocked);
            flavors.forEach(f -> c.flavors.put(f.name(), f));
            clusterQueues.forEach(q -> c.clusterQueues.put(q.name(), q));
            cohorts.forEach(k -> c.cohorts.put(k.name(), k));
            namespaces.forEach(n -> c.namespaces.put(n.name(), n));
            for (LocalQueueInfo lq : localQueues) {
                c.localQueues.put(lq.namespace() + "/" + lq.name(), lq);
                c.namespaces.putIfAbsent(lq.namespace(), new NamespaceInfo(lq.namespace(), null, null));
            }
            return c;
        }
    }
}
