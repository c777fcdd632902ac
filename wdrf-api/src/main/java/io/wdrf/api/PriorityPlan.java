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
        if (hasDuplicateId(sorted)) {
            throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
        }
    }

    /** True when two decisions share a workload id (an open-addressed table: no per-entry allocation). */
    private static boolean hasDuplicateId(PriorityDecision[] decisions) {
        int n = decisions.length;
        if (n < 2) {
            return false;
        }
        int size = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
        int mask = size - 1;
        WorkloadId[] table = new WorkloadId[size];
        for (PriorityDecision d : decisions) {
            WorkloadId id = d.workloadId();
            int h = id.hashCode();
            int i = (h ^ (h >>> 16)) & mask;
            while (table[i] != null) {
                if (table[i] == id || table[i].equals(id)) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            table[i] = id;
        }
        return false;
    }

    /** The decision for {@code id}, if the plan has one. */
    public Optional<PriorityDecision> find(WorkloadId id) {
        return decisions.stream().filter(d -> d.workloadId().equals(id)).findFirst();
    }
}
