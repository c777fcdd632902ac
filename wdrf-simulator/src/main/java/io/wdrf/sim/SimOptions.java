package io.wdrf.sim;

import io.wdrf.api.ClusterQueueInfo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a replay runs.
 *
 * @param loopInterval       controller period ({@code LOOP_INTERVAL}); cycles only run while something is pending
 * @param agingCoefficient   {@code AGING_COEFFICIENT} for policies with aging ({@code wdrf-noaging} forces 0)
 * @param maxAging           {@code MAX_AGING_TIME}; also the starvation threshold of the metrics
 * @param withinClusterQueue ClusterQueue preemption: {@code Never} (default) or {@code LowerPriority}
 * @param maxWritesPerCycle  the reconciler's per-cycle write limit
 * @param seriesBuckets      number of time buckets of the plotted series (approximate)
 * @param preemption         the engine's {@code preemption} mode: {@code never}, {@code classes} (default), {@code fair}
 *                           or {@code allow} ({@code guard} = {@code never}, deprecated)
 * @param minDelta           the reconciler's write hysteresis ({@code write.min-delta}; 0 = write every change)
 * @param kueue              the simulated Kueue's topology and options ({@link KueueSetup})
 * @param reservations       starvation reservations on ({@code --reserve}; the engine's
 *                           {@link io.wdrf.engine.ReservationSettings#defaults()}: 24 h timeout, 100 gated)
 * @param writeOrdering      which writes the reconciler sends and in what order ({@code --write-order}, the
 *                           controller's {@code write.order}; default {@code plan})
 * @param fastForward        whether controller cycles that cannot influence an admission are collapsed
 *                           ({@code --fast-forward}; default {@link FastForward#AUTO}: only where provably exact)
 */
public record SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                         int maxWritesPerCycle, int seriesBuckets, String preemption, int minDelta, KueueSetup kueue,
                         boolean reservations, io.wdrf.engine.WriteOrdering writeOrdering, FastForward fastForward) {

    /** Options with the default fast-forward ({@link FastForward#AUTO}). */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets, String preemption, int minDelta, KueueSetup kueue,
                      boolean reservations, io.wdrf.engine.WriteOrdering writeOrdering) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, preemption,
                minDelta, kueue, reservations, writeOrdering, FastForward.AUTO);
    }

    /** These options with {@code fastForward} instead. */
    public SimOptions withFastForward(FastForward v) {
        return new SimOptions(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle,
                seriesBuckets, preemption, minDelta, kueue, reservations, writeOrdering, v);
    }

    /** Options with the default write order ({@code plan}). */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets, String preemption, int minDelta, KueueSetup kueue,
                      boolean reservations) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, preemption,
                minDelta, kueue, reservations, io.wdrf.engine.WriteOrdering.PLAN);
    }

    /** Options without starvation reservations. */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets, String preemption, int minDelta, KueueSetup kueue) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, preemption,
                minDelta, kueue, false);
    }

    /** Options with the default Kueue setup (one shared ClusterQueue, classical scheduler). */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets, String preemption, int minDelta) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, preemption,
                minDelta, KueueSetup.defaults());
    }

    /** Options without write hysteresis. */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets, String preemption) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, preemption, 0);
    }

    /** Options with the default {@code classes} preemption mode. */
    public SimOptions(Duration loopInterval, double agingCoefficient, Duration maxAging, String withinClusterQueue,
                      int maxWritesPerCycle, int seriesBuckets) {
        this(loopInterval, agingCoefficient, maxAging, withinClusterQueue, maxWritesPerCycle, seriesBuckets, "classes");
    }

    public SimOptions {
        Objects.requireNonNull(loopInterval, "loopInterval");
        Objects.requireNonNull(kueue, "kueue");
        Objects.requireNonNull(writeOrdering, "writeOrdering");
        Objects.requireNonNull(fastForward, "fastForward");
        Objects.requireNonNull(maxAging, "maxAging");
        if (loopInterval.isNegative() || loopInterval.isZero()) {
            throw new IllegalArgumentException("--loop-interval: " + loopInterval + " must be positive");
        }
        if (maxAging.isNegative() || maxAging.isZero()) {
            throw new IllegalArgumentException("--max-aging: " + maxAging + " must be positive");
        }
        if (!(agingCoefficient >= 0) || agingCoefficient > 1000) {
            throw new IllegalArgumentException("--aging-coefficient: " + agingCoefficient + " must be in [0, 1000]");
        }
        if (!List.of(ClusterQueueInfo.NEVER, "LowerPriority", "LowerOrNewerEqualPriority").contains(withinClusterQueue)) {
            throw new IllegalArgumentException("--within-cluster-queue: '" + withinClusterQueue
                    + "' is not one of Never, LowerPriority, LowerOrNewerEqualPriority");
        }
        if (maxWritesPerCycle < 1) {
            throw new IllegalArgumentException("--max-writes: " + maxWritesPerCycle + " must be at least 1");
        }
        try {
            preemption = io.wdrf.api.PreemptionMode.parse(preemption).key();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
        if (minDelta < 0) {
            throw new IllegalArgumentException("--min-delta: " + minDelta + " must not be negative");
        }
        if (seriesBuckets < 10) {
            throw new IllegalArgumentException("seriesBuckets: " + seriesBuckets + " must be at least 10");
        }
    }

    /** 30 s loop, the engine's default aging coefficient, 24 h max aging, no preemption, 1000 writes per cycle, 240 buckets. */
    public static SimOptions defaults() {
        return new SimOptions(Duration.ofSeconds(30), io.wdrf.api.PolicyConfig.defaults().agingCoefficient(), Duration.ofHours(24),
                ClusterQueueInfo.NEVER, 1000, 240);
    }
}
