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
 *   <li>Scheduling equivalence: a pod-set request that did not fit is remembered with its reason until quota is
 *       freed in the queue's cohort tree; usage only grows in between, so an identical request cannot fit either
 *       (Kueue's scheduling-equivalence hashing).</li>
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
    private final Map<List<Requests.PodSetRequest>, String> failed = new HashMap<>();
    private int cursor;
    private boolean blocked;

    ClusterQueueHeap(ClusterQueueInfo info) {
        this.info = info;
    }

    String name() {
        return info.name();
    }

    boolean strict() {
        return ClusterQueueInfo.STRICT_FIFO.equals(info.queueingStrategy());
    }

    void add(Requests.Queued q) {
        items.add(q);
    }

    /** Sorts the queue once all workloads are added, by {@code order} (normally {@link #ORDER}). */
    void sort(Comparator<Requests.Queued> order) {
        items.sort(order);
    }

    /** The current head, or null when the queue is exhausted or blocked. */
    Requests.Queued head() {
        return blocked || cursor >= items.size() ? null : items.get(cursor);
    }

    /** The head was admitted or set aside: the next workload becomes the head. */
    void pop() {
        cursor++;
    }

    /** StrictFIFO: the head did not fit; nothing behind it is considered in this cycle. */
    void block() {
        blocked = true;
    }

    /** The head that blocked the queue (only when {@link #blocked()}). */
    Requests.Queued blockingHead() {
        return items.get(cursor);
    }

    boolean blocked() {
        return blocked;
    }

    /** Workloads behind a blocking head, in order (empty unless blocked). */
    List<Requests.Queued> behindHead() {
        return blocked ? items.subList(cursor + 1, items.size()) : List.of();
    }

    /** The remembered reason why an identical request did not fit, or null. */
    String knownFailure(List<Requests.PodSetRequest> request) {
        return failed.get(request);
    }

    void rememberFailure(List<Requests.PodSetRequest> request, String reason) {
        failed.put(request, reason);
    }

    /** Quota was freed in the cohort tree: identical requests may fit again. */
    void forgetFailures() {
        failed.clear();
    }
}
