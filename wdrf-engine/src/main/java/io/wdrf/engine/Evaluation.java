package io.wdrf.engine;

import io.wdrf.api.InvalidObject;
import io.wdrf.api.PolicyContext;
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
 */
public record Evaluation(PolicyContext context, PriorityPlan plan, List<InvalidObject> invalid,
                         Map<WorkloadId, String> clusterQueue) {

    public Evaluation {
        invalid = List.copyOf(invalid);
        clusterQueue = java.util.Collections.unmodifiableMap(clusterQueue);
    }
}
