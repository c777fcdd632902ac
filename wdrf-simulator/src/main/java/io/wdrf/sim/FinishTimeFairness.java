package io.wdrf.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Themis-style finish-time fairness: ρ<sub>j</sub> = JCT<sub>shared</sub> ÷ JCT<sub>static</sub> for every finished job,
 * where JCT<sub>shared</sub> = finish − arrival in the replay and JCT<sub>static</sub> is the completion time the job
 * would have had on its team's <b>static share</b> of the cluster. ρ &lt; 1: sharing served the job better than a
 * private partition would have; ρ &gt; 1: worse.
 *
 * <p>The static-share estimate: team t owns S<sub>t</sub> = C · w<sub>t</sub> / Σ<sub>u</sub> w<sub>u</sub> GPUs (over all
 * teams of the trace, busy or not) and runs its own jobs alone on them, in strict FIFO order of arrival (the trace
 * order; no backfilling, no other team). A job holds min(g, S<sub>t</sub>) GPUs; one larger than S<sub>t</sub> is stretched
 * to g/S<sub>t</sub> × its duration (the same GPU-time on the whole share), so every job can run. A job starts when it is
 * the head of the team's queue and enough of S<sub>t</sub> is free. Jobs of zero GPUs run at once, outside the queue. This is a
 * deterministic, policy-independent yardstick (the same for every policy of a replay).
 */
final class FinishTimeFairness {

    private FinishTimeFairness() {
    }

    /** JCT on the static share of every job, ms (≥ its duration). */
    static long[] staticJct(Timeline tl) {
        int nt = tl.teamCount();
        double totalWeight = 0;
        for (int t = 0; t < nt; t++) {
            totalWeight += tl.weight(t);
        }
        List<List<Integer>> byTeam = new ArrayList<>();
        for (int t = 0; t < nt; t++) {
            byTeam.add(new ArrayList<>());
        }
        for (int j = 0; j < tl.jobCount(); j++) {
            byTeam.get(tl.teamOf(j)).add(j);
        }
        long[] out = new long[tl.jobCount()];
        for (int t = 0; t < nt; t++) {
            double share = tl.gpuCapacity() * tl.weight(t) / totalWeight;
            List<Integer> js = new ArrayList<>(byTeam.get(t));
            js.sort((a, b) -> {
                int c = Long.compare(tl.arrival(a), tl.arrival(b));
                return c != 0 ? c : Integer.compare(a, b);
            });
            // running: {finish time, GPUs held}
            PriorityQueue<double[]> running = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
            double free = share;
            double head = 0; // start of the previous job: strict FIFO starts are non-decreasing
            for (int j : js) {
                double g = tl.gpus(j);
                if (!(g > 0)) {
                    out[j] = tl.duration(j); // holds no GPU: runs at once, outside the queue
                    continue;
                }
                double need = Math.min(g, share);
                double run = g > share ? tl.duration(j) * (g / share) : tl.duration(j);
                double start = Math.max(tl.arrival(j), head);
                while (running.peek() != null && running.peek()[0] <= start) {
                    free += running.poll()[1];
                }
                while (free + 1e-9 * share < need) {
                    double[] r = running.poll();
                    start = Math.max(start, r[0]);
                    free += r[1];
                }
                head = start;
                free -= need;
                running.add(new double[] {start + run, need});
                out[j] = Math.round(start + run - tl.arrival(j));
            }
        }
        return out;
    }

    /** ρ of every job: JCT in the replay ÷ {@link #staticJct}; NaN for a job that did not finish. */
    static double[] ratios(Timeline tl) {
        long[] fin = tl.finishes();
        long[] st = staticJct(tl);
        double[] rho = new double[tl.jobCount()];
        for (int j = 0; j < rho.length; j++) {
            rho[j] = fin[j] < 0 || st[j] <= 0 ? Double.NaN : (double) (fin[j] - tl.arrival(j)) / st[j];
        }
        return rho;
    }
}
