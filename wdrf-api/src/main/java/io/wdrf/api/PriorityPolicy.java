package io.wdrf.api;

/**
 * Turns a {@link PolicyContext} into target priorities.
 *
 * <p>Contract for implementations: return exactly one decision per pending workload of the context; be
 * deterministic (the same context gives the same plan, whatever the order of the snapshot's lists); read time only
 * from {@link PolicyContext#now()}; explain every decision. The engine validates the plan, applies the preemption
 * guard and diffs it against the cluster, so a policy never writes anything itself.
 */
public interface PriorityPolicy {

    /** The name users select the policy by (e.g. {@code wdrf}). */
    String name();

    /** Computes the plan for this cycle. */
    PriorityPlan evaluate(PolicyContext context);
}
