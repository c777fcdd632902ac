package io.wdrf.kueue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Kueue's Admission Fair Sharing ({@code admissionFairSharing} in the Kueue Configuration, with every
 * ClusterQueue's {@code admissionScope.admissionMode: UsageBasedAdmissionFairSharing}): inside a ClusterQueue,
 * workloads of the LocalQueue with the lowest decayed usage go first.
 *
 * <p>Promises: immutable. A LocalQueue's usage is {@code Σ weight(resource) × (consumed + penalty)}, where
 * {@code consumed} is an exponential moving average of the resources its admitted workloads hold, updated every
 * {@code usageSamplingInterval} with {@code α = 1 − 0.5^(elapsed / usageHalfLifeTime)}, and {@code penalty} is
 * {@code α(samplingInterval) × request} per workload admitted since the last update (Kueue's entry penalty).
 * Resources without a weight weigh 1 (as in Kueue, so memory in bytes dominates unless weighted). LocalQueue
 * weights are 1 (the {@link io.wdrf.api.LocalQueueInfo} projection carries none).
 *
 * @param usageHalfLifeTime     half-life of past usage (Kueue default 168 h); zero forgets it at once
 * @param usageSamplingInterval how often consumed usage is updated (Kueue default 5 min)
 * @param resourceWeights       weight per resource name
 */
public record AdmissionFairSharingConfig(Duration usageHalfLifeTime, Duration usageSamplingInterval,
                                         Map<String, Double> resourceWeights) {

    public AdmissionFairSharingConfig {
        Objects.requireNonNull(usageHalfLifeTime, "usageHalfLifeTime");
        Objects.requireNonNull(usageSamplingInterval, "usageSamplingInterval");
        if (usageHalfLifeTime.isNegative() || usageSamplingInterval.isNegative() || usageSamplingInterval.isZero()) {
            throw new IllegalArgumentException("admissionFairSharing: usageHalfLifeTime must be >= 0 and "
                    + "usageSamplingInterval > 0, got " + usageHalfLifeTime + " and " + usageSamplingInterval);
        }
        resourceWeights = resourceWeights == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(resourceWeights));
        resourceWeights.forEach((r, w) -> {
            if (w == null || w < 0 || w.isNaN()) {
                throw new IllegalArgumentException("admissionFairSharing: resource weight of " + r + " must be >= 0");
            }
        });
    }

    /** Kueue's defaults (half-life 168 h, sampling 5 min) with the given resource weights. */
    public static AdmissionFairSharingConfig defaults(Map<String, Double> resourceWeights) {
        return new AdmissionFairSharingConfig(Duration.ofHours(168), Duration.ofMinutes(5), resourceWeights);
    }

    /** Kueue's {@code calculateAlphaRate}. */
    static double alpha(double elapsedSeconds, double halfLifeSeconds) {
        if (halfLifeSeconds == 0) {
            return 0.0; // Kueue: no decay information kept
        }
        return 1.0 - Math.pow(0.5, elapsedSeconds / halfLifeSeconds);
    }
}
