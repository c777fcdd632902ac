package io.wdrf.sim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fairness metrics of one replay, overall and per team, computed from its {@link Timeline} by {@link FairnessSweep}
 * and {@link FinishTimeFairness} (definitions there). With no contention (every wait 0) the ratios are undefined, not
 * perfect: {@link #contended()} is false, {@link #jainAllocOverFairShare()} is NaN and the reports say so.
 *
 * @param overall                all jobs
 * @param teams                  per team, by name (team order of the trace)
 * @param jainAllocOverFairShare time-averaged Jain's index over waiting teams' allocation ÷ fair share (NaN when no team
 *                               ever waited)
 * @param contended              whether any job waited at all
 */
record Fairness(Stats overall, Map<String, Stats> teams, double jainAllocOverFairShare, boolean contended) {

    Fairness {
        teams = Collections.unmodifiableMap(new LinkedHashMap<>(teams));
    }

    /**
     * Fairness of a set of jobs. Times in seconds.
     *
     * @param deficitGpuHours      fair-share deficit
     * @param allocOverFairShare   time-averaged allocation ÷ fair share while waiting (overall: pooled over teams,
     *                             Σ areas / Σ waiting times); NaN if never waiting
     * @param withinShareJobs      jobs within their team's fair share at arrival
     * @param withinShareMeanWait  mean queueing delay of those jobs (NaN when none)
     * @param withinShareP99Wait   p99 (nearest rank) queueing delay of those jobs
     * @param inversions           overall: admissions that inverted; per team: admissions that passed over this team
     * @param ftfJobs              finished jobs (those with a finish-time-fairness ratio)
     * @param ftfP50               median ρ = JCT shared ÷ JCT on the static share
     * @param ftfP99               p99 ρ
     * @param evictions            evictions of the set's jobs
     * @param lostGpuHours         GPU-hours of work lost to those evictions
     * @param reservations         reservations started for the set's jobs
     * @param reservedIdleGpuHours GPU-hours held idle by those reservations
     */
    record Stats(double deficitGpuHours, double allocOverFairShare, int withinShareJobs, double withinShareMeanWait,
                 double withinShareP99Wait, long inversions, int ftfJobs, double ftfP50, double ftfP99, long evictions,
                 double lostGpuHours, long reservations, double reservedIdleGpuHours) {
    }

    private static final double MS_PER_HOUR = 3_600_000.0;

    /** Computes every metric from a closed timeline. */
    static Fairness of(Timeline tl) {
        FairnessSweep.Result r = FairnessSweep.run(tl);
        double[] rho = FinishTimeFairness.ratios(tl);
        long[] waits = tl.waits();
        int nt = tl.teamCount();
        int nj = tl.jobCount();
        int[][] members = new int[nt][];
        int[] count = new int[nt];
        for (int j = 0; j < nj; j++) {
            count[tl.teamOf(j)]++;
        }
        for (int t = 0; t < nt; t++) {
            members[t] = new int[count[t]];
            count[t] = 0;
        }
        for (int j = 0; j < nj; j++) {
            int t = tl.teamOf(j);
            members[t][count[t]++] = j;
        }
        Map<String, Stats> teams = new LinkedHashMap<>();
        double deficit = 0;
        double area = 0;
        long waiting = 0;
        long evictions = 0;
        double lost = 0;
        long reservations = 0;
        double idle = 0;
        for (int t = 0; t < nt; t++) {
            teams.put(tl.team(t), stats(members[t], r, rho, waits, r.deficitGpuMs()[t], r.ratioArea()[t],
                    r.waitingMs()[t], r.inversionsSuffered()[t], r.evictions()[t], r.lostGpuMs()[t], r.reservations()[t],
                    r.reservedIdleGpuMs()[t]));
            deficit += r.deficitGpuMs()[t];
            area += r.ratioArea()[t];
            waiting += r.waitingMs()[t];
            evictions += r.evictions()[t];
            lost += r.lostGpuMs()[t];
            reservations += r.reservations()[t];
            idle += r.reservedIdleGpuMs()[t];
        }
        int[] all = new int[nj];
        for (int j = 0; j < nj; j++) {
            all[j] = j;
        }
        Stats overall = stats(all, r, rho, waits, deficit, area, waiting, r.inversions(), evictions, lost, reservations,
                idle);
        boolean contended = false;
        for (long w : waits) {
            contended |= w > 0;
        }
        double jain = r.contentionMs() > 0 ? r.jainArea() / r.contentionMs() : Double.NaN;
        return new Fairness(overall, teams, contended ? jain : Double.NaN, contended);
    }

    private static Stats stats(int[] jobs, FairnessSweep.Result r, double[] rho, long[] waits, double deficitGpuMs,
                               double ratioArea, long waitingMs, long inversions, long evictions, double lostGpuMs,
                               long reservations, double idleGpuMs) {
        int within = 0;
        int finished = 0;
        for (int j : jobs) {
            if (r.withinShare()[j]) {
                within++;
            }
            if (!Double.isNaN(rho[j])) {
                finished++;
            }
        }
        double[] w = new double[within];
        double[] f = new double[finished];
        int a = 0;
        int b = 0;
        for (int j : jobs) {
            if (r.withinShare()[j]) {
                w[a++] = waits[j] / 1000.0;
            }
            if (!Double.isNaN(rho[j])) {
                f[b++] = rho[j];
            }
        }
        Arrays.sort(w);
        Arrays.sort(f);
        return new Stats(deficitGpuMs / MS_PER_HOUR, waitingMs > 0 ? ratioArea / waitingMs : Double.NaN, within,
                Metrics.mean(w), Metrics.percentile(w, 99), inversions, finished, Metrics.percentile(f, 50),
                Metrics.percentile(f, 99), evictions, lostGpuMs / MS_PER_HOUR, reservations, idleGpuMs / MS_PER_HOUR);
    }
}
