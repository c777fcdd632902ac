package io.wdrf.api;

import java.util.Objects;

/**
 * The target priority of one pending workload and why.
 *
 * @param workloadId  the workload
 * @param priority    target effective priority (int32)
 * @param explanation factor breakdown
 */
public record PriorityDecision(WorkloadId workloadId, int priority, Explanation explanation) {

    public PriorityDecision {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(explanation, "explanation");
    }
}
