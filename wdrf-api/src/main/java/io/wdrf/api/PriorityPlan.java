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
        PriorityDecision[] given = decisions.toArray(new PriorityDecision[0]);
        PriorityDecision[] sorted;
        if (strictlyAscendingIds(given)) { // one decision per id by construction; position order = id order
            sorted = byPriorityThenPosition(given);
        } else {
            sorted = given;
            java.util.Arrays.sort(sorted, ORDER);
            if (hasDuplicateId(sorted)) {
                throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
            }
        }
        decisions = List.of(sorted);
    }

    /** True when every id is greater than the one before (so no id repeats). */
    private static boolean strictlyAscendingIds(PriorityDecision[] decisions) {
        for (int i = 1; i < decisions.length; i++) {
            if (decisions[i - 1].workloadId().compareTo(decisions[i].workloadId()) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #ORDER} for decisions given in id order, with one primitive sort: priority descending, then position
     * (= id ascending), packed in a long.
     */
    private static PriorityDecision[] byPriorityThenPosition(PriorityDecision[] inIdOrder) {
        int n = inIdOrder.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // high 32 bits: MAX − priority ∈ [0, 2^32), shifted into the signed range so that the long order is right
            long desc = (long) Integer.MAX_VALUE - inIdOrder[i].priority() - (1L << 31);
            keys[i] = (desc << 32) | i;
        }
        java.util.Arrays.sort(keys);
        PriorityDecision[] out = new PriorityDecision[n];
        for (int i = 0; i < n; i++) {
            out[i] = inIdOrder[(int) keys[i]];
        }
        return out;
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
