package io.wdrf.backend.common;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket: {@code burst} requests at once, then {@code qps} per second on average.
 *
 * <p>Time comes from the injected {@link Clock} and waiting goes through the injected {@link Sleeper}, so tests
 * run without real waiting. Thread-safe (callers are serialised).
 */
public final class TokenBucketRateLimiter {

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
    private final Clock clock;
    private final Sleeper sleeper;
    private double tokens;
    private long lastNanos;

    /** A limiter that starts full. */
    public TokenBucketRateLimiter(double qps, int burst, Clock clock, Sleeper sleeper) {
        if (!(qps > 0) || Double.isInfinite(qps)) {
            throw new IllegalArgumentException("qps must be positive and finite, got " + qps);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = burst;
        this.lastNanos = nanos();
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private void refill() {
        long now = nanos();
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * qps / 1e9);
            lastNanos = now;
        }
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
