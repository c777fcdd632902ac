package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;

import java.time.Duration;

/**
 * The score formulas shared by the built-in policies, and their mapping to int32.
 *
 * <pre>
 *   R              = fairnessResolution                    (default 10,000)
 *   fairness(L)    = floor(R / (1 + L))                     strictly decreasing in the level L before flooring
 *   ageFactor(w)   = floor(min(w, maxAge) / maxAge · steps) / steps
 *   aging(w)       = round(agingCoefficient · R · ageFactor(w))
 *   band           = R · (1 + agingCoefficient) + 1         &gt; any aging + fairness sum
 *   class(c)       = priorityWeights[c] · band               distinct weights ⇒ disjoint class bands
 *   priority       = priorityBase + class + aging + fairness (int32; validated not to overflow)
 * </pre>
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

    long fairness(double level) {
        return (long) Math.floor(resolution / (1.0 + Math.max(0.0, level)));
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

    long resolution() {
        return resolution;
    }

    int toPriority(long score) {
        long p = config.priorityBase() + score;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p));
    }
}
