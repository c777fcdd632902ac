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
        if (!(decisions instanceof Paired)) { // else checked against its context by ofPending: one per id, in id order
            PriorityDecision[] sorted;
            PriorityDecision[] given = decisions.toArray(new PriorityDecision[0]);
            if (strictlyAscendingIds(given)) { // one decision per id by construction; position order = id order
                sorted = inOrder(given, sortedOrder(keys(given)));
            } else {
                sorted = given;
                java.util.Arrays.sort(sorted, ORDER);
                if (hasDuplicateId(sorted)) {
                    throw new IllegalArgumentException("plan of policy " + policy + " has more than one decision for a workload");
                }
            }
            decisions = List.of(sorted);
        }
    }

    /**
     * The plan of a policy that decided once per pending workload of {@code context}, in the context's order:
     * {@code decisions.get(i)} is for {@code context.pending().get(i)}. The same plan as
     * {@code new PriorityPlan(policy, context.now(), decisions)}, built without comparing ids: the pairing is checked
     * by reference (by equality where the references differ), and the context's pending workloads are in id order by
     * its promise, so the decisions are too.
     *
     * @throws IllegalArgumentException when the sizes differ or a decision is not for the pending workload at its
     *                                  position
     */
    public static PriorityPlan ofPending(String policy, PolicyContext context, List<PriorityDecision> decisions) {
        return ofPending(policy, context, decisions, null);
    }

    /**
     * {@link #ofPending(String, PolicyContext, List)} for a policy that reuses decisions of its last plan: where the
     * pending workload at a position is the very object that was pending in {@code previous}'s context and the decision
     * is the very decision {@code previous} held for it, the pair is known to match and is not visited again (at 100k
     * pending, visiting every decision and workload costs more than the sort). {@code previous} counts only when it was
     * itself built by {@code ofPending}; otherwise, or when null, every pair is checked.
     *
     * @throws IllegalArgumentException when the sizes differ or a decision is not for the pending workload at its
     *                                  position
     */
    public static PriorityPlan ofPending(String policy, PolicyContext context, List<PriorityDecision> decisions,
                                         PriorityPlan previous) {
        Objects.requireNonNull(context, "context");
        // Object[]: a typed copy (or a cast) would read every workload's header, and at 100k pending that visit costs more
        // than the sort; only the pairs not known from the last plan are looked at
        Object[] pending = context.pending().toArray();
        PriorityDecision[] given = decisions.toArray(new PriorityDecision[0]);
        if (given.length != pending.length) {
            throw new IllegalArgumentException("plan of policy " + policy + " has " + given.length + " decisions for "
                    + pending.length + " pending workloads");
        }
        Paired before = previous != null && previous.decisions() instanceof Paired p ? p : null;
        Object[] beforePending = before == null ? new Object[0] : before.pending;
        int[] priorities = new int[given.length];
        long[] keys = new long[given.length];
        int[] newOfBefore = before == null ? null : new int[beforePending.length]; // last position → this one, or -1
        if (newOfBefore != null) {
            java.util.Arrays.fill(newOfBefore, -1);
        }
        boolean[] known = new boolean[given.length]; // paired from the last plan (its relative order is kept)
        int knownCount = 0;
        // last position → this one for the same workload object (known or re-decided), or -1; and whether paired
        int[] sameWorkload = before == null ? null : new int[beforePending.length];
        if (sameWorkload != null) {
            java.util.Arrays.fill(sameWorkload, -1);
        }
        boolean[] paired = new boolean[given.length];
        int pairedCount = 0;
        int j = 0;
        for (int i = 0; i < given.length; i++) {
            Object p = pending[i];
            PriorityDecision decision = given[i];
            int priority = 0;
            // both pending lists are in id order: walk the last one alongside (ids are compared only where they differ)
            // (the same workload object in a new pending workload — a later instant — has the same id: no strings read)
            while (j < beforePending.length && beforePending[j] != p
                    && ((PendingWorkload) beforePending[j]).workload() != ((PendingWorkload) p).workload()
                    && ((PendingWorkload) beforePending[j]).id().compareTo(((PendingWorkload) p).id()) < 0) {
                j++;
            }
            if (j < beforePending.length && (beforePending[j] == p
                    || ((PendingWorkload) beforePending[j]).workload() == ((PendingWorkload) p).workload())) {
                if (beforePending[j] == p && before.inPendingOrder[j] == decision) { // checked then, for the same object
                    known[i] = true;
                    priority = before.priorities[j];
                    newOfBefore[j] = i;
                    knownCount++;
                }
                sameWorkload[j] = i;
                paired[i] = true;
                pairedCount++;
                j++;
            }
            if (!known[i]) {
                WorkloadId d = decision.workloadId();
                WorkloadId id = ((PendingWorkload) p).id();
                if (d != id && !d.equals(id)) {
                    throw new IllegalArgumentException("plan of policy " + policy + ": decision " + i + " is for " + d
                            + ", the pending workload at that position is " + id);
                }
                priority = decision.priority();
            }
            priorities[i] = priority;
            keys[i] = key(priority, i);
        }
        if (knownCount > given.length / 2) {
            return new PriorityPlan(policy, context.now(), merged(before, newOfBefore, known, keys, knownCount, pending,
                    given, priorities));
        }
        if (pairedCount > given.length / 2) {
            // most workloads were in the last plan (re-decided, e.g. at a later instant): their keys in the last plan's
            // order are nearly sorted, which the sort finds in runs (a key carries its position: any order sorts right)
            long[] byLastOrder = new long[keys.length];
            int t = 0;
            for (int last : before.order) {
                int i = sameWorkload[last];
                if (i >= 0) {
                    byLastOrder[t++] = keys[i];
                }
            }
            for (int i = 0; i < keys.length; i++) {
                if (!paired[i]) {
                    byLastOrder[t++] = keys[i];
                }
            }
            keys = byLastOrder;
        }
        int[] order = sortedOrder(keys); // keys now sorted: their high bits are the priorities in plan order
        int[] sortedPriorities = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sortedPriorities[i] = priorityOf(keys[i]);
        }
        return new PriorityPlan(policy, context.now(), new Paired(inOrder(given, order), order, pending, given, priorities,
                sortedPriorities));
    }

    /**
     * Positions in plan order ({@link #ORDER} for decisions in id order): the keys (priority desc, position asc)
     * sorted in place, with one primitive sort.
     */
    private static int[] sortedOrder(long[] keys) {
        java.util.Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * The plan when most decisions are the last plan's for the same workloads (same priority): those keep the last
     * plan's relative order (both position orders are id order), so only the others are sorted and merged in. The
     * kept ones are read in the last plan's order (its decisions and priorities sequentially; only their new positions
     * by index): permuting 100k decisions by index misses the cache at almost every one.
     */
    private static Paired merged(Paired before, int[] newOfBefore, boolean[] known, long[] keys, int knownCount,
                                 Object[] pending, PriorityDecision[] given, int[] priorities) {
        long[] other = new long[keys.length - knownCount];
        int o = 0;
        for (int i = 0; i < keys.length; i++) {
            if (!known[i]) {
                other[o++] = keys[i];
            }
        }
        java.util.Arrays.sort(other);
        int n = keys.length;
        int[] order = new int[n];
        int[] sortedPriorities = new int[n];
        PriorityDecision[] sorted = new PriorityDecision[n];
        int[] lastOrder = before.order;
        int a = nextKept(lastOrder, newOfBefore, 0); // the next kept decision's place in the last plan's order
        int b = 0;
        for (int i = 0; i < n; i++) {
            int keptAt = a < lastOrder.length ? newOfBefore[lastOrder[a]] : -1;
            if (b >= other.length || (keptAt >= 0 && key(before.sortedPriorities[a], keptAt) < other[b])) {
                order[i] = keptAt;
                sortedPriorities[i] = before.sortedPriorities[a];
                sorted[i] = before.sorted[a]; // the very decision given at keptAt (it was paired by identity)
                a = nextKept(lastOrder, newOfBefore, a + 1);
            } else {
                long next = other[b++];
                int at = (int) next;
                order[i] = at;
                sortedPriorities[i] = priorityOf(next);
                sorted[i] = given[at];
            }
        }
        return new Paired(sorted, order, pending, given, priorities, sortedPriorities);
    }

    /** The first place from {@code a} on in the last plan's order whose decision is kept (the length: none left). */
    private static int nextKept(int[] lastOrder, int[] newOfBefore, int a) {
        while (a < lastOrder.length && newOfBefore[lastOrder[a]] < 0) {
            a++;
        }
        return a;
    }

    /**
     * Decisions {@link #ofPending} checked (a private type: nothing else can claim to be checked), most important
     * first, with what a later {@code ofPending} needs to recognise them: the pending workloads and the decisions in
     * pending order, and their priorities. Immutable.
     */
    private static final class Paired extends java.util.AbstractList<PriorityDecision> implements java.util.RandomAccess {
        private final PriorityDecision[] sorted;
        /** The pending position of each decision in plan order. */
        private final int[] order;
        private final Object[] pending;
        private final PriorityDecision[] inPendingOrder;
        private final int[] priorities;
        /** The priorities in plan order. */
        private final int[] sortedPriorities;

        private Paired(PriorityDecision[] sorted, int[] order, Object[] pending, PriorityDecision[] inPendingOrder,
                       int[] priorities, int[] sortedPriorities) {
            this.sorted = sorted;
            this.order = order;
            this.pending = pending;
            this.inPendingOrder = inPendingOrder;
            this.priorities = priorities;
            this.sortedPriorities = sortedPriorities;
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

    /** The decisions at the given positions, in that order. */
    private static PriorityDecision[] inOrder(PriorityDecision[] inIdOrder, int[] order) {
        PriorityDecision[] out = new PriorityDecision[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = inIdOrder[order[i]];
        }
        return out;
    }

    /** One {@link #key} per decision, by position. */
    private static long[] keys(PriorityDecision[] inIdOrder) {
        long[] keys = new long[inIdOrder.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(inIdOrder[i].priority(), i);
        }
        return keys;
    }

    /** The priority a {@link #key} was made of. */
    private static int priorityOf(long key) {
        return (int) ((long) Integer.MAX_VALUE - ((key >> 32) + (1L << 31)));
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

    /**
     * Where the decision at {@code index} of {@link #decisions()} stands in the pending list of the context the plan
     * was made for: its position, for a plan built by {@link #ofPending} (which checked that pairing); -1 for any other
     * plan (its decisions say only their workload id). Lets a caller reach a decision's pending workload without
     * looking its id up.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not a position of {@link #decisions()}
     */
    public int pendingPosition(int index) {
        Objects.checkIndex(index, decisions.size());
        return decisions instanceof Paired p ? p.order[index] : -1;
    }

    /** The decision for {@code id}, if the plan has one. */
    public Optional<PriorityDecision> find(WorkloadId id) {
        return decisions.stream().filter(d -> d.workloadId().equals(id)).findFirst();
    }
}
