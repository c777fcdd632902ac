package io.wdrf.engine;

import io.wdrf.api.SettingException;
import io.wdrf.api.PriorityTarget;

import java.time.Duration;
import java.util.Objects;

/**
 * How the reconcile loop runs and writes.
 *
 * @param resyncInterval      periodic full cycle ({@code LOOP_INTERVAL}, default 30 s)
 * @param debounce            delay that coalesces bursts of change events into one cycle (default 2 s)
 * @param dryRun              compute and report, write nothing
 * @param target              {@code spec.priority} or the priority-boost annotation
 * @param maxWritesPerCycle   most writes per cycle; the rest wait for the next cycle (most important go first)
 * @param maxOverrideRewrites how often WDRF re-applies a priority someone else overwrote, per workload and window,
 *                            before it stops fighting (default 3)
 * @param overrideWindow      the window of that count (default 1 h)
 * @param recordExplanation   write the explanation annotation with each priority
 * @param emitEvents          emit a Kubernetes Event when a priority changes
 * @param minDelta            hysteresis: a workload that already has a priority is rewritten only when the target
 *                            differs by at least this much (0 = write every change); bounds API writes when
 *                            shares move a little at every admission
 * @param writeOrdering       which writes are sent and in what order (default {@link WriteOrdering#PLAN})
 */
public record ReconcilerSettings(Duration resyncInterval, Duration debounce, boolean dryRun, PriorityTarget target,
                                 int maxWritesPerCycle, int maxOverrideRewrites, Duration overrideWindow,
                                 boolean recordExplanation, boolean emitEvents, int minDelta,
                                 WriteOrdering writeOrdering) {

    /** Settings with {@link WriteOrdering#PLAN}. */
    public ReconcilerSettings(Duration resyncInterval, Duration debounce, boolean dryRun, PriorityTarget target,
                              int maxWritesPerCycle, int maxOverrideRewrites, Duration overrideWindow,
                              boolean recordExplanation, boolean emitEvents, int minDelta) {
        this(resyncInterval, debounce, dryRun, target, maxWritesPerCycle, maxOverrideRewrites, overrideWindow,
                recordExplanation, emitEvents, minDelta, WriteOrdering.PLAN);
    }

    /** Settings without hysteresis ({@code minDelta = 0}). */
    public ReconcilerSettings(Duration resyncInterval, Duration debounce, boolean dryRun, PriorityTarget target,
                              int maxWritesPerCycle, int maxOverrideRewrites, Duration overrideWindow,
                              boolean recordExplanation, boolean emitEvents) {
        this(resyncInterval, debounce, dryRun, target, maxWritesPerCycle, maxOverrideRewrites, overrideWindow,
                recordExplanation, emitEvents, 0);
    }

    public ReconcilerSettings {
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(overrideWindow, "overrideWindow");
        Objects.requireNonNull(writeOrdering, "writeOrdering");
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new SettingException("loop-interval", "" + resyncInterval + " must be positive");
        }
        if (debounce.isNegative()) {
            throw new SettingException("debounce", "" + debounce + " must not be negative");
        }
        if (maxWritesPerCycle < 1) {
            throw new SettingException("write.max-per-cycle", "" + maxWritesPerCycle + " must be at least 1");
        }
        if (minDelta < 0) {
            throw new SettingException("write.min-delta", "" + minDelta + " must not be negative");
        }
        if (maxOverrideRewrites < 0) {
            throw new SettingException("max-override-rewrites", "" + maxOverrideRewrites + " must not be negative");
        }
    }

    /**
     * 30 s resync, 2 s debounce, writes {@code spec.priority}, 1000 writes per cycle, 3 re-applies per hour, and a
     * hysteresis of 100 points (1 % of the default fairness range: on a Philly replay it cut writes 8.6× with the
     * same waits and fairness).
     */
    public static ReconcilerSettings defaults() {
        return new ReconcilerSettings(Duration.ofSeconds(30), Duration.ofSeconds(2), false, PriorityTarget.SPEC_PRIORITY,
                1000, 3, Duration.ofHours(1), true, true, 100);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder; {@link #build()} validates (the messages name the setting, as the constructor's do). */
    public static final class Builder {
        private Duration resyncInterval;
        private Duration debounce;
        private boolean dryRun;
        private PriorityTarget target;
        private int maxWritesPerCycle;
        private int maxOverrideRewrites;
        private Duration overrideWindow;
        private boolean recordExplanation;
        private boolean emitEvents;
        private int minDelta;
        private WriteOrdering writeOrdering;

        private Builder(ReconcilerSettings s) {
            resyncInterval = s.resyncInterval;
            debounce = s.debounce;
            dryRun = s.dryRun;
            target = s.target;
            maxWritesPerCycle = s.maxWritesPerCycle;
            maxOverrideRewrites = s.maxOverrideRewrites;
            overrideWindow = s.overrideWindow;
            recordExplanation = s.recordExplanation;
            emitEvents = s.emitEvents;
            minDelta = s.minDelta;
            writeOrdering = s.writeOrdering;
        }

        public Builder resyncInterval(Duration v) { resyncInterval = v; return this; }
        public Builder debounce(Duration v) { debounce = v; return this; }
        public Builder dryRun(boolean v) { dryRun = v; return this; }
        public Builder target(PriorityTarget v) { target = v; return this; }
        public Builder maxWritesPerCycle(int v) { maxWritesPerCycle = v; return this; }
        public Builder maxOverrideRewrites(int v) { maxOverrideRewrites = v; return this; }
        public Builder overrideWindow(Duration v) { overrideWindow = v; return this; }
        public Builder recordExplanation(boolean v) { recordExplanation = v; return this; }
        public Builder emitEvents(boolean v) { emitEvents = v; return this; }
        public Builder minDelta(int v) { minDelta = v; return this; }
        public Builder writeOrdering(WriteOrdering v) { writeOrdering = v; return this; }

        /** @throws IllegalArgumentException naming the setting when a value is out of range */
        public ReconcilerSettings build() {
            return new ReconcilerSettings(resyncInterval, debounce, dryRun, target, maxWritesPerCycle,
                    maxOverrideRewrites, overrideWindow, recordExplanation, emitEvents, minDelta, writeOrdering);
        }
    }

    /** A copy with dry-run set. */
    public ReconcilerSettings withDryRun(boolean v) {
        return new ReconcilerSettings(resyncInterval, debounce, v, target, maxWritesPerCycle, maxOverrideRewrites,
                overrideWindow, recordExplanation, emitEvents, minDelta, writeOrdering);
    }

    /** A copy with another write target. */
    public ReconcilerSettings withTarget(PriorityTarget v) {
        return new ReconcilerSettings(resyncInterval, debounce, dryRun, v, maxWritesPerCycle, maxOverrideRewrites,
                overrideWindow, recordExplanation, emitEvents, minDelta, writeOrdering);
    }

    /** A copy with other intervals. */
    public ReconcilerSettings withIntervals(Duration resync, Duration debounceDelay) {
        return new ReconcilerSettings(resync, debounceDelay, dryRun, target, maxWritesPerCycle, maxOverrideRewrites,
                overrideWindow, recordExplanation, emitEvents, minDelta, writeOrdering);
    }

    /** A copy with another write hysteresis. */
    public ReconcilerSettings withMinDelta(int v) {
        return new ReconcilerSettings(resyncInterval, debounce, dryRun, target, maxWritesPerCycle, maxOverrideRewrites,
                overrideWindow, recordExplanation, emitEvents, v, writeOrdering);
    }

    /** A copy with another per-cycle write limit. */
    public ReconcilerSettings withMaxWritesPerCycle(int v) {
        return new ReconcilerSettings(resyncInterval, debounce, dryRun, target, v, maxOverrideRewrites,
                overrideWindow, recordExplanation, emitEvents, minDelta, writeOrdering);
    }
}
