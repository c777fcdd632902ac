package io.wdrf.learn;

import java.util.Arrays;

/**
 * Exact time integrals of an {@link Episode} (piecewise-constant state between events).
 *
 * <pre>
 *   allocation area   Σ dt · allocated GPUs / GPU capacity
 *   pending area      Σ dt · pending jobs                               (job-seconds of queueing)
 *   deficit area      Σ dt · Σ_{t pending} max(0, e_t − s_t)             fair-share deficit
 *   within-share area Σ dt · Σ_{t pending, s_t &lt; e_t} pending_t          job-seconds waited while the tenant was
 *                                                                        below its entitlement
 *   e_t = w_t / Σ_{u active} w_u   (active = pending or running),   s_t = max_r usage_t,r / capacity_r
 * </pre>
 * These are the WDRF fairness metrics of issue 16, computed here in wdrf-learn (the simulator's own report does not
 * have them yet).
 */
final class Tally {

    private final Episode e;
    double allocArea;
    double pendingArea;
    double deficitArea;
    double withinShareArea;
    long completed;
    long preempted;

    Tally(Episode e) {
        this.e = e;
    }

    void advance(long from, long to) {
        long dtMillis = to - from;
        if (dtMillis <= 0) {
            return;
        }
        double dt = dtMillis / 1000.0;
        int teams = e.teams.length;
        double alloc = 0;
        double activeWeight = 0;
        for (int t = 0; t < teams; t++) {
            if (e.gpuRes >= 0) {
                alloc += e.teamUsage[t][e.gpuRes];
            }
            if (e.teamPending[t] > 0 || e.teamRunning[t] > 0) {
                activeWeight += e.weights[t];
            }
        }
        if (e.gpuRes >= 0 && e.capacity[e.gpuRes] > 0) {
            allocArea += dt * alloc / e.capacity[e.gpuRes];
        }
        pendingArea += dt * e.pending;
        if (e.pending > 0 && activeWeight > 0) {
            double deficit = 0;
            double within = 0;
            for (int t = 0; t < teams; t++) {
                if (e.teamPending[t] == 0) {
                    continue;
                }
                double s = 0;
                for (int r = 0; r < e.resources.length; r++) {
                    if (e.capacity[r] > 0) {
                        s = Math.max(s, e.teamUsage[t][r] / e.capacity[r]);
                    }
                }
                double ent = e.weights[t] / activeWeight;
                if (s < ent) {
                    deficit += ent - s;
                    within += e.teamPending[t];
                }
            }
            deficitArea += dt * deficit;
            withinShareArea += dt * within;
        }
    }

    /** Window span used to normalise: last arrival − first arrival, at least one hour (seconds). */
    double horizonSeconds() {
        if (e.n == 0) {
            return 3600;
        }
        long span = e.jobs.get(e.n - 1).arrivalMillis() - e.jobs.get(0).arrivalMillis();
        return Math.max(3600.0, span / 1000.0);
    }

    Outcome outcome() {
        long end = e.now;
        double maxAging = e.options.maxAging().toMillis() / 1000.0;
        double[] waits = new double[e.n];
        int unstarted = 0;
        int starved = 0;
        for (int j = 0; j < e.n; j++) {
            long from = e.jobs.get(j).arrivalMillis();
            long to = e.admittedAt[j] >= 0 ? e.admittedAt[j] : Math.max(from, end);
            waits[j] = Math.max(0, to - from) / 1000.0;
            if (e.admittedAt[j] < 0) {
                unstarted++;
            }
            if (waits[j] > maxAging) {
                starved++;
            }
        }
        Arrays.sort(waits);
        double mean = waits.length == 0 ? 0 : Arrays.stream(waits).sum() / waits.length;
        double p99 = waits.length == 0 ? 0 : waits[Math.max(0, (int) Math.ceil(0.99 * waits.length) - 1)];
        double h = horizonSeconds();
        double deficitMean = deficitArea / h;
        double withinPerJob = e.n == 0 ? 0 : withinShareArea / e.n;
        double fairness = -(deficitMean + withinPerJob / maxAging);
        return new Outcome(e.trace.name(), e.n, e.finished, unstarted, mean, p99, starved,
                end > 0 ? allocArea / (end / 1000.0) : 0, deficitMean, withinPerJob / 3600.0, e.preemptions, e.cycles,
                end / 1000.0, fairness);
    }
}
