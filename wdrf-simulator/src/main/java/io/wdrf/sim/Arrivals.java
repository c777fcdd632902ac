package io.wdrf.sim;

import java.util.Random;

/**
 * Arrival process of the synthetic trace ({@code simulate --trace synthetic --arrivals poisson|diurnal}).
 *
 * <ul>
 *   <li>{@link #POISSON}: a homogeneous Poisson process at the mean rate (the default).</li>
 *   <li>{@link #DIURNAL}: time-of-day load, as SKRueue's "realistic" workload strategy (seed 002): a non-homogeneous
 *       Poisson process with intensity λ(t) = rate × {@link #intensity}(hour of day), hour 0 = the replay's epoch
 *       (midnight), sampled by thinning. The curve is m(h) = 1 + 0.6·cos(2π(h − 14)/24): peak 1.6× at 14:00,
 *       trough 0.4× at 02:00, mean exactly 1 over a day, so the daily load equals the Poisson one.</li>
 * </ul>
 */
enum Arrivals {
    POISSON, DIURNAL;

    /** Amplitude of the diurnal curve. */
    static final double AMPLITUDE = 0.6;
    /** Hour of the daily peak. */
    static final double PEAK_HOUR = 14.0;

    static Arrivals parse(String v) {
        return switch (v) {
            case "poisson" -> POISSON;
            case "diurnal" -> DIURNAL;
            default -> throw new IllegalArgumentException("--arrivals: '" + v + "' is not one of poisson, diurnal");
        };
    }

    /** The diurnal multiplier m(h) of the mean rate at hour of day {@code h} (any real; taken modulo 24). */
    static double intensity(double hourOfDay) {
        return 1 + AMPLITUDE * Math.cos(2 * Math.PI * (hourOfDay - PEAK_HOUR) / 24);
    }

    /**
     * Expected fraction of a day's arrivals in hour bucket [h, h+1): ∫ m / 24, in closed form.
     */
    static double hourFraction(int h) {
        double w = 2 * Math.PI / 24;
        double integral = 1 + AMPLITUDE / w * (Math.sin(w * (h + 1 - PEAK_HOUR)) - Math.sin(w * (h - PEAK_HOUR)));
        return integral / 24;
    }

    /** The next arrival (seconds) after {@code t} for mean rate {@code rate} per second. */
    double next(Random rnd, double t, double rate) {
        if (this == POISSON) {
            return t - Math.log(1 - rnd.nextDouble()) / rate;
        }
        double max = 1 + AMPLITUDE;
        double s = t;
        while (true) {
            s += -Math.log(1 - rnd.nextDouble()) / (rate * max);
            if (rnd.nextDouble() * max <= intensity(s / 3600.0)) {
                return s;
            }
        }
    }
}
