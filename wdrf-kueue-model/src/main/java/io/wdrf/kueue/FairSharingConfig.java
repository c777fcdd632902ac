package io.wdrf.kueue;

import java.util.List;

/**
 * Kueue's Fair Sharing configuration ({@code fairSharing} in the Kueue Configuration): ClusterQueues and cohorts
 * compete by dominant resource share (DRS), the scheduler picks heads by a tournament over the cohort tree, and
 * preemption in a cohort follows {@code preemptionStrategies}.
 *
 * <p>Promises: immutable; {@code preemptionStrategies} is non-empty (Kueue's default is
 * {@code [LessThanOrEqualToFinalShare, LessThanInitialShare]}); Kueue's beta gates
 * {@code FairSharingPrioritizeNonBorrowing} and {@code FairSharingPreemptWithinNominal} (on by default since
 * v0.17) are modelled as on.
 *
 * @param preemptionStrategies the strategies tried in order (at most two are used, as in Kueue)
 */
public record FairSharingConfig(List<PreemptionStrategy> preemptionStrategies) {

    /** {@code fairSharing.preemptionStrategies} values. */
    public enum PreemptionStrategy {
        /** The preemptor's share after admission ≤ the target's share after the preemption. */
        LESS_THAN_OR_EQUAL_TO_FINAL_SHARE,
        /** The preemptor's share after admission &lt; the target's share before the preemption. */
        LESS_THAN_INITIAL_SHARE
    }

    public FairSharingConfig {
        preemptionStrategies = preemptionStrategies == null || preemptionStrategies.isEmpty()
                ? List.of(PreemptionStrategy.LESS_THAN_OR_EQUAL_TO_FINAL_SHARE, PreemptionStrategy.LESS_THAN_INITIAL_SHARE)
                : List.copyOf(preemptionStrategies);
    }

    /** Kueue's defaults. */
    public static FairSharingConfig defaults() {
        return new FairSharingConfig(null);
    }
}
