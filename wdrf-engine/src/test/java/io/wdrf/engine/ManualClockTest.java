package io.wdrf.engine;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManualClockTest {

    @Test
    void standsStillUntilMoved() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(clock.instant());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

        assertThat(clock.advance(Duration.ofMinutes(90))).isEqualTo(Instant.parse("2026-01-01T01:30:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-01-01T01:30:00Z").toEpochMilli());

        clock.set(Instant.parse("2025-12-31T23:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
    }

    @Test
    void rejectsNegativeAdvance() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void zonedCopySharesTime() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofSeconds(5));
        assertThat(paris.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void concurrentAdvancesAreNotLost() throws InterruptedException {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:04Z"));
    }
}
