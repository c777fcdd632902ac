package io.wdrf.learn;

/**
 * Reward presets of {@link WdrfEnv}. Both are computed from exact time integrals over the step (from one controller
 * cycle to the next); {@code n0} = pending + running jobs at the start of the step, {@code Δt} its length.
 */
public enum Reward {
    /**
     * SKRueue's weights: {@code 0.4·throughput + 0.3·utilisation − 0.2·wait − 0.1·failure} with throughput =
     * completions / n0, utilisation = mean GPU allocation, wait = mean pending jobs / n0, failure = preemptions /
     * running at the start (each clamped to [0, 1]).
     */
    SKRUEUE,
    /**
     * WDRF fairness: {@code −(Δ deficit area / H + Δ within-share wait area / (jobs · maxAging))}, H = the window's
     * arrival span; summed over an episode this is {@link Outcome#fairnessReward()} (up to the time before the
     * first cycle).
     */
    FAIRNESS;

    static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
