package io.wdrf.sim;

import java.util.Arrays;

/** Metric formulas (pure functions). */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Jain's fairness index {@code (Σx)² / (n·Σx²)}: 1 when all values are equal, 1/n when one value holds everything.
     * By convention 1 for an empty input or all zeros.
     */
    public static double jain(double[] x) {
        return jain(x, x.length);
    }

    /** Jain's index over the first {@code n} values of {@code x} (a reused buffer). */
    static double jain(double[] x, int n) {
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            s += v;
            s2 += v * v;
        }
        if (n == 0 || s2 == 0) {
            return 1.0;
        }
        return s * s / (n * s2);
    }

    /**
     * Nearest-rank percentile of ascending {@code sorted}: the value at rank ⌈p/100 · n⌉ (1-based); p=0 gives the
     * minimum. NaN for an empty array.
     */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " outside [0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Arithmetic mean; NaN for an empty array. */
    public static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
    }

    /**
     * Time-weighted mean of a step function: value {@code values[i]} holds on {@code [times[i], times[i+1])}, the
     * last value until {@code end}. NaN when the covered span is empty.
     */
    public static double timeWeighted(long[] times, double[] values, long end) {
        double area = 0;
        long span = 0;
        for (int i = 0; i < times.length; i++) {
            long until = i + 1 < times.length ? times[i + 1] : end;
            long dt = Math.max(0, until - times[i]);
            area += values[i] * dt;
            span += dt;
        }
        return span == 0 ? Double.NaN : area / span;
    }
}
