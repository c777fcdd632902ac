package io.wdrf.engine;

import io.wdrf.api.PriorityTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerSettingsBuilderTest {

    @Test
    void builderStartsFromTheDefaultsAndSetsOnlyWhatIsNamed() {
        ReconcilerSettings s = ReconcilerSettings.builder().dryRun(true).minDelta(7).build();
        ReconcilerSettings d = ReconcilerSettings.defaults();
        assertThat(s).isEqualTo(new ReconcilerSettings(d.resyncInterval(), d.debounce(), true, d.target(),
                d.maxWritesPerCycle(), d.maxOverrideRewrites(), d.overrideWindow(), d.recordExplanation(),
                d.emitEvents(), 7));
        assertThat(s.toBuilder().build()).isEqualTo(s);
        ReconcilerSettings all = ReconcilerSettings.builder().resyncInterval(Duration.ofSeconds(5))
                .debounce(Duration.ofMillis(10)).target(PriorityTarget.PRIORITY_BOOST).maxWritesPerCycle(3)
                .maxOverrideRewrites(1).overrideWindow(Duration.ofMinutes(2)).recordExplanation(false)
                .emitEvents(false).build();
        assertThat(all).isEqualTo(new ReconcilerSettings(Duration.ofSeconds(5), Duration.ofMillis(10), false,
                PriorityTarget.PRIORITY_BOOST, 3, 1, Duration.ofMinutes(2), false, false, d.minDelta()));
    }

    @Test
    void builderValidatesLikeTheConstructor() {
        assertThatThrownBy(() -> ReconcilerSettings.builder().maxWritesPerCycle(0).build())
                .hasMessageStartingWith("write.max-per-cycle");
        assertThatThrownBy(() -> ReconcilerSettings.builder().minDelta(-1).build()).hasMessageStartingWith("write.min-delta");
    }
}
