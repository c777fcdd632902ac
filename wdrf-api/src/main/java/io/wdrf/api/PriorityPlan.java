package io.wdrf.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decisions of one cycle, most important first.
 *
 * <p>Promises: one decision per workload id; ordered by priority descending, then by the order Kueue would use
 * for equal priorities is not implied — ties are ordered by workload id so the list is deterministic.
 */
public record PriorityPlan(String policy, Instant evaluatedAt, List<PriorityDecision> decisions) {

    /** Priority descending, then workload id ascending. */
    public static final Comparator<PriorityDecision> ORDER =
            Comparator.comparingInt(PriorityDecision::priority).reversed().thenComparing(PriorityDecision::workloadId);

    public PriorityPlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        decisions = decisions.stream().sorted(ORDER).toList();
        long distinct = decisions.stream().map(PriorityDecision::workloadId).distinct().count();
        if (distinct != decisions.size()) {
            throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
        }
    }

    /** The decision for {@code id}, if the plan has one. */
    public Optional<PriorityDecision> find(WorkloadId id) {
        return decisions.stream().filter(d -> d.workloadId().equals(id)).findFirst();
    }
}
