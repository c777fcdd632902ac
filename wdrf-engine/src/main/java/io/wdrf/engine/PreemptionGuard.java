package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Phase;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps WDRF from causing a preemption the admin did not opt into.
 *
 * <p>Kueue preempts by priority when a ClusterQueue has {@code withinClusterQueue: LowerPriority} (victims with a
 * lower priority) or {@code LowerOrNewerEqualPriority} (also equal and newer), and across a cohort under
 * {@code reclaimWithinCohort} / {@code borrowWithinCohort} {@code LowerPriority}. For every pending workload in
 * such a queue the guard caps the target at {@code max(cap, current effective priority)}, where cap is the lowest
 * effective priority among admitted workloads it could preempt by priority (minus one for the equal-priority
 * rule). WDRF therefore never raises a workload above work it could evict; it may still lower it. {@code Any}
 * reclaims regardless of priority, so WDRF's value cannot cause it and nothing is capped.
 */
final class PreemptionGuard {

    private final Map<String, Long> withinCap = new HashMap<>();
    private final Map<String, Long> cohortCap = new HashMap<>();
    private final Map<String, ClusterQueueInfo> queues = new HashMap<>();

    PreemptionGuard(ClusterSnapshot snapshot, Map<WorkloadId, String> clusterQueueOf) {
        for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
            queues.put(cq.name(), cq);
        }
        Map<String, Long> minByQueue = new HashMap<>();
        for (Workload w : snapshot.workloads()) {
            if (w.phase() != Phase.ADMITTED) {
                continue;
            }
            String cq = clusterQueueOf.get(w.id());
            if (cq == null) {
                continue;
            }
            minByQueue.merge(cq, (long) w.effectivePriority(), Math::min);
        }
        for (Map.Entry<String, Long> e : minByQueue.entrySet()) {
            ClusterQueueInfo cq = queues.get(e.getKey());
            if (cq == null) {
                continue;
            }
            switch (cq.withinClusterQueue()) {
                case "LowerPriority" -> withinCap.put(cq.name(), e.getValue());
                case "LowerOrNewerEqualPriority" -> withinCap.put(cq.name(), e.getValue() - 1);
                default -> { }
            }
            if (cq.cohort() != null) {
                cohortCap.merge(cq.cohort(), e.getValue(), Math::min);
            }
        }
    }

    /** Applies the caps; decisions of workloads outside guarded queues pass unchanged. */
    List<PriorityDecision> apply(List<PriorityDecision> decisions, Map<WorkloadId, String> clusterQueueOf,
                                 Map<WorkloadId, Workload> pendingById) {
        if (withinCap.isEmpty() && cohortCap.isEmpty()) {
            return decisions; // no queue preempts by priority over admitted work
        }
        List<PriorityDecision> out = new ArrayList<>(decisions.size());
        for (PriorityDecision d : decisions) {
            WorkloadId key = d.workloadId();
            String cqName = clusterQueueOf.get(key);
            ClusterQueueInfo cq = cqName == null ? null : queues.get(cqName);
            Long cap = null;
            if (cq != null) {
                cap = withinCap.get(cq.name());
                boolean cohortByPriority = cq.cohort() != null && ("LowerPriority".equals(cq.reclaimWithinCohort())
                        || "LowerPriority".equals(cq.borrowWithinCohort()));
                Long c2 = cohortByPriority ? cohortCap.get(cq.cohort()) : null;
                if (c2 != null) {
                    cap = cap == null ? c2 : Math.min(cap, c2);
                }
            }
            Workload w = pendingById.get(key);
            if (cap != null && w != null) {
                long allowed = Math.max(cap, w.effectivePriority());
                if (d.priority() > allowed) {
                    out.add(new PriorityDecision(d.workloadId(), (int) allowed, d.explanation().withNote(
                            "capped from " + d.priority() + " to " + allowed + " by preemption guard (ClusterQueue "
                                    + cq.name() + " preempts by priority)")));
                    continue;
                }
            }
            out.add(d);
        }
        return out;
    }
}
