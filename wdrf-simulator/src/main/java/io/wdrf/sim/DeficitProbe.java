package io.wdrf.sim;

import java.util.Arrays;

/**
 * A measurement helper for tuning (until the simulator's own fairness metrics land): the fair-share deficit in GPU-hours,
 * ∫ Σ_{teams with pending work} max(0, fair_t − alloc_t) dt, where fair_t is the demand-aware weighted max-min share of the
 * GPUs (water-filling over demand_t = running + pending GPUs, weights w_t). GPU only; printed on stderr when the system
 * property {@code wdrf.sim.deficit} is true.
 */
final class DeficitProbe {

    private final double[] weights;
    private final double capacity;
    private final double[] pendingDemand;
    private final Integer[] order;
    private final double[] fair;
    private double deficitMillis;

    DeficitProbe(double[] weights, double capacity) {
        this.weights = weights.clone();
        this.capacity = capacity;
        this.pendingDemand = new double[weights.length];
        this.order = new Integer[weights.length];
        this.fair = new double[weights.length];
    }

    void pending(int team, double gpus) {
        pendingDemand[team] = Math.max(0, pendingDemand[team] + gpus);
    }

    /** Integrates over dt milliseconds with {@code alloc[t]} GPUs running per team and {@code pendingJobs[t]} jobs waiting. */
    void advance(long dt, double[] alloc, int[] pendingJobs) {
        int n = weights.length;
        double[] demand = new double[n];
        for (int t = 0; t < n; t++) {
            demand[t] = alloc[t] + pendingDemand[t];
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> Double.compare(demand[a] / weights[a], demand[b] / weights[b]));
        double left = capacity;
        double wLeft = 0;
        for (double w : weights) {
            wLeft += w;
        }
        for (int i = 0; i < n; i++) {
            int t = order[i];
            double lambda = left / wLeft;
            double f = Math.min(demand[t], lambda * weights[t]);
            fair[t] = f;
            left -= f;
            wLeft -= weights[t];
        }
        double d = 0;
        for (int t = 0; t < n; t++) {
            if (pendingJobs[t] > 0) {
                d += Math.max(0, fair[t] - alloc[t]);
            }
        }
        deficitMillis += d * dt;
    }

    double deficitGpuHours() {
        return deficitMillis / 3_600_000.0;
    }
}
