package io.wdrf.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that only moves when told to, for tests, demos and simulations.
 *
 * <p>Promises: thread-safe; {@link #instant()} returns the last value set, unchanged until {@link #advance(Duration)}
 * or {@link #set(Instant)} is called; {@link #withZone(ZoneId)} returns a clock that shares this clock's time (moving
 * one moves both) and differs only in zone. The default zone is UTC.
 */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock in UTC standing at {@code start}. */
    public ManualClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** A clock in UTC standing at an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
    public static ManualClock at(String isoInstant) {
        return new ManualClock(Instant.parse(isoInstant));
    }

    /**
     * Moves the clock forward.
     *
     * @return the new instant
     * @throws IllegalArgumentException when {@code delta} is negative (use {@link #set(Instant)} to go back)
     */
    public Instant advance(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta.isNegative()) {
            throw new IllegalArgumentException("ManualClock.advance needs a non-negative duration, got " + delta);
        }
        return now.updateAndGet(t -> t.plus(delta));
    }

    /** Sets the clock to {@code instant} (may go backwards, e.g. to test clock skew). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new ManualClock(now, zone);
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + ", " + zone + "]";
    }
}
