package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Phase;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which priority writes change Kueue's next decisions, and in what order to send them.
 *
 * <p>Per ClusterQueue, the <b>admission window</b> is the prefix of its pending workloads in WDRF's new order that
 * fits in the quota free now: the queue's nominal quota minus what its admitted workloads use, or the cohort's
 * when that is larger (borrowing); the first workload of a queue is always in it; under {@code StrictFIFO} the
 * window ends at the first workload that does not fit, under {@code BestEffortFIFO} later ones that fit still join
 * (Kueue tries them). These are what Kueue admits next, so their writes go first, round-robin over the queues by
 * rank (every queue's head before any queue's second).
 *
 * <p>Outside the window a write only matters when it changes the order against the window: the workload's current
 * or target priority reaches the window's lowest target. Below that, Kueue's order among the tail decides nothing
 * until the tail reaches the window, and then its members are written.
 */
final class WriteOrder {

    /** Most window members per queue (bounds the work on a queue with a huge free quota). */
    static final int MAX_WINDOW = 256;

    private final Map<WorkloadId, Integer> rank = new HashMap<>();
    private final Map<WorkloadId, String> queueOf;
    private final Map<WorkloadId, Boolean> window = new HashMap<>();
    private final Map<String, Integer> windowFloor = new HashMap<>();
    private final Map<WorkloadId, Integer> planIndex = new HashMap<>();

    WriteOrder(ClusterSnapshot snapshot, Evaluation ev, Map<WorkloadId, PendingWorkload> pending) {
        this.queueOf = ev.clusterQueue();
        Map<String, ClusterQueueInfo> queues = new HashMap<>();
        for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
            queues.put(cq.name(), cq);
        }
        Map<String, Map<String, Double>> used = new HashMap<>();
        for (Workload w : snapshot.workloads()) {
            if (w.phase() != Phase.ADMITTED || w.admission() == null) {
                continue;
            }
            String q = w.admission().clusterQueue();
            ResourceVector u = w.admission().totalUsage();
            Map<String, Double> m = used.computeIfAbsent(q, k -> new HashMap<>());
            for (String r : u.resources()) {
                m.merge(r, u.get(r), Double::sum);
            }
        }
        Map<String, Map<String, Double>> free = new HashMap<>();
        Map<String, Map<String, Double>> cohortFree = new HashMap<>();
        for (ClusterQueueInfo cq : queues.values()) {
            Map<String, Double> f = new HashMap<>();
            ResourceVector nominal = cq.nominalTotal();
            Map<String, Double> u = used.getOrDefault(cq.name(), Map.of());
            for (String r : nominal.resources()) {
                f.put(r, nominal.get(r) - u.getOrDefault(r, 0.0));
            }
            free.put(cq.name(), f);
            if (cq.cohort() != null) {
                Map<String, Double> c = cohortFree.computeIfAbsent(cq.cohort(), k -> new HashMap<>());
                f.forEach((r, v) -> c.merge(r, v, Double::sum));
            }
        }
        Map<String, Integer> ranks = new HashMap<>();
        Map<String, Map<String, Double>> taken = new HashMap<>();
        Map<String, Boolean> closed = new HashMap<>();
        List<PriorityDecision> decisions = ev.plan().decisions();
        for (int i = 0; i < decisions.size(); i++) {
            PriorityDecision d = decisions.get(i);
            planIndex.put(d.workloadId(), i);
            PendingWorkload p = pending.get(d.workloadId());
            if (p == null) {
                continue;
            }
            ResourceVector demand = FlavorShares.unflavored(p.demand()); // quota here is summed over flavors
            String q = queueOf.getOrDefault(d.workloadId(), "");
            int r = ranks.merge(q, 1, Integer::sum) - 1;
            rank.put(d.workloadId(), r);
            ClusterQueueInfo cq = queues.get(q);
            boolean in;
            if (r == 0) {
                in = true;
            } else if (cq == null || Boolean.TRUE.equals(closed.get(q)) || r >= MAX_WINDOW) {
                in = false;
            } else {
                in = fits(demand, taken.getOrDefault(q, Map.of()), free.get(q),
                        cq.cohort() == null ? null : cohortFree.get(cq.cohort()));
                if (!in && cq.strategy() != io.wdrf.api.KueuePolicies.QueueingStrategy.BEST_EFFORT_FIFO) {
                    closed.put(q, true);
                }
            }
            if (in) {
                window.put(d.workloadId(), true);
                Map<String, Double> t = taken.computeIfAbsent(q, k -> new HashMap<>());
                for (String res : demand.resources()) {
                    t.merge(res, demand.get(res), Double::sum);
                }
                windowFloor.merge(q, d.priority(), Math::min);
            }
        }
    }

    private static boolean fits(ResourceVector demand, Map<String, Double> taken, Map<String, Double> free,
                                Map<String, Double> cohort) {
        for (String r : demand.resources()) {
            double own = free == null ? Double.POSITIVE_INFINITY : free.getOrDefault(r, Double.POSITIVE_INFINITY);
            double shared = cohort == null ? Double.NEGATIVE_INFINITY : cohort.getOrDefault(r, Double.NEGATIVE_INFINITY);
            double limit = Math.max(own, shared);
            if (taken.getOrDefault(r, 0.0) + demand.get(r) > limit + 1e-9) {
                return false;
            }
        }
        return true;
    }

    /** In its queue's admission window. */
    boolean inWindow(WorkloadId id) {
        return window.containsKey(id);
    }

    /** Outside the window: does a write from {@code current} to {@code target} change the order against it? */
    boolean orderMatters(WorkloadId id, int current, int target) {
        if (inWindow(id)) {
            return true;
        }
        Integer floor = windowFloor.get(queueOf.getOrDefault(id, ""));
        return floor == null || current >= floor || target >= floor;
    }

    /** Window members first, then by rank in their queue (round-robin over queues), then plan order. */
    Comparator<WorkloadId> comparator() {
        return Comparator.<WorkloadId>comparingInt(id -> inWindow(id) ? 0 : 1)
                .thenComparingInt(id -> rank.getOrDefault(id, Integer.MAX_VALUE))
                .thenComparingInt(id -> planIndex.getOrDefault(id, Integer.MAX_VALUE));
    }

    /** The window members, in write order (for tests and reports). */
    List<WorkloadId> window() {
        List<WorkloadId> out = new ArrayList<>(window.keySet());
        out.sort(comparator());
        return out;
    }
}
