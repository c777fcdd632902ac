package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metric formulas against hand-computed values. */
class MetricsTest {

    @Test
    void jainIndex() {
        assertThat(Metrics.jain(new double[] {1, 1, 1, 1})).isEqualTo(1.0);
        assertThat(Metrics.jain(new double[] {1, 0, 0, 0})).isEqualTo(0.25);
        assertThat(Metrics.jain(new double[] {1, 2, 3})).isCloseTo(36.0 / 42.0, within(1e-15));
        assertThat(Metrics.jain(new double[] {0.5, 0})).isEqualTo(0.5);
        assertThat(Metrics.jain(new double[] {})).isEqualTo(1.0);
        assertThat(Metrics.jain(new double[] {0, 0})).isEqualTo(1.0);
    }

    @Test
    void jainIndexIsScaleInvariantAndBounded() {
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) {
            double[] x = new double[1 + rnd.nextInt(10)];
            for (int k = 0; k < x.length; k++) {
                x[k] = rnd.nextDouble();
            }
            double j = Metrics.jain(x);
            assertThat(j).isBetween(1.0 / x.length - 1e-12, 1.0 + 1e-12);
            double[] scaled = Arrays.stream(x).map(v -> v * 7.5).toArray();
            assertThat(Metrics.jain(scaled)).isCloseTo(j, within(1e-12));
        }
    }

    @Test
    void nearestRankPercentiles() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Metrics.percentile(x, 0)).isEqualTo(1);
        assertThat(Metrics.percentile(x, 10)).isEqualTo(1);
        assertThat(Metrics.percentile(x, 11)).isEqualTo(2);
        assertThat(Metrics.percentile(x, 50)).isEqualTo(5);
        assertThat(Metrics.percentile(x, 99)).isEqualTo(10);
        assertThat(Metrics.percentile(x, 100)).isEqualTo(10);
        assertThat(Metrics.percentile(new double[] {42}, 99)).isEqualTo(42);
        assertThat(Metrics.percentile(new double[0], 50)).isNaN();
        double[] big = new double[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i;
        }
        assertThat(Metrics.percentile(big, 99)).isEqualTo(989); // rank 990
        assertThat(Metrics.mean(x)).isEqualTo(5.5);
    }

    @Test
    void timeWeightedMean() {
        // 1.0 on [0,10), 0.5 on [10,30), 0 on [30,40) -> (10 + 10 + 0) / 40
        assertThat(Metrics.timeWeighted(new long[] {0, 10, 30}, new double[] {1, 0.5, 0}, 40)).isEqualTo(0.5);
        assertThat(Metrics.timeWeighted(new long[] {5}, new double[] {0.8}, 5)).isNaN();
        assertThat(Metrics.timeWeighted(new long[] {0, 0, 10}, new double[] {9, 0.2, 0.4}, 20)).isCloseTo(0.3, within(1e-15));
    }
}
