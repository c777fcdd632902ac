package io.wdrf.backend.common;

import io.wdrf.api.PriorityTarget;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitRetryConfigTest {

    @Test
    void tokenBucketAllowsBurstThenQps() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T00:00:00Z"));
        List<Duration> sleeps = new ArrayList<>();
        TokenBucketRateLimiter rl = new TokenBucketRateLimiter(10, 3, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
        for (int i = 0; i < 3; i++) {
            assertThat(rl.acquire()).isEqualTo(Duration.ZERO);
        }
        assertThat(rl.tryAcquire()).isFalse();
        Duration waited = rl.acquire();
        assertThat(waited).isEqualTo(Duration.ofMillis(100));
        // 20 more requests at 10 QPS take ~2 s of (fake) time
        Instant start = clock.instant();
        for (int i = 0; i < 20; i++) {
            rl.acquire();
        }
        assertThat(Duration.between(start, clock.instant()).toMillis()).isBetween(1990L, 2010L);
        clock.advance(Duration.ofSeconds(60));
        assertThat(rl.available()).as("bucket never exceeds burst").isEqualTo(3.0);
    }

    @Test
    void aWallClockSteppingBackDoesNotStopWrites() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T12:00:00Z"));
        TokenBucketRateLimiter rl = new TokenBucketRateLimiter(10, 2, clock, clock::advance);
        assertThat(rl.tryAcquire()).isTrue();
        assertThat(rl.tryAcquire()).isTrue();
        assertThat(rl.tryAcquire()).isFalse();
        clock.set(Instant.parse("2026-11-24T11:00:00Z")); // NTP steps the wall clock back an hour
        assertThat(rl.tryAcquire()).as("a step back is no time passing").isFalse();
        clock.advance(Duration.ofMillis(100));
        assertThat(rl.tryAcquire()).as("100 ms after the step back a token is there again").isTrue();
        // acquire() waits 100 ms of ticker time, not an hour
        assertThat(rl.acquire()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theSystemClockIsMeasuredOnTheMonotonicTicker() {
        TokenBucketRateLimiter.Ticker t = TokenBucketRateLimiter.Ticker.of(java.time.Clock.systemUTC());
        long before = System.nanoTime();
        long reading = t.read();
        long after = System.nanoTime();
        assertThat(reading).isBetween(before, after); // System.nanoTime, not wall-clock nanoseconds
        long[] fake = {5_000_000_000L};
        TokenBucketRateLimiter rl = new TokenBucketRateLimiter(1, 1, () -> fake[0], d -> fake[0] += d.toNanos());
        assertThat(rl.tryAcquire()).isTrue();
        fake[0] -= 3_000_000_000L; // a ticker reading that goes back
        assertThat(rl.tryAcquire()).isFalse();
        fake[0] += 1_000_000_000L;
        assertThat(rl.tryAcquire()).as("one second after the step back").isTrue();
    }

    @Test
    void tokenBucketValidation() {
        ManualClock c = new ManualClock(Instant.EPOCH);
        assertThatThrownBy(() -> new TokenBucketRateLimiter(0, 1, c, d -> { })).hasMessageContaining("qps");
        assertThatThrownBy(() -> new TokenBucketRateLimiter(1, 0, c, d -> { })).hasMessageContaining("burst");
    }

    @Test
    void retryDelaysGrowWithJitterAndCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2), 42);
        for (int retry = 1; retry <= 8; retry++) {
            long base = Math.min(2000, 100L << (retry - 1));
            for (int k = 0; k < 50; k++) {
                long ms = p.delay(retry, null).toMillis();
                assertThat(ms).isBetween(base / 2, base);
            }
        }
        RetryPolicy a = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), 9);
        RetryPolicy b = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), 9);
        for (int i = 1; i < 5; i++) {
            assertThat(a.delay(i, null)).isEqualTo(b.delay(i, null));
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(5), 1);
        assertThat(p.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.delay(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryPolicy.parseRetryAfter(" 7 ")).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
        assertThat(RetryPolicy.parseRetryAfter("-1")).isNull();
        assertThat(RetryPolicy.parseRetryAfter(null)).isNull();
    }

    @Test
    void retryableStatusesAndAttempts() {
        for (int s : new int[] {0, 409, 429, 500, 502, 503, 504}) {
            assertThat(RetryPolicy.isRetryable(s)).as("status %d", s).isTrue();
        }
        for (int s : new int[] {200, 400, 401, 403, 404, 410, 415, 422}) {
            assertThat(RetryPolicy.isRetryable(s)).as("status %d", s).isFalse();
        }
        RetryPolicy p = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 1);
        assertThat(p.shouldRetry(1, 500)).isTrue();
        assertThat(p.shouldRetry(2, 500)).isTrue();
        assertThat(p.shouldRetry(3, 500)).isFalse();
        assertThat(p.shouldRetry(1, 400)).isFalse();
    }

    @Test
    void backendConfigValidationAndVersionResolution() {
        BackendConfig d = BackendConfig.defaults();
        assertThat(d.fieldManager()).isEqualTo("wdrf");
        assertThat(d.target()).isEqualTo(PriorityTarget.SPEC_PRIORITY);
        assertThat(d.resolveKueueVersion(Set.of("v1beta1", "v1beta2"))).isEqualTo("v1beta2");
        assertThat(d.resolveKueueVersion(Set.of("v1beta1"))).isEqualTo("v1beta1");
        assertThat(d.resolveKueueVersion(Set.of())).isEqualTo("v1beta1");
        assertThat(d.withKueueApiVersion("v1beta1").resolveKueueVersion(Set.of("v1beta2"))).isEqualTo("v1beta1");
        assertThatThrownBy(() -> d.withKueueApiVersion("v2")).hasMessageContaining("'v2'");
        assertThatThrownBy(() -> d.withRateLimit(-1, 1)).hasMessageContaining("qps");
        assertThatThrownBy(() -> d.withRateLimit(1, 0)).hasMessageContaining("burst");
        assertThatThrownBy(() -> d.withRetries(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
        assertThat(d.withNamespaces(List.of("b", "a", "b")).namespaces()).containsExactly("a", "b");
    }
}
