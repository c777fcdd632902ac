package io.wdrf.backend.common;

import java.time.Duration;
import java.util.Random;

/**
 * When and how long to wait before retrying a request: exponential backoff with jitter, honouring the
 * server's {@code Retry-After}.
 *
 * <p>Retryable: HTTP 409 (conflict), 429 (too many requests), every 5xx, and I/O failures (status 0). The delay
 * for retry {@code n} (1-based) is drawn uniformly from {@code [b/2, b]} with {@code b = min(max, initial·2^(n-1))};
 * a {@code Retry-After} larger than that wins, capped at {@code max}. The jitter comes from a seeded
 * {@link Random}, so a run is reproducible. Thread-safe.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration initial;
    private final Duration max;
    private final Random random;

    /**
     * @param maxAttempts attempts including the first (&ge; 1)
     * @param initial     base delay of the first retry
     * @param max         cap for any delay
     * @param seed        jitter seed
     */
    public RetryPolicy(int maxAttempts, Duration initial, Duration max, long seed) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.initial = initial;
        this.max = max;
        this.random = new Random(seed);
    }

    /** The policy of a backend configuration. */
    public static RetryPolicy of(BackendConfig config, long seed) {
        return new RetryPolicy(config.maxAttempts(), config.initialBackoff(), config.maxBackoff(), seed);
    }

    /** Attempts including the first. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** True for statuses worth retrying: 409, 429, 5xx, and 0 (I/O error, no response). */
    public static boolean isRetryable(int status) {
        return status == 0 || status == 409 || status == 429 || (status >= 500 && status <= 599);
    }

    /** True when another attempt may follow attempt number {@code attempt} (1-based) that failed with {@code status}. */
    public boolean shouldRetry(int attempt, int status) {
        return attempt < maxAttempts && isRetryable(status);
    }

    /**
     * The wait before retry number {@code retry} (1-based).
     *
     * @param retryAfter the server's Retry-After, or null
     */
    public Duration delay(int retry, Duration retryAfter) {
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(retry - 1, 0), 40);
        long base = initialNanos > (Long.MAX_VALUE >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        long jittered = base / 2 + (long) (u * (base - base / 2));
        if (retryAfter != null && !retryAfter.isNegative()) {
            jittered = Math.max(jittered, Math.min(maxNanos, retryAfter.toNanos()));
        }
        return Duration.ofNanos(jittered);
    }

    /**
     * Parses a {@code Retry-After} header in delta-seconds form; null for absent or unparsable values
     * (HTTP-date values are ignored: the API server sends seconds).
     */
    public static Duration parseRetryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long s = Long.parseLong(header.trim());
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
