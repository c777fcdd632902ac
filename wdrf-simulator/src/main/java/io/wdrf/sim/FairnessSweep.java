package io.wdrf.sim;

import io.wdrf.engine.FairShares;

import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a {@link Timeline} that measures fairness against the demand-aware fair share, on the GPU resource.
 *
 * <p>State at every instant, per team t: A<sub>t</sub> = GPUs of its running jobs, D<sub>t</sub> = A<sub>t</sub> + GPUs
 * of its pending jobs (its demand), and its fair share F<sub>t</sub> = {@link FairShares#waterFill}(D, w, C), recomputed
 * whenever a demand changes (arrival, finish; admission and eviction move GPUs between running and pending and leave
 * D unchanged). "Pending" = arrived, not running, not finished. A team is <i>waiting</i> while it has a pending job.
 * <ul>
 *   <li><b>fair-share deficit</b> (GPU-h) = ∫ Σ<sub>t waiting</sub> max(0, F<sub>t</sub> − A<sub>t</sub>) dt: GPU-hours of
 *       fair share that waiting teams did not hold. Per team: its own term.</li>
 *   <li><b>Jain over allocation ÷ fair share</b> = the time average, over the time when some team is waiting, of Jain's
 *       index (Σx)²/(n·Σx²) over x<sub>t</sub> = A<sub>t</sub>/F<sub>t</sub> of the waiting teams (F<sub>t</sub> &gt; 0
 *       for a waiting team with a GPU job; teams with F = 0 are left out, and so is time with none left; all x = 0 counts as 1, as in
 *       {@link Metrics#jain}). 1 = every waiting team holds the same fraction
 *       of its fair share. Per team: the time average of A<sub>t</sub>/F<sub>t</sub> while it is waiting.</li>
 *   <li><b>within-share job</b>: a job that, at its arrival (after the jobs that arrived before it, including earlier ones
 *       at the same instant), fits inside its team's fair share counting the team's queue ahead of it:
 *       A<sub>t</sub> + (GPUs of the team's pending jobs, this one included) ≤ F<sub>t</sub>, i.e. D<sub>t</sub> ≤
 *       F<sub>t</sub> (tolerance 10<sup>-9</sup>·C). A perfectly fair preemptive scheduler would start it at once.</li>
 *   <li><b>inversion</b>: an admission of a job of team t that takes t above its fair share (A<sub>t</sub> + g &gt;
 *       F<sub>t</sub>) and, by taking g GPUs, leaves too little room for a pending job k of another team u that fitted
 *       the free GPUs just before (free − g &lt; g<sub>k</sub> ≤ free) and would have kept u within its share
 *       (A<sub>u</sub> + g<sub>k</sub> ≤ F<sub>u</sub>). Counted once per admission overall; per team, once per
 *       admission for each team u passed over.</li>
 *   <li><b>evictions</b> and <b>GPU-hours lost</b>: each eviction of a job loses g × (eviction − its last admission)
 *       (jobs restart from scratch).</li>
 *   <li><b>reservations</b> and <b>GPU-hours held idle</b>: while reservations are active, ∫ min(free GPUs, Σ GPUs of the
 *       reserved jobs) dt — idle capacity kept for reserved jobs (an upper bound: some of it might have stayed idle
 *       anyway); per team in proportion to its reserved jobs' GPUs.</li>
 * </ul>
 */
final class FairnessSweep {

    private static final double TOL = 1e-9;

    /** Per-team (index = team) and overall sums; times in ms, GPU-time in GPU·ms. */
    record Result(double[] deficitGpuMs, double[] ratioArea, long[] waitingMs, double jainArea, long contentionMs,
                  boolean[] withinShare, long[] inversionsSuffered, long inversions, long[] evictions,
                  double[] lostGpuMs, long[] reservations, double[] reservedIdleGpuMs, double[] deficitByBucket) {
    }

    private FairnessSweep() {
    }

    static Result run(Timeline tl) {
        return run(tl, 0);
    }

    /**
     * As {@link #run(Timeline)}, also integrating the overall deficit into buckets of {@code bucketMs} from time 0
     * ({@link Result#deficitByBucket()}, GPU·ms per bucket; empty when {@code bucketMs} ≤ 0).
     */
    static Result run(Timeline tl, long bucketMs) {
        int nt = tl.teamCount();
        int nj = tl.jobCount();
        double cap = tl.gpuCapacity();
        double eps = TOL * cap;
        double[] weights = new double[nt];
        for (int t = 0; t < nt; t++) {
            weights[t] = tl.weight(t);
        }
        double[] alloc = new double[nt];
        double[] demand = new double[nt];
        int[] pendingCount = new int[nt];
        @SuppressWarnings("unchecked")
        TreeMap<Double, Integer>[] pendingGpus = new TreeMap[nt];
        for (int t = 0; t < nt; t++) {
            pendingGpus[t] = new TreeMap<>();
        }
        double[] fair = new double[nt];
        boolean fairDirty = false;
        byte[] state = new byte[nj]; // 0 not arrived, 1 pending, 2 running, 3 finished
        long[] lastAdmit = new long[nj];
        TreeMap<Integer, Double> reserved = new TreeMap<>(); // job -> its GPUs
        double reservedGpus = 0;

        double[] deficit = new double[nt];
        double[] ratioArea = new double[nt];
        long[] waitingMs = new long[nt];
        double jainArea = 0;
        long contention = 0;
        boolean[] within = new boolean[nj];
        long[] suffered = new long[nt];
        long inversions = 0;
        long[] evictions = new long[nt];
        double[] lost = new double[nt];
        long[] reservations = new long[nt];
        double[] idle = new double[nt];
        double used = 0;
        int buckets = bucketMs > 0 ? (int) Math.min(1_000_000, tl.endMillis() / bucketMs + 1) : 0;
        double[] series = new double[buckets];

        long last = 0;
        int n = tl.events();
        for (int i = 0; i <= n; i++) {
            long now = i < n ? tl.time(i) : Math.max(last, tl.endMillis());
            long dt = now - last;
            if (dt > 0) {
                if (fairDirty) {
                    fair = FairShares.waterFill(demand, weights, cap);
                    fairDirty = false;
                }
                double s = 0;
                double s2 = 0;
                int k = 0;
                double short_ = 0;
                for (int t = 0; t < nt; t++) {
                    if (pendingCount[t] == 0) {
                        continue;
                    }
                    waitingMs[t] += dt;
                    deficit[t] += Math.max(0, fair[t] - alloc[t]) * dt;
                    short_ += Math.max(0, fair[t] - alloc[t]);
                    if (fair[t] > eps) {
                        double x = alloc[t] / fair[t];
                        ratioArea[t] += x * dt;
                        s += x;
                        s2 += x * x;
                        k++;
                    }
                }
                if (buckets > 0 && short_ > 0) {
                    for (long x = last; x < now; ) {
                        int b = (int) Math.min(buckets - 1, x / bucketMs);
                        long to = b == buckets - 1 ? now : Math.min(now, (b + 1) * bucketMs);
                        series[b] += short_ * (to - x);
                        x = to;
                    }
                }
                if (k > 0) {
                    contention += dt;
                    jainArea += (s2 == 0 ? 1.0 : s * s / (k * s2)) * dt; // all at 0: equal, as Metrics.jain
                }
                if (reservedGpus > 0) {
                    double held = Math.min(Math.max(0, cap - used), reservedGpus) * dt;
                    for (Map.Entry<Integer, Double> e : reserved.entrySet()) {
                        idle[tl.teamOf(e.getKey())] += held * e.getValue() / reservedGpus;
                    }
                }
            }
            last = now;
            if (i == n) {
                break;
            }
            int j = tl.job(i);
            int t = tl.teamOf(j);
            double g = tl.gpus(j);
            switch (tl.kind(i)) {
                case ARRIVE -> {
                    state[j] = 1;
                    demand[t] += g;
                    pendingCount[t]++;
                    pendingGpus[t].merge(g, 1, Integer::sum);
                    fair = FairShares.waterFill(demand, weights, cap);
                    fairDirty = false;
                    within[j] = demand[t] <= fair[t] + eps;
                }
                case ADMIT -> {
                    if (fairDirty) {
                        fair = FairShares.waterFill(demand, weights, cap);
                        fairDirty = false;
                    }
                    double freeBefore = cap - used;
                    double freeAfter = freeBefore - g;
                    removePending(pendingGpus[t], g);
                    pendingCount[t]--;
                    if (alloc[t] + g > fair[t] + eps) {
                        boolean inverted = false;
                        for (int u = 0; u < nt; u++) {
                            if (u == t || pendingCount[u] == 0) {
                                continue;
                            }
                            double room = Math.min(freeBefore, fair[u] - alloc[u]) + eps;
                            Double gk = pendingGpus[u].higherKey(freeAfter + eps);
                            if (gk != null && gk <= room) {
                                suffered[u]++;
                                inverted = true;
                            }
                        }
                        if (inverted) {
                            inversions++;
                        }
                    }
                    alloc[t] += g;
                    used += g;
                    state[j] = 2;
                    lastAdmit[j] = now;
                }
                case EVICT -> {
                    alloc[t] -= g;
                    used -= g;
                    pendingCount[t]++;
                    pendingGpus[t].merge(g, 1, Integer::sum);
                    state[j] = 1;
                    evictions[t]++;
                    lost[t] += g * (now - lastAdmit[j]);
                }
                case FINISH -> {
                    if (state[j] == 2) {
                        alloc[t] -= g;
                        used -= g;
                    } else if (state[j] == 1) {
                        pendingCount[t]--;
                        removePending(pendingGpus[t], g);
                    }
                    demand[t] -= g;
                    state[j] = 3;
                    fairDirty = true;
                }
                case RESERVE_START -> {
                    if (reserved.put(j, g) == null) {
                        reservedGpus += g;
                        reservations[t]++;
                    }
                }
                case RESERVE_END -> {
                    Double was = reserved.remove(j);
                    if (was != null) {
                        reservedGpus -= was;
                    }
                }
                default -> throw new IllegalStateException("unknown event kind " + tl.kind(i));
            }
            if (alloc[t] < eps) {
                alloc[t] = Math.max(0, alloc[t]);
            }
            if (demand[t] < eps) {
                demand[t] = Math.max(0, demand[t]);
            }
        }
        return new Result(deficit, ratioArea, waitingMs, jainArea, contention, within, suffered, inversions, evictions,
                lost, reservations, idle, series);
    }

    private static void removePending(TreeMap<Double, Integer> m, double g) {
        Integer c = m.get(g);
        if (c == null) {
            throw new IllegalStateException("timeline: a job of " + g + " GPUs left a queue it was not in");
        }
        if (c == 1) {
            m.remove(g);
        } else {
            m.put(g, c - 1);
        }
    }
}
