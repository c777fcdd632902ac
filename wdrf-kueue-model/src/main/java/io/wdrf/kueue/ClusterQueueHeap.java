package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ClusterQueue's pending workloads in Kueue's heap order, with its queueing strategy (Kueue
 * {@code pkg/cache/queue/cluster_queue.go}, the StrictFIFO / BestEffortFIFO behaviour of
 * {@code cluster_queue_strict_fifo.go} / {@code cluster_queue_best_effort_fifo.go} of earlier versions):
 * <ul>
 *   <li>Order: effective priority desc, queue-order time asc, UID asc (then id, for a total order).</li>
 *   <li>BestEffortFIFO: a head that does not fit is set aside and the next one becomes the head.</li>
 *   <li>StrictFIFO: a head that does not fit blocks the queue until the next cycle.</li>
 *   <li>Admission Fair Sharing (when configured): the head is the first workload of the LocalQueue with the
 *       lowest decayed usage ({@link AdmissionFairSharing}), ties by the order above.</li>
 *   <li>Scheduling equivalence: a pod-set request that did not fit is remembered with its reason until quota is
 *       freed in the queue's cohort tree; usage only grows in between, so an identical request cannot fit either
 *       (Kueue's scheduling-equivalence hashing).</li>
 *   <li>Over a {@link PendingQueue} (kept across cycles, no per-cycle copy or sort), a BestEffortFIFO queue reports
 *       no head once every request shape still ahead of the cursor is remembered as not fitting, provided no queue
 *       of the cycle can preempt and heads are ordered classically (no Fair Sharing): each of those heads would only
 *       be set aside (no action, nothing charged), and without preemption quota is never freed within a cycle, so
 *       none could fit later. So the cycle's actions are those of the full walk. (With preemption it would not be:
 *       the full walk keeps setting the stopped queue's heads aside round by round, so after a preemption frees
 *       quota the two walks would resume at different heads.)</li>
 * </ul>
 */
final class ClusterQueueHeap {

    /** Kueue's ClusterQueue heap order, completed by id so the order is total. */
    static final Comparator<Workload> ORDER = Comparator
            .comparingInt(Workload::effectivePriority).reversed()
            .thenComparing(Workload::queueOrderTime)
            .thenComparing(Workload::uid)
            .thenComparing(Workload::id);

    final ClusterQueueInfo info;
    private final List<Requests.Queued> items = new ArrayList<>();
    /** Admission Fair Sharing, or null: then the queue is one list in heap order. */
    private final AdmissionFairSharing afs;
    /** With AFS: each LocalQueue's workloads in heap order, by LocalQueue key. */
    private final java.util.TreeMap<String, java.util.ArrayDeque<Requests.Queued>> byLocalQueue = new java.util.TreeMap<>();
    private Requests.Queued afsHead;
    private final Map<List<Requests.PodSetRequest>, String> failed = new HashMap<>();
    /** Lookups of {@link #failed} by list identity (each queued workload keeps its parsed list): no re-hashing. */
    private final java.util.IdentityHashMap<List<Requests.PodSetRequest>, String> failedSeen =
            new java.util.IdentityHashMap<>();
    private final java.util.IdentityHashMap<List<Requests.PodSetRequest>, Boolean> fitUnknown =
            new java.util.IdentityHashMap<>();
    private int cursor;
    private boolean blocked;
    /** The persistent queue this heap walks (null: {@link #items} is this cycle's sorted copy). */
    private final PendingQueue pending;
    private java.util.Iterator<Requests.Queued> walk;
    private Requests.Queued current;
    /** Whether the walk may stop once no shape ahead can fit (see the class documentation). */
    private final boolean stopWhenHopeless;
    /** Per request shape: entries not yet popped in this cycle (persistent walk only). */
    private HashMap<List<Requests.PodSetRequest>, int[]> ahead;
    /** Shapes with entries ahead that are not remembered as failing; the walk stops at 0 (when allowed). */
    private int live;
    private boolean stoppedEarly;
    /** Heads popped from the persistent walk in this cycle (for tests). */
    private int popped;

    ClusterQueueHeap(ClusterQueueInfo info) {
        this(info, null);
    }

    /** @param afs Admission Fair Sharing ledger, or null */
    ClusterQueueHeap(ClusterQueueInfo info, AdmissionFairSharing afs) {
        this.info = info;
        this.afs = afs;
        this.pending = null;
        this.stopWhenHopeless = false;
    }

    /**
     * A heap walking {@code pending} in its order (without Admission Fair Sharing).
     *
     * @param mayStop the cycle orders heads classically (no Fair Sharing) and no queue of it can preempt: the walk
     *                may stop early when this queue is BestEffortFIFO
     */
    ClusterQueueHeap(PendingQueue pending, boolean mayStop) {
        this.info = pending.info;
        this.afs = null;
        this.pending = pending;
        this.stopWhenHopeless = mayStop && !strict() && !Preemptor.mayPreempt(info);
        this.walk = pending.entries.iterator();
        this.current = walk.hasNext() ? walk.next() : null;
        if (stopWhenHopeless) {
            ahead = new HashMap<>(pending.shapes.size() * 2);
            pending.shapes.forEach((shape, c) -> ahead.put(shape, new int[] {c[0]}));
            live = ahead.size();
        }
    }

    String name() {
        return info.name();
    }

    boolean strict() {
        return ClusterQueueInfo.STRICT_FIFO.equals(info.queueingStrategy());
    }

    void add(Requests.Queued q) {
        if (pending != null) {
            throw new IllegalStateException("ClusterQueue " + name() + " walks a persistent queue");
        }
        items.add(q);
    }

    /** Sorts the queue once all workloads are added, by {@code order} (normally {@link #ORDER}). */
    void sort(Comparator<Requests.Queued> order) {
        items.sort(order);
        if (afs != null) {
            for (Requests.Queued q : items) {
                byLocalQueue.computeIfAbsent(q.localQueue(), k -> new java.util.ArrayDeque<>()).add(q);
            }
        }
    }

    /** Every queued workload in heap order (after {@link #sort}). */
    void forEachQueued(java.util.function.Consumer<Requests.Queued> action) {
        items.forEach(action);
    }

    /**
     * The current head, or null when the queue is exhausted or blocked. With Admission Fair Sharing: the first
     * workload of the LocalQueue with the lowest usage (ledger usage including penalties of this cycle's
     * admissions), ties by heap order (Kueue {@code queueOrderingFunc}).
     */
    Requests.Queued head() {
        if (blocked) {
            return null;
        }
        if (pending != null) {
            if (stopWhenHopeless && live == 0 && current != null) {
                stoppedEarly = true;
                return null;
            }
            return current;
        }
        if (afs == null) {
            return cursor >= items.size() ? null : items.get(cursor);
        }
        if (afsHead == null) {
            double best = Double.POSITIVE_INFINITY;
            for (java.util.ArrayDeque<Requests.Queued> d : byLocalQueue.values()) {
                Requests.Queued q = d.peekFirst();
                if (q == null) {
                    continue;
                }
                double u = afs.usage(q.localQueue());
                if (afsHead == null || u < best
                        || (u == best && ORDER.compare(q.workload(), afsHead.workload()) < 0)) {
                    afsHead = q;
                    best = u;
                }
            }
        }
        return afsHead;
    }

    /** The head was admitted or set aside: the next workload becomes the head. */
    void pop() {
        if (pending != null) {
            if (stopWhenHopeless) {
                int[] c = ahead.get(current.podSets());
                if (--c[0] == 0 && !failed.containsKey(current.podSets())) {
                    live--; // its last entry was admitted (or set aside with a reason not remembered)
                }
            }
            current = walk.hasNext() ? walk.next() : null;
            popped++;
            return;
        }
        if (afs == null) {
            cursor++;
            return;
        }
        Requests.Queued h = head();
        if (h != null) {
            byLocalQueue.get(h.localQueue()).pollFirst();
        }
        afsHead = null;
    }

    /** StrictFIFO: the head did not fit; nothing behind it is considered in this cycle. */
    void block() {
        blocked = true;
    }

    /** At most this many live shapes are tested by {@link #settle} (past it, the walk finds the failures itself). */
    static final int SETTLE_SHAPES = 64;

    /**
     * Tests every request shape still ahead and not yet remembered as failing ({@code failure}: why it does not fit
     * now, or null) and remembers the failing ones, as the visit of one of their heads would; so the walk stops
     * without visiting a rare shape deep in the queue. Exact: the walk may stop only when no queue can preempt, and
     * then usage only grows within the cycle, so a shape that does not fit now would fail at every one of its heads.
     * No-op for walks that may not stop.
     */
    void settle(java.util.function.Function<List<Requests.PodSetRequest>, String> failure) {
        if (!stopWhenHopeless || live == 0 || live > SETTLE_SHAPES) {
            return;
        }
        for (Map.Entry<List<Requests.PodSetRequest>, int[]> e : ahead.entrySet()) {
            if (e.getValue()[0] > 0 && !failed.containsKey(e.getKey())) {
                String reason = failure.apply(e.getKey());
                if (reason != null) {
                    rememberFailure(e.getKey(), reason);
                }
            }
        }
    }

    /** Heads popped from the persistent walk in this cycle; for tests. */
    int popped() {
        return popped;
    }

    /** Whether the walk stopped with entries still ahead (every shape ahead known not to fit); for tests. */
    boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** The head that blocked the queue (only when {@link #blocked()}). */
    Requests.Queued blockingHead() {
        if (pending != null) {
            return current;
        }
        return afs == null ? items.get(cursor) : afsHead;
    }

    boolean blocked() {
        return blocked;
    }

    /** Workloads behind a blocking head, in order (empty unless blocked). */
    List<Requests.Queued> behindHead() {
        if (!blocked) {
            return List.of();
        }
        if (pending != null) {
            return new ArrayList<>(pending.entries.tailSet(current, false));
        }
        if (afs == null) {
            return items.subList(cursor + 1, items.size());
        }
        List<Requests.Queued> out = new ArrayList<>();
        byLocalQueue.values().forEach(d -> d.forEach(q -> {
            if (q != afsHead) {
                out.add(q);
            }
        }));
        return out;
    }

    /** The remembered reason why an identical request did not fit, or null. */
    String knownFailure(List<Requests.PodSetRequest> request) {
        String seen = failedSeen.get(request);
        if (seen != null) {
            return seen;
        }
        if (failed.isEmpty() || fitUnknown.containsKey(request)) {
            return null;
        }
        String reason = failed.get(request);
        if (reason != null) {
            failedSeen.put(request, reason);
        } else {
            fitUnknown.put(request, Boolean.TRUE);
        }
        return reason;
    }

    void rememberFailure(List<Requests.PodSetRequest> request, String reason) {
        if (failed.put(request, reason) == null && stopWhenHopeless) {
            int[] c = ahead.get(request);
            if (c != null && c[0] > 0) {
                live--;
            }
        }
        fitUnknown.clear(); // a list found absent before may equal this one
        failedSeen.put(request, reason);
    }

    /** Quota was freed in the cohort tree: identical requests may fit again. */
    void forgetFailures() {
        failed.clear();
        failedSeen.clear();
        fitUnknown.clear();
        if (stopWhenHopeless) {
            live = 0;
            for (int[] c : ahead.values()) {
                if (c[0] > 0) {
                    live++;
                }
            }
        }
    }
}
