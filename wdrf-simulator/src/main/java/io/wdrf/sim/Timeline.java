package io.wdrf.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay did to its jobs: the static job facts (team, GPUs held while running, arrival, duration) and the
 * ordered event log received through {@link ReplayListener}. The fairness metrics are computed from it after the
 * replay ({@link FairnessSweep}, {@link FinishTimeFairness}), and the per-job CSV is written from it, so every metric
 * can be recomputed outside WDRF. GPUs are the {@link SimCluster#gpuResource()} amounts of {@link SimJob#usage()}.
 */
final class Timeline implements ReplayListener {

    /** Event kinds, in the log. */
    enum Kind { ARRIVE, ADMIT, EVICT, FINISH, RESERVE_START, RESERVE_END }

    private static final Kind[] KINDS = Kind.values();

    private final String[] teams;
    private final double[] weights;
    private final double gpuCapacity;
    private final String[] names;
    private final int[] teamOf;
    private final double[] gpus;
    private final long[] arrival;
    private final long[] duration;

    private long[] times = new long[1024];
    private byte[] kinds = new byte[1024];
    private int[] jobs = new int[1024];
    private int size;
    private long end = -1;

    /**
     * @param teams       team names (index = team number)
     * @param weights     team weights (&gt; 0)
     * @param gpuCapacity GPUs of the cluster (&gt; 0)
     * @param names       job names
     * @param teamOf      team number of each job
     * @param gpus        GPUs each job holds while running (≥ 0)
     * @param arrival     arrival of each job, ms
     * @param duration    run time of each job once admitted, ms
     */
    Timeline(String[] teams, double[] weights, double gpuCapacity, String[] names, int[] teamOf, double[] gpus,
             long[] arrival, long[] duration) {
        int n = names.length;
        if (weights.length != teams.length || teamOf.length != n || gpus.length != n || arrival.length != n
                || duration.length != n) {
            throw new IllegalArgumentException("timeline: array lengths differ");
        }
        if (!(gpuCapacity > 0)) {
            throw new IllegalArgumentException("timeline: GPU capacity must be positive, got " + gpuCapacity);
        }
        this.teams = teams.clone();
        this.weights = weights.clone();
        this.gpuCapacity = gpuCapacity;
        this.names = names.clone();
        this.teamOf = teamOf.clone();
        this.gpus = gpus.clone();
        this.arrival = arrival.clone();
        this.duration = duration.clone();
    }

    /** An empty timeline for the jobs of {@code trace}, in {@link Trace#jobs()} order, teams in name order. */
    static Timeline of(Trace trace) {
        List<String> ts = trace.teams();
        Map<String, Integer> index = new HashMap<>();
        double[] w = new double[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            index.put(ts.get(i), i);
            w[i] = trace.cluster().weight(ts.get(i));
        }
        List<SimJob> js = trace.jobs();
        int n = js.size();
        String[] names = new String[n];
        int[] team = new int[n];
        double[] g = new double[n];
        long[] arr = new long[n];
        long[] dur = new long[n];
        String res = trace.cluster().gpuResource();
        for (int j = 0; j < n; j++) {
            SimJob job = js.get(j);
            names[j] = job.name();
            team[j] = index.get(job.team());
            g[j] = job.uses(res);
            arr[j] = job.arrivalMillis();
            dur[j] = job.durationMillis();
        }
        return new Timeline(ts.toArray(new String[0]), w, trace.cluster().gpuCapacity(), names, team, g, arr, dur);
    }

    // ------------------------------------------------------------------ recording

    private void add(Kind k, int job, long t) {
        if (job < 0 || job >= names.length) {
            throw new IllegalArgumentException("timeline: no job " + job);
        }
        if (size > 0 && t < times[size - 1]) {
            throw new IllegalArgumentException("timeline: event at " + t + " ms after one at " + times[size - 1] + " ms");
        }
        if (size == times.length) {
            int cap = size * 2;
            times = Arrays.copyOf(times, cap);
            kinds = Arrays.copyOf(kinds, cap);
            jobs = Arrays.copyOf(jobs, cap);
        }
        times[size] = t;
        kinds[size] = (byte) k.ordinal();
        jobs[size] = job;
        size++;
    }

    @Override
    public void arrived(int job, long t) {
        add(Kind.ARRIVE, job, t);
    }

    @Override
    public void admitted(int job, long t) {
        add(Kind.ADMIT, job, t);
    }

    @Override
    public void evicted(int job, long t) {
        add(Kind.EVICT, job, t);
    }

    @Override
    public void finished(int job, long t) {
        add(Kind.FINISH, job, t);
    }

    @Override
    public void reservationStarted(int job, long t) {
        add(Kind.RESERVE_START, job, t);
    }

    @Override
    public void reservationEnded(int job, long t) {
        add(Kind.RESERVE_END, job, t);
    }

    /** Closes the record: the replay ended at {@code t} ms (not before the last event). Returns this. */
    Timeline end(long t) {
        long last = size == 0 ? 0 : times[size - 1];
        end = Math.max(t, last);
        return this;
    }

    // ------------------------------------------------------------------ reading

    /** End of the replay, ms (the last event when {@link #end} was not called). */
    long endMillis() {
        return end >= 0 ? end : size == 0 ? 0 : times[size - 1];
    }

    int events() {
        return size;
    }

    long time(int i) {
        return times[i];
    }

    Kind kind(int i) {
        return KINDS[kinds[i]];
    }

    int job(int i) {
        return jobs[i];
    }

    int jobCount() {
        return names.length;
    }

    int teamCount() {
        return teams.length;
    }

    String team(int t) {
        return teams[t];
    }

    double weight(int t) {
        return weights[t];
    }

    double gpuCapacity() {
        return gpuCapacity;
    }

    String name(int j) {
        return names[j];
    }

    int teamOf(int j) {
        return teamOf[j];
    }

    double gpus(int j) {
        return gpus[j];
    }

    long arrival(int j) {
        return arrival[j];
    }

    long duration(int j) {
        return duration[j];
    }

    /** First admission of every job, ms, or -1 when never admitted. */
    long[] firstAdmissions() {
        long[] first = new long[names.length];
        Arrays.fill(first, -1);
        for (int i = 0; i < size; i++) {
            if (kinds[i] == Kind.ADMIT.ordinal() && first[jobs[i]] < 0) {
                first[jobs[i]] = times[i];
            }
        }
        return first;
    }

    /** Completion of every job, ms, or -1 when it did not finish. */
    long[] finishes() {
        long[] fin = new long[names.length];
        Arrays.fill(fin, -1);
        for (int i = 0; i < size; i++) {
            if (kinds[i] == Kind.FINISH.ordinal()) {
                fin[jobs[i]] = times[i];
            }
        }
        return fin;
    }

    /** Queueing delay (arrival → first admission, or → end when never admitted) of every job, ms. */
    long[] waits() {
        long[] first = firstAdmissions();
        long[] w = new long[names.length];
        long e = endMillis();
        for (int j = 0; j < w.length; j++) {
            w[j] = Math.max(0, (first[j] >= 0 ? first[j] : e) - arrival[j]);
        }
        return w;
    }

    /** The times of every event of kind {@code k}, per job (empty arrays for jobs without one). */
    long[][] timesOf(Kind k) {
        int[] count = new int[names.length];
        for (int i = 0; i < size; i++) {
            if (kinds[i] == k.ordinal()) {
                count[jobs[i]]++;
            }
        }
        long[][] out = new long[names.length][];
        for (int j = 0; j < out.length; j++) {
            out[j] = new long[count[j]];
            count[j] = 0;
        }
        for (int i = 0; i < size; i++) {
            if (kinds[i] == k.ordinal()) {
                int j = jobs[i];
                out[j][count[j]++] = times[i];
            }
        }
        return out;
    }
}
