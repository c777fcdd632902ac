package io.wdrf.sim;

import java.util.List;
import java.util.Map;

/**
 * The outcome of replaying one trace under one policy.
 *
 * @param policy          policy label ({@code wdrf-noaging} etc.)
 * @param overall         statistics over all jobs
 * @param teams           statistics per team, by team name
 * @param allocationRate  time-weighted allocated GPUs / GPU capacity over [0, makespan]
 * @param jain            Jain's index over active teams' weighted dominant shares, time-averaged over the time
 *                        when at least one job was pending (1 when there never was contention); reported as
 *                        {@code jain_weighted_dominant_share}: it cannot see fairness (the perfectly fair allocation
 *                        reads ~0.65 on Philly), see {@link Fairness#jainAllocOverFairShare()} instead
 * @param maxAgingSeconds {@code MAX_AGING_TIME} in seconds (starvation threshold)
 * @param writes          priority writes ({@code InMemoryCluster.totalWrites()})
 * @param preemptions     workloads evicted by ClusterQueue preemption ({@code InMemoryCluster.preemptions()})
 * @param cycles          controller cycles run (with {@code --fast-forward}, only the executed ones)
 * @param skippedCycles   controller cycles on the grid collapsed by {@code --fast-forward} (not run)
 * @param admissionCycles Kueue admission cycles run
 * @param events          events processed
 * @param makespanSeconds time of the last completion
 * @param wallMillis      wall time of the replay
 * @param engineMillis    wall time inside {@code Reconciler.runOnce()}
 * @param admissionMillis wall time inside {@code InMemoryCluster.admissionCycle()}
 * @param waits           every job's queueing delay in seconds, ascending (CDF)
 * @param series          allocation and shares over time
 * @param fairness        fairness against the demand-aware fair share ({@link Fairness})
 * @param timeline        every job event of the replay (per-job CSV)
 */
public record PolicyRun(String policy, TeamStats overall, Map<String, TeamStats> teams, double allocationRate,
                        double jain, double maxAgingSeconds, long writes, long preemptions, long cycles,
                        long skippedCycles, long admissionCycles, long events, double makespanSeconds, long wallMillis, long engineMillis,
                        long admissionMillis, double[] waits, Series series, Fairness fairness,
                        Timeline timeline) {

    /**
     * Bucketed averages over time.
     *
     * @param bucketSeconds width of a bucket
     * @param allocation    mean allocation rate per bucket
     * @param shares        team → mean weighted dominant share per bucket
     */
    public record Series(double bucketSeconds, double[] allocation, Map<String, double[]> shares) {
    }

    /** The team names in order. */
    public List<String> teamNames() {
        return List.copyOf(teams.keySet());
    }
}
