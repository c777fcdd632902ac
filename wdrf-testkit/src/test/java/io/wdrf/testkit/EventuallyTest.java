package io.wdrf.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventuallyTest {

    @Test
    void returnsTheFirstAcceptedValue() {
        AtomicInteger n = new AtomicInteger();
        int v = Eventually.await(Duration.ofSeconds(5), "n >= 3", n::incrementAndGet, x -> x >= 3);
        assertThat(v).isEqualTo(3);
    }

    @Test
    void exceptionsCountAsNotYet() {
        AtomicInteger n = new AtomicInteger();
        Eventually.await(Duration.ofSeconds(5), "third try", () -> {
            if (n.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return true;
        });
        assertThat(n.get()).isEqualTo(3);
    }

    @Test
    void timeoutNamesTheConditionAndTheLastValueOrError() {
        assertThatThrownBy(() -> Eventually.await(Duration.ofMillis(50), "the impossible", () -> 7, x -> x > 10))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the impossible").hasMessageContaining("last value: 7");
        assertThatThrownBy(() -> Eventually.await(Duration.ofMillis(50), "a throwing condition", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("boom").hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void untilPassesRetriesAFailingAssertionAndRethrowsTheLastOne() {
        AtomicInteger n = new AtomicInteger();
        Eventually.untilPasses(Duration.ofSeconds(5), () -> assertThat(n.incrementAndGet()).isGreaterThanOrEqualTo(3));
        assertThat(n.get()).isEqualTo(3);
        AtomicInteger m = new AtomicInteger();
        assertThatThrownBy(() -> Eventually.untilPasses(Duration.ofMillis(50),
                () -> assertThat(m.incrementAndGet()).as("never").isNegative()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("never");
        assertThat(m.get()).isGreaterThan(1);
        assertThatThrownBy(() -> Eventually.untilPasses(Duration.ofSeconds(5), () -> {
            throw new IllegalStateException("not an assertion");
        })).isInstanceOf(IllegalStateException.class);
    }
}
