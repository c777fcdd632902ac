package io.wdrf.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of {@link PreemptionMode#FAIR} (config {@code wdrf.preemption-fair { … }}).
 *
 * <p>Promises: validated at construction (non-negative margin, positive durations, non-negative counts).
 *
 * @param margin       S's level must be below T's level without the victim by at least this much (≥ 0; default 0.5,
 *                     i.e. half an entitlement)
 * @param maxRuntime   a workload that has held quota for this long is no longer preemptible unless checkpointable
 *                     (default 1 h)
 * @param maxEvictions at most this many WDRF-allowed evictions per workload (default 1)
 * @param budget       at most this many WDRF-allowed evictions per ClusterQueue and {@code window} (default 10)
 * @param window       the budget window (default 1 h)
 */
public record FairPreemption(double margin, Duration maxRuntime, int maxEvictions, int budget, Duration window) {

    /** Annotation or label {@code "true"} that marks a workload as checkpointable (preemptible whatever its runtime). */
    public static final String CHECKPOINTABLE = "wdrf.x-k8s.io/checkpointable";

    public FairPreemption {
        Objects.requireNonNull(maxRuntime, "maxRuntime");
        Objects.requireNonNull(window, "window");
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("preemption-fair.margin: " + margin + " must be a finite number >= 0");
        }
        if (maxRuntime.isNegative()) {
            throw new IllegalArgumentException("preemption-fair.max-runtime: " + maxRuntime + " must not be negative");
        }
        if (maxEvictions < 0) {
            throw new IllegalArgumentException("preemption-fair.max-evictions: " + maxEvictions + " must not be negative");
        }
        if (budget < 0) {
            throw new IllegalArgumentException("preemption-fair.budget: " + budget + " must not be negative");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("preemption-fair.window: " + window + " must be positive");
        }
    }

    /** Margin 0.5, max runtime 1 h, one eviction per workload, 10 evictions per ClusterQueue and hour. */
    public static FairPreemption defaults() {
        return new FairPreemption(0.5, Duration.ofHours(1), 1, 10, Duration.ofHours(1));
    }
}
