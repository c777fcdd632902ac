package io.wdrf.api;

/**
 * Kueue's coarse status of a Workload, derived from its conditions the way Kueue does
 * ({@code pkg/workload/workload.go: Status()}): Finished wins over quota reserved, which wins over pending.
 */
public enum Phase {
    /** No quota reserved and not finished. Whether it can be admitted is {@link Workload#isAdmissible()}. */
    PENDING,
    /** {@code QuotaReserved=True} (admitted or holding quota while admission checks run). */
    ADMITTED,
    /** {@code Finished=True}. */
    FINISHED
}
