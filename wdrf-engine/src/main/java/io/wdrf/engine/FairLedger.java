package io.wdrf.engine;

import io.wdrf.api.FairPreemption;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.WorkloadId;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@link io.wdrf.api.PreemptionMode#FAIR} remembers between cycles (in memory; a restarted controller starts
 * empty, which only makes it more conservative: a workload first seen admitted counts as having run long).
 *
 * <ul>
 *   <li>admittedSince: a lower bound of when a workload got its quota: the previous cycle's instant when that cycle saw
 *       it pending, its creation time when no earlier cycle saw it (it was created after that cycle), unknown for the
 *       workloads already admitted at the first cycle. Runtimes are therefore over-estimated, never under.</li>
 *   <li>evictions: a workload made preemptible in the last cycle that is pending again was evicted; it counts
 *       against its {@code max-evictions} and its ClusterQueue's {@code budget} (whoever evicted it: conservative).</li>
 * </ul>
 * Not thread-safe; the engine calls it from one cycle at a time.
 */
final class FairLedger {

    private final Map<WorkloadId, Instant> admittedSince = new HashMap<>();
    private final Map<WorkloadId, Integer> evictions = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> evictionTimes = new TreeMap<>();
    private Set<WorkloadId> seenPending = new HashSet<>();
    private Set<WorkloadId> seenAdmitted = new HashSet<>();
    private Instant lastCycle;
    private Map<WorkloadId, String> lastEligible = new HashMap<>();
    private long evictionsCaused;

    Instant admittedSince(WorkloadId id) {
        return admittedSince.get(id);
    }

    int evictions(WorkloadId id) {
        return evictions.getOrDefault(id, 0);
    }

    /** Evictions of workloads WDRF had made preemptible, since this ledger was created. */
    long evictionsCaused() {
        return evictionsCaused;
    }

    int remainingBudget(String clusterQueue, Instant now, FairPreemption limits) {
        ArrayDeque<Instant> q = evictionTimes.get(clusterQueue);
        if (q == null) {
            return limits.budget();
        }
        Instant from = now.minus(limits.window());
        while (!q.isEmpty() && !q.peekFirst().isAfter(from)) {
            q.pollFirst();
        }
        return Math.max(0, limits.budget() - q.size());
    }

    /** Start of a cycle: learns admissions and evictions since the previous cycle. */
    void advance(Instant now, java.util.List<ContextBuilder.AdmittedWorkload> admitted, java.util.List<PendingWorkload> pending) {
        Set<WorkloadId> pendingIds = new HashSet<>(pending.size() * 2);
        for (PendingWorkload p : pending) {
            pendingIds.add(p.id());
        }
        Set<WorkloadId> admittedIds = new HashSet<>(admitted.size() * 2);
        for (ContextBuilder.AdmittedWorkload a : admitted) {
            WorkloadId id = a.workload().id();
            admittedIds.add(id);
            if (!admittedSince.containsKey(id) && lastCycle != null) {
                if (seenPending.contains(id)) {
                    admittedSince.put(id, lastCycle);
                } else if (!seenAdmitted.contains(id)) {
                    admittedSince.put(id, a.workload().creationTime());
                }
            }
        }
        for (Map.Entry<WorkloadId, String> e : lastEligible.entrySet()) {
            if (pendingIds.contains(e.getKey())) {
                evictions.merge(e.getKey(), 1, Integer::sum);
                evictionTimes.computeIfAbsent(e.getValue(), k -> new ArrayDeque<>()).addLast(now);
                evictionsCaused++;
            }
        }
        admittedSince.keySet().retainAll(admittedIds);
        evictions.keySet().removeIf(id -> !admittedIds.contains(id) && !pendingIds.contains(id));
        seenPending = pendingIds;
        seenAdmitted = admittedIds;
        lastCycle = now;
        lastEligible = Map.of();
    }

    /** End of a cycle: the workloads made preemptible (id → ClusterQueue), whose eviction the next cycle counts. */
    void eligible(Map<WorkloadId, String> eligibleNow) {
        lastEligible = new HashMap<>(eligibleNow);
    }
}
