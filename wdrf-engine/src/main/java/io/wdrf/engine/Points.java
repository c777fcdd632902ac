package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;

import java.time.Duration;

/**
 * The score formulas shared by the built-in policies, and their mapping to int32.
 *
 * <pre>
 *   s_t            = max_r (ρ_r · U_t,r / C_r)               unweighted dominant share (with earlier pending work added)
 *   L              = s_t · Σ_active w / w_t                  entitlement-relative level: 1.0 = exactly at t's weighted
 *                                                          entitlement w_t / Σ_active w among the tenants with work
 *   R              = fairnessResolution                    (default 10,000)
 *   fairness(L)    = ⌊R / (1 + L)⌋ₑ                         strictly decreasing in the level L before flooring
 *   ageFactor(w)   = floor(min(w, maxAge) / maxAge · steps) / steps
 *   aging(w)       = round(agingCoefficient · R · ageFactor(w))
 *   band           = R · (1 + agingCoefficient) + 1         &gt; any aging + fairness sum
 *   class(c)       = priorityWeights[c] · band               distinct weights ⇒ disjoint class bands
 *   priority       = priorityBase + class + aging + fairness (int32; validated not to overflow)
 * </pre>
 *
 * <p>{@code ⌊x⌋ₑ} is an exact floor: x is computed in floating point, so a value whose exact result is the integer k
 * (30 of 90 CPU: L = 1/3, R / (4/3) = 7500) may come out as 7499.999…; when x is within a relative
 * {@value #EXACT_TOLERANCE} of an integer, that integer is taken. Exact inputs therefore give exact points, scaling
 * every quantity by the same factor does not change them (the level is a ratio of quantities, so scaling moves it
 * by a few ulps at most), and two workloads at the same level get the same points.
 */
final class Points {

    private final PolicyConfig config;
    private final long resolution;
    private final long band;

    Points(PolicyConfig config) {
        this.config = config;
        this.resolution = config.fairnessResolution();
        this.band = (long) Math.ceil(resolution * (1.0 + config.agingCoefficient())) + 1;
        long maxWeight = config.priorityWeights().values().stream().mapToLong(Long::longValue).max().orElse(0);
        long max = config.priorityBase() + (maxWeight + 1) * band;
        long min = config.priorityBase();
        if (max > Integer.MAX_VALUE || min < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("priorityWeights: the largest class weight " + maxWeight + " × band " + band
                    + " + priorityBase " + config.priorityBase() + " does not fit in int32; lower the weights, "
                    + "fairnessResolution or agingCoefficient");
        }
    }

    /** Relative distance to an integer below which a computed value is taken to be that integer. */
    static final double EXACT_TOLERANCE = 1e-9;

    long fairness(double level) {
        return exactFloor(resolution / (1.0 + Math.max(0.0, level)));
    }

    /** ⌊x⌋, except that a value within a relative {@link #EXACT_TOLERANCE} of an integer is that integer. */
    static long exactFloor(double x) {
        double k = Math.rint(x);
        if (Math.abs(x - k) <= EXACT_TOLERANCE * Math.max(1.0, Math.abs(x))) {
            return (long) k;
        }
        return (long) Math.floor(x);
    }

    double ageFactor(Duration waited) {
        long max = config.maxAgingTime().toMillis();
        long w = Math.min(Math.max(0, waited.toMillis()), max);
        long step = (long) Math.floor((double) w / max * config.agingSteps());
        return (double) step / config.agingSteps();
    }

    long aging(double ageFactor) {
        return Math.round(config.agingCoefficient() * resolution * ageFactor);
    }

    long classPoints(String workloadClass) {
        return config.priorityWeights().getOrDefault(workloadClass, 0L) * band;
    }

    /** Width of a class band: {@code ceil(R · (1 + agingCoefficient)) + 1}. */
    long band() {
        return band;
    }

    long resolution() {
        return resolution;
    }

    int toPriority(long score) {
        long p = config.priorityBase() + score;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p));
    }
}
