package io.wdrf.standalone;

import com.typesafe.config.Config;
import io.wdrf.engine.ReservationSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code wdrf.starvation.reserve}: {@code auto} (default), {@code on}, {@code off}, typed once. */
class StarvationConfigTest {

    private static ReservationSettings reservations(Map<String, Object> cli) {
        Config c = ConfigLoader.load(null, Map.of(), cli, null, StarvationConfigTest.class.getClassLoader());
        return ConfigLoader.settings(c, Map.of()).reservations();
    }

    @Test
    void theDefaultIsAutoWithTheDocumentedBounds() {
        ReservationSettings r = reservations(Map.of());
        assertThat(r.mode()).isEqualTo(ReservationSettings.Mode.AUTO);
        assertThat(r.enabled()).isTrue();
        assertThat(r.timeout()).isEqualTo(Duration.ofHours(24));
        assertThat(r.maxGated()).isEqualTo(100);
    }

    @Test
    void eachSpellingMapsToItsMode() {
        assertThat(reservations(Map.of("wdrf.starvation.reserve", "on")).mode()).isEqualTo(ReservationSettings.Mode.ON);
        assertThat(reservations(Map.of("wdrf.starvation.reserve", " OFF ")).mode()).isEqualTo(ReservationSettings.Mode.OFF);
        assertThat(reservations(Map.of("wdrf.starvation.reserve", "off")).enabled()).isFalse();
    }

    @Test
    void anythingElseNamesTheKey() {
        assertThatThrownBy(() -> reservations(Map.of("wdrf.starvation.reserve", "sometimes")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("wdrf.starvation.reserve");
                    assertThat(e.reason()).contains("not one of auto, on, off");
                });
    }
}
