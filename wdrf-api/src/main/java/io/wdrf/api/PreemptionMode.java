package io.wdrf.api;

import java.util.Locale;

/**
 * Which preemptions WDRF's priorities may cause in ClusterQueues that preempt by priority
 * ({@code withinClusterQueue: LowerPriority | LowerOrNewerEqualPriority}, cohort {@code reclaimWithinCohort} /
 * {@code borrowWithinCohort: LowerPriority}). Config key {@code wdrf.preemption}.
 *
 * <p>Promises: under every mode but {@link #ALLOW} the engine writes pending priorities (and, for {@link #CLASSES} and
 * {@link #FAIR}, "protection" priorities on admitted workloads) such that, once written, Kueue's own priority
 * preemption can pick as victims only the workloads the mode allows. Kueue's {@code Any} policies preempt regardless
 * of priority: no value WDRF writes changes what they do, so no mode restricts them.
 */
public enum PreemptionMode {
    /** No WDRF-induced preemption at all: pending priorities are capped below every admitted workload they could evict. */
    NEVER,
    /**
     * Default. A higher class (urgent, approved) may preempt lower classes, as the admin configured Kueue to; within a
     * class nothing WDRF writes causes a preemption: admitted workloads get the top priority of their class band and
     * pending ones stay strictly below it.
     */
    CLASSES,
    /**
     * {@link #CLASSES} plus DRF reclaim: an admitted workload of tenant T is preemptible by a pending workload of tenant
     * S of the same class only when S's level is below T's level without that workload by {@link FairPreemption#margin()},
     * the workload has run less than {@link FairPreemption#maxRuntime()} or is marked checkpointable, it was evicted
     * fewer than {@link FairPreemption#maxEvictions()} times, and its ClusterQueue has eviction budget left.
     */
    FAIR,
    /** Raw: WDRF's pending priorities drive Kueue's preemption unrestricted (for experiments). */
    ALLOW;

    /** The config spelling: {@code never}, {@code classes}, {@code fair}, {@code allow}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a config value, case-insensitively; {@code guard} is accepted as the deprecated name of {@link #NEVER}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PreemptionMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("guard")) {
            return NEVER;
        }
        for (PreemptionMode m : values()) {
            if (m.key().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("preemption: '" + value + "' is not one of never, classes, fair, allow"
                + " (guard = never, deprecated)");
    }
}
