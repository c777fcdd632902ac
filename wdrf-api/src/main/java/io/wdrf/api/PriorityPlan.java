package io.wdrf.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decisions of one cycle, most important first.
 *
 * <p>Promises: one decision per workload id; ordered by priority descending, ties by workload id (a deterministic
 * listing order only: Kueue itself breaks equal priorities by queue-order time, then UID).
 */
public record PriorityPlan(String policy, Instant evaluatedAt, List<PriorityDecision> decisions) {

    /** Priority descending, then workload id ascending. */
    public static final Comparator<PriorityDecision> ORDER = (a, b) -> {
        int c = Integer.compare(b.priority(), a.priority());
        return c != 0 ? c : a.workloadId().compareTo(b.workloadId());
    };

    public PriorityPlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        PriorityDecision[] sorted = decisions.toArray(new PriorityDecision[0]);
        java.util.Arrays.sort(sorted, ORDER);
        decisions = List.of(sorted);
        java.util.Set<WorkloadId> ids = new java.util.HashSet<>(sorted.length * 2);
        for (PriorityDecision d : sorted) {
            ids.add(d.workloadId());
        }
        if (ids.size() != sorted.length) {
            throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
        }
    }

    /** The decision for {@code id}, if the plan has one. */
    public Optional<PriorityDecision> find(WorkloadId id) {
        return decisions.stream().filter(d -> d.workloadId().equals(id)).findFirst();
    }
}
