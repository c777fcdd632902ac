package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;

/**
 * Choice of {@code priorityBase} so that a workload WDRF has not prioritised (Kueue's default priority 0, e.g. one
 * created while WDRF is down) is not pushed behind everything WDRF prioritised (issue 13.8).
 *
 * <p>{@link #centred} puts a <em>fresh normal-class workload of a tenant exactly at its weighted entitlement</em>
 * (level {@code L = 1}, no aging) at priority 1, just above an unprioritised workload's 0:
 * {@code base = 1 − (class(normal) + fairness(1))} = {@code 1 − (w_normal · band + ⌊R / 2⌋)}, {@code −17,500} at the
 * defaults. An unprioritised workload then queues behind the normal work of tenants at or below their entitlement and
 * old normal work (priorities ≥ 1) and ahead of over-served tenants' fresh work (negative), and below every higher
 * class. (1 rather than 0: a target equal to Kueue's default would never be written, and the workload would carry no
 * explanation.) Only a uniform offset is added: the order among WDRF's
 * priorities, the class bands and the preemption-mode protections ({@code top(c) = base + class(c) + band − 1}) keep
 * their meaning.
 */
public final class PriorityBase {

    private PriorityBase() {
    }

    /** The base that maps a fresh normal-class workload of a tenant at its entitlement to priority 1. */
    public static int centred(PolicyConfig config) {
        Points p = new Points(config.toBuilder().priorityBase(0).build());
        long centre = p.classPoints(PolicyConfig.NORMAL) + p.fairness(1.0);
        return (int) (1 - centre);
    }

    /**
     * The automatic base of a policy: {@link #centred} for the built-in policies whose scores use the class bands
     * ({@code wdrf}, {@code drf}, {@code multifactor}); 0 for {@code fifo} (which writes the base to every pending
     * workload, so 0 keeps it equal to unprioritised work) and for plugin policies (their scale is unknown).
     */
    public static int auto(String policy, PolicyConfig config) {
        return switch (policy) {
            case "wdrf", "drf", "multifactor" -> centred(config);
            default -> 0;
        };
    }
}
