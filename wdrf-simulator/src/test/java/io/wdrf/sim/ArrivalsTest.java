package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The synthetic generator's arrival processes: the diurnal curve, and arrivals per hour of day that follow it. */
class ArrivalsTest {

    @Test
    void curveHasMeanOnePeakAtTwoPmTroughAtTwoAm() {
        assertThat(Arrivals.intensity(14)).isCloseTo(1.6, within(1e-12));
        assertThat(Arrivals.intensity(2)).isCloseTo(0.4, within(1e-12));
        assertThat(Arrivals.intensity(14 + 24)).isCloseTo(1.6, within(1e-12));
        double sum = 0;
        double mean = 0;
        for (int h = 0; h < 24; h++) {
            sum += Arrivals.hourFraction(h);
            for (int k = 0; k < 100; k++) {
                mean += Arrivals.intensity(h + (k + 0.5) / 100) / 2400;
            }
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(mean).isCloseTo(1.0, within(1e-6));
        // closed form vs the midpoint rule
        double f13 = 0;
        for (int k = 0; k < 1000; k++) {
            f13 += Arrivals.intensity(13 + (k + 0.5) / 1000) / 1000 / 24;
        }
        assertThat(Arrivals.hourFraction(13)).isCloseTo(f13, within(1e-8));
        assertThat(Arrivals.parse("diurnal")).isEqualTo(Arrivals.DIURNAL);
        assertThatThrownBy(() -> Arrivals.parse("weekly")).hasMessageContaining("'weekly' is not one of poisson, diurnal");
    }

    @Test
    void diurnalArrivalsPerHourFollowTheCurve() {
        int n = 30_000;
        int[] counts = perHour(Traces.synthetic(7, n, 4, 64, 0.9, Arrivals.DIURNAL));
        for (int h = 0; h < 24; h++) {
            double expected = n * Arrivals.hourFraction(h);
            // 5 standard deviations of a Poisson count plus 2 % for the last, partial day (the trace spans ~60 days)
            assertThat((double) counts[h]).as("arrivals in hour %d", h)
                    .isCloseTo(expected, within(5 * Math.sqrt(expected) + 0.02 * expected));
        }
        // the shape, not only the bounds: the afternoon peak is about 4x the night trough
        assertThat(counts[13] + counts[14]).isGreaterThan(3 * (counts[1] + counts[2]));
        assertThat(Traces.synthetic(7, n, 4, 64, 0.9, Arrivals.DIURNAL).jobs())
                .isEqualTo(Traces.synthetic(7, n, 4, 64, 0.9, Arrivals.DIURNAL).jobs());
    }

    @Test
    void poissonArrivalsAreFlatAndUnchanged() {
        int n = 30_000;
        Trace t = Traces.synthetic(7, n, 4, 64, 0.9, Arrivals.POISSON);
        int[] counts = perHour(t);
        for (int h = 0; h < 24; h++) {
            double expected = n / 24.0;
            assertThat((double) counts[h]).isCloseTo(expected, within(5 * Math.sqrt(expected) + 0.02 * expected));
        }
        assertThat(Traces.synthetic(7, 500, 4, 64, 0.9).jobs()).isEqualTo(
                Traces.synthetic(7, 500, 4, 64, 0.9, Arrivals.POISSON).jobs());
        assertThat(Traces.synthetic(7, 10, 4, 64, 0.9, Arrivals.DIURNAL).cluster().description()).contains("diurnal");
    }

    private static int[] perHour(Trace t) {
        int[] counts = new int[24];
        List<SimJob> jobs = t.jobs();
        for (SimJob j : jobs) {
            counts[(int) ((j.arrivalMillis() / 3_600_000L) % 24)]++;
        }
        return counts;
    }
}
