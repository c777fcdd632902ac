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
        PriorityDecision[] sorted;
        if (decisions instanceof Paired paired) { // checked against its context by ofPending: one per id, in id order
            sorted = paired.sorted;
        } else {
            PriorityDecision[] given = decisions.toArray(new PriorityDecision[0]);
            if (strictlyAscendingIds(given)) { // one decision per id by construction; position order = id order
                sorted = byPriorityThenPosition(given, keys(given));
            } else {
                sorted = given;
                java.util.Arrays.sort(sorted, ORDER);
                if (hasDuplicateId(sorted)) {
                    throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
                }
            }
        }
        decisions = List.of(sorted);
    }

    /**
     * The plan of a policy that decided once per pending workload of {@code context}, in the context's order:
     * {@code decisions.get(i)} is for {@code context.pending().get(i)}. The same plan as
     * {@code new PriorityPlan(policy, context.now(), decisions)}, built without comparing ids: the pairing is checked
     * by reference (by equality where the references differ), and the context's pending workloads are in id order by
     * its promise, so the decisions are too. A policy that keeps its decisions in pending order saves one string
     * comparison per workload, which at 100k pending costs more than the sort.
     *
     * @throws IllegalArgumentException when the sizes differ or a decision is not for the pending workload at its
     *                                  position
     */
    public static PriorityPlan ofPending(String policy, PolicyContext context, List<PriorityDecision> decisions) {
        Objects.requireNonNull(context, "context");
        List<PendingWorkload> pending = context.pending();
        PriorityDecision[] given = decisions.toArray(new PriorityDecision[0]);
        if (given.length != pending.size()) {
            throw new IllegalArgumentException("plan of policy " + policy + " has " + given.length + " decisions for "
                    + pending.size() + " pending workloads");
        }
        long[] keys = new long[given.length];
        for (int i = 0; i < given.length; i++) {
            PriorityDecision decision = given[i];
            WorkloadId d = decision.workloadId();
            WorkloadId p = pending.get(i).id();
            if (d != p && !d.equals(p)) {
                throw new IllegalArgumentException("plan of policy " + policy + ": decision " + i + " is for " + d
                        + ", the pending workload at that position is " + p);
            }
            keys[i] = key(decision.priority(), i); // while the decision is at hand
        }
        return new PriorityPlan(policy, context.now(), new Paired(byPriorityThenPosition(given, keys)));
    }

    /** Decisions {@link #ofPending} checked (a private type: nothing else can claim to be checked). */
    private static final class Paired extends java.util.AbstractList<PriorityDecision> {
        private final PriorityDecision[] sorted;

        private Paired(PriorityDecision[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public PriorityDecision get(int index) {
            return sorted[index];
        }

        @Override
        public int size() {
            return sorted.length;
        }
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
    private static PriorityDecision[] byPriorityThenPosition(PriorityDecision[] inIdOrder, long[] keys) {
        int n = inIdOrder.length;
        java.util.Arrays.sort(keys);
        PriorityDecision[] out = new PriorityDecision[n];
        for (int i = 0; i < n; i++) {
            out[i] = inIdOrder[(int) keys[i]];
        }
        return out;
    }

    private static long[] keys(PriorityDecision[] inIdOrder) {
        long[] keys = new long[inIdOrder.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(inIdOrder[i].priority(), i);
        }
        return keys;
    }

    /** High 32 bits: MAX − priority ∈ [0, 2^32), shifted into the signed range so that the long order is right. */
    private static long key(int priority, int position) {
        long desc = (long) Integer.MAX_VALUE - priority - (1L << 31);
        return (desc << 32) | position;
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
