package io.wdrf.engine;

import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;

import java.util.Arrays;
import java.util.List;

/**
 * Puts a policy's decisions into {@link PriorityPlan#ORDER} with one primitive sort. The built-in policies decide in
 * the context's pending order, which is by workload id, so "priority descending, then position" is exactly
 * "priority descending, then id": the plan's own sort then only confirms the order (n − 1 comparisons) instead of
 * sorting 100k decisions again with string comparisons on every priority tie. Input in any other order is still
 * correct — the plan sorts what it is given — only slower.
 */
final class PlanOrder {

    private PlanOrder() {
    }

    /** The decisions by priority descending, then by their index in {@code inIdOrder}. */
    static List<PriorityDecision> byPriority(PriorityDecision[] inIdOrder) {
        int n = inIdOrder.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // high 32 bits: MAX − priority ∈ [0, 2^32), shifted to a signed int so that the long order is right
            long desc = (long) Integer.MAX_VALUE - inIdOrder[i].priority() - (1L << 31);
            keys[i] = (desc << 32) | i;
        }
        Arrays.sort(keys);
        PriorityDecision[] out = new PriorityDecision[n];
        for (int i = 0; i < n; i++) {
            out[i] = inIdOrder[(int) keys[i]];
        }
        return Arrays.asList(out);
    }
}
