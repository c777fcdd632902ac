package io.wdrf.sim;

import io.wdrf.api.ClusterQueueInfo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the simulated Kueue is set up (the Kueue-side baselines WDRF is compared with).
 *
 * @param topology             {@link Topology#SHARED}: one ClusterQueue with a LocalQueue per team (seeds 003/004);
 *                             {@link Topology#PER_TEAM}: one ClusterQueue per team in cohort {@code sim}, nominal
 *                             quotas split by team weight (Philly: {@code philly_vc.csv} node counts), borrowing
 *                             without limits
 * @param reclaimWithinCohort  per-team ClusterQueues' {@code reclaimWithinCohort}: Never, LowerPriority or Any
 * @param kueueFairSharing     Kueue's Fair Sharing (DRS tournament, fair preemption strategies)
 * @param admissionFairSharing Kueue's Admission Fair Sharing (LocalQueue usage inside a ClusterQueue)
 * @param afsHalfLife          {@code usageHalfLifeTime} of Admission Fair Sharing
 * @param checkpointInterval   a preempted job restarts from its last checkpoint (0 = from scratch)
 * @param placement            node-level placement after admission ({@code --placement}; none = admitted jobs run at once)
 */
public record KueueSetup(Topology topology, String reclaimWithinCohort, boolean kueueFairSharing,
                         boolean admissionFairSharing, Duration afsHalfLife, Duration checkpointInterval,
                         io.wdrf.sim.placement.PlacementPolicy placement) {

    /** Without node-level placement. */
    public KueueSetup(Topology topology, String reclaimWithinCohort, boolean kueueFairSharing,
                      boolean admissionFairSharing, Duration afsHalfLife, Duration checkpointInterval) {
        this(topology, reclaimWithinCohort, kueueFairSharing, admissionFairSharing, afsHalfLife, checkpointInterval,
                io.wdrf.sim.placement.PlacementPolicy.NONE);
    }

    /** {@code --topology}. */
    public enum Topology {
        SHARED, PER_TEAM;

        /** Parses {@code shared} / {@code per-team}. */
        public static Topology parse(String v) {
            return switch (v) {
                case "shared" -> SHARED;
                case "per-team" -> PER_TEAM;
                default -> throw new IllegalArgumentException("--topology: '" + v + "' is not one of shared, per-team");
            };
        }
    }

    public KueueSetup {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(afsHalfLife, "afsHalfLife");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(placement, "placement");
        if (!List.of(ClusterQueueInfo.NEVER, "LowerPriority", "Any").contains(reclaimWithinCohort)) {
            throw new IllegalArgumentException("--reclaim-within-cohort: '" + reclaimWithinCohort
                    + "' is not one of Never, LowerPriority, Any");
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("--checkpoint-interval: " + checkpointInterval + " must not be negative");
        }
        if (afsHalfLife.isNegative()) {
            throw new IllegalArgumentException("--afs-half-life: " + afsHalfLife + " must not be negative");
        }
    }

    /** One shared ClusterQueue, classical Kueue, restart from scratch: the simulator's original setup. */
    public static KueueSetup defaults() {
        return new KueueSetup(Topology.SHARED, ClusterQueueInfo.NEVER, false, false, Duration.ofHours(168), Duration.ZERO);
    }

    /** Whether the model may preempt across the cohort. */
    boolean reclaims() {
        return topology == Topology.PER_TEAM && !ClusterQueueInfo.NEVER.equals(reclaimWithinCohort);
    }
}
