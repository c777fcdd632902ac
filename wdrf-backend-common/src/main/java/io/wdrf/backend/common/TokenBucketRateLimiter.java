package io.wdrf.backend.common;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket: {@code burst} requests at once, then {@code qps} per second on average.
 *
 * <p>Elapsed time comes from a monotonic {@link Ticker} ({@link System#nanoTime()} for the system clock), never
 * from wall-clock differences, so a wall clock stepping back (NTP, a VM resume) cannot stop the refill; a test
 * ticker that does step back is read as no time passing, and the refill continues from the new reading. Waiting
 * goes through the injected {@link Sleeper}, so tests run without real waiting. Thread-safe (callers are
 * serialised).
 */
public final class TokenBucketRateLimiter {

    /** A monotonic source of nanoseconds (only differences between readings mean anything). */
    @FunctionalInterface
    public interface Ticker {
        /** The current reading, in nanoseconds. */
        long read();

        /** {@link System#nanoTime()}. */
        static Ticker system() {
            return System::nanoTime;
        }

        /**
         * A ticker for {@code clock}: {@link #system()} when it is a system clock (its wall time may step back),
         * else the clock's instant in nanoseconds (a test clock that only moves when told to).
         */
        static Ticker of(Clock clock) {
            if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
                return system();
            }
            return () -> {
                java.time.Instant i = clock.instant();
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            };
        }
    }

    /** How to wait; the default is {@link Thread#sleep(long, int)}. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits for {@code d}. */
        void sleep(Duration d) throws InterruptedException;

        /** Real sleeping. */
        static Sleeper system() {
            return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    }

    private final double qps;
    private final int burst;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private double tokens;
    private long lastNanos;

    /** A limiter that starts full, measuring time with {@link Ticker#of(Clock) the clock's ticker}. */
    public TokenBucketRateLimiter(double qps, int burst, Clock clock, Sleeper sleeper) {
        this(qps, burst, Ticker.of(clock), sleeper);
    }

    /** A limiter that starts full, measuring time with {@code ticker}. */
    public TokenBucketRateLimiter(double qps, int burst, Ticker ticker, Sleeper sleeper) {
        if (!(qps > 0) || Double.isInfinite(qps)) {
            throw new IllegalArgumentException("qps must be positive and finite, got " + qps);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        this.sleeper = java.util.Objects.requireNonNull(sleeper, "sleeper");
        this.tokens = burst;
        this.lastNanos = nanos();
    }

    private long nanos() {
        return ticker.read();
    }

    private void refill() {
        long now = nanos();
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * qps / 1e9);
        }
        lastNanos = now; // a reading that went back counts as no time, and the refill goes on from it
    }

    /** Takes a token if one is available now. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /**
     * Takes a token, waiting until one is available.
     *
     * @return the total time waited
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized Duration acquire() throws InterruptedException {
        Duration waited = Duration.ZERO;
        while (true) {
            refill();
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return waited;
            }
            long waitNanos = (long) Math.ceil((1.0 - tokens) * 1e9 / qps);
            Duration d = Duration.ofNanos(Math.max(1, waitNanos));
            sleeper.sleep(d);
            waited = waited.plus(d);
        }
    }

    /** Tokens available now (for tests and metrics). */
    public synchronized double available() {
        refill();
        return tokens;
    }
}
