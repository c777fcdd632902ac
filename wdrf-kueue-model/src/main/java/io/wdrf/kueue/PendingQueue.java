package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;

import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * One ClusterQueue's queued workloads kept in heap order across admission cycles (Kueue's queue manager keeps its
 * heaps between scheduling cycles and files a workload when it changes, instead of rebuilding them per cycle), with
 * how many entries share each pod-set request shape (what lets a cycle stop once every shape still ahead is known
 * not to fit: {@link ClusterQueueHeap}). The admission model files and unfiles entries as the cluster's workloads
 * change ({@link KueueAdmissionModel#queueChanged}). Not thread-safe; used under the cluster's lock.
 */
final class PendingQueue {

    final ClusterQueueInfo info;
    /** The queued entries in {@link KueueAdmissionModel#QUEUED_ORDER} (a total order: no two entries compare equal). */
    final TreeSet<Requests.Queued> entries = new TreeSet<>(KueueAdmissionModel.QUEUED_ORDER);
    /**
     * Entries per request shape, by content (equal lists count together, as the scheduling-equivalence memo treats
     * them); a shape is absent once its count is 0.
     */
    final HashMap<List<Requests.PodSetRequest>, int[]> shapes = new HashMap<>();

    PendingQueue(ClusterQueueInfo info) {
        this.info = info;
    }

    void add(Requests.Queued q) {
        if (!entries.add(q)) {
            throw new IllegalStateException("pending queue " + info.name() + ": " + q.workload().id() + " filed twice");
        }
        shapes.computeIfAbsent(q.podSets(), k -> new int[1])[0]++;
    }

    void remove(Requests.Queued q) {
        if (!entries.remove(q)) {
            throw new IllegalStateException("pending queue " + info.name() + ": " + q.workload().id() + " not filed");
        }
        int[] c = shapes.get(q.podSets());
        if (--c[0] == 0) {
            shapes.remove(q.podSets());
        }
    }
}
