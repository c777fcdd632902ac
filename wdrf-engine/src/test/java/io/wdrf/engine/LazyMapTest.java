package io.wdrf.engine;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LazyMapTest {

    @Test
    void computedOnFirstReadOnlyAndEqualToItsValue() {
        AtomicInteger calls = new AtomicInteger();
        LazyMap<String, Double> m = new LazyMap<>(() -> {
            calls.incrementAndGet();
            return Map.of("a", 0.5, "b", 0.25);
        });
        assertThat(calls).hasValue(0);
        assertThat(m).isEqualTo(Map.of("a", 0.5, "b", 0.25));
        assertThat(m.get("a")).isEqualTo(0.5);
        assertThat(m.containsKey("c")).isFalse();
        assertThat(m.size()).isEqualTo(2);
        assertThat(Map.of("a", 0.5, "b", 0.25)).isEqualTo(m);
        assertThat(m.hashCode()).isEqualTo(Map.of("a", 0.5, "b", 0.25).hashCode());
        assertThat(calls).hasValue(1);
    }
}
