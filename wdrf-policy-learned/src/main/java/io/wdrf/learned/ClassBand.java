package io.wdrf.learned;

import io.wdrf.api.PolicyConfig;

/**
 * The class bands of the built-in policies, for plugins that keep them: a workload of class {@code c} gets a priority
 * in {@code [base + w_c·band, base + w_c·band + band − 1]}, so no score can lift it above a higher class.
 *
 * <pre>
 *   band     = ceil(R · (1 + agingCoefficient)) + 1      R = fairnessResolution
 *   class(c) = priorityWeights[c] · band
 * </pre>
 * (the same formulas as the engine's {@code Points}; a test pins the two together).
 */
public final class ClassBand {

    private final PolicyConfig config;
    private final long band;

    /** Bands of {@code config}. */
    public ClassBand(PolicyConfig config) {
        this.config = config;
        this.band = (long) Math.ceil(config.fairnessResolution() * (1.0 + config.agingCoefficient())) + 1;
    }

    /** Width of one class band in priority points. */
    public long band() {
        return band;
    }

    /** First point of the band of {@code workloadClass} (unknown classes get weight 0). */
    public long classPoints(String workloadClass) {
        return config.priorityWeights().getOrDefault(workloadClass, 0L) * band;
    }

    /**
     * The priority of a workload of {@code workloadClass} whose in-band position is {@code unit} ∈ [0, 1] (clamped;
     * NaN counts as 0): {@code base + class + round(unit · (band − 1))}.
     */
    public int priority(String workloadClass, double unit) {
        double u = Double.isNaN(unit) ? 0.0 : Math.max(0.0, Math.min(1.0, unit));
        long points = classPoints(workloadClass) + Math.round(u * (band - 1));
        long p = config.priorityBase() + points;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p));
    }

    /** The in-band points of {@code priority} (priority − base − class). */
    public long inBand(String workloadClass, int priority) {
        return priority - config.priorityBase() - classPoints(workloadClass);
    }
}
