package io.wdrf.engine;

import io.wdrf.api.InvalidObject;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.WorkloadId;

import java.util.List;
import java.util.Map;

/**
 * Result of evaluating one snapshot: the context the policy saw, the final plan (after the preemption guard), and
 * every object that was skipped with its reason.
 *
 * @param context      what the policy saw
 * @param plan         target priorities, most important first
 * @param invalid      objects skipped by the backend or the engine, with specific reasons
 * @param clusterQueue workload id → ClusterQueue, where known
 * @param protections  target priorities of admitted workloads (preemption modes {@code classes}, {@code fair}): only
 *                     those that differ from the current priority; to be written before any pending raise
 * @param ceilings     pending workload → the highest priority it may hold without allowing a preemption the mode
 *                     forbids (only workloads in ClusterQueues that preempt by priority)
 * @param capped       pending decisions lowered by the preemption mode
 */
public record Evaluation(PolicyContext context, PriorityPlan plan, List<InvalidObject> invalid,
                         Map<WorkloadId, String> clusterQueue, List<PriorityDecision> protections,
                         Map<WorkloadId, Integer> ceilings, int capped) {

    public Evaluation {
        invalid = List.copyOf(invalid);
        clusterQueue = java.util.Collections.unmodifiableMap(clusterQueue);
        protections = protections == null ? List.of() : List.copyOf(protections);
        ceilings = ceilings == null ? Map.of() : java.util.Collections.unmodifiableMap(ceilings);
    }

    /** An evaluation without protections or caps. */
    public Evaluation(PolicyContext context, PriorityPlan plan, List<InvalidObject> invalid, Map<WorkloadId, String> clusterQueue) {
        this(context, plan, invalid, clusterQueue, List.of(), Map.of(), 0);
    }
}
