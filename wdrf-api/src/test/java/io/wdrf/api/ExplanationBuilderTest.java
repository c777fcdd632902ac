package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExplanationBuilderTest {

    @Test
    void unsetFactorsAreZeroAndSetOnesLandInTheirFields() {
        Explanation e = Explanation.builder("sjf").tenant("team-a").score(42).factor("size", 3).note("n1").build();
        assertThat(e).isEqualTo(new Explanation("sjf", "team-a", "", 0, 0, "", 0, Duration.ZERO, 0, 0, 0, 0, 42,
                Map.of("size", 3.0), List.of("n1")));
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        Explanation e = new Explanation("wdrf", "t", "urgent", 2, 0.25, "cpu", 0.5, Duration.ofSeconds(9), 0.1, 1, 2, 3,
                6, Map.of("x", 1.0), List.of("capped"));
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(e.toBuilder().note("more").build().notes()).containsExactly("capped", "more");
    }
}
