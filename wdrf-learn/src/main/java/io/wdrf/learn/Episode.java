package io.wdrf.learn;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.DemandModel;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.AdmissionResult;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import io.wdrf.hami.HamiDemandModel;
import io.wdrf.learned.Features;
import io.wdrf.sim.SimCluster;
import io.wdrf.sim.SimJob;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Simulator;
import io.wdrf.sim.Trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * A step-wise replay of a trace window through the real engine, reconcile loop and in-memory Kueue model: the same
 * mechanics as {@link Simulator} (arrivals, completions, admission cycles, a controller cycle every loop interval
 * while anything is pending; a job runs for its trace duration from admission and starts over when preempted), but
 * driven one controller cycle at a time so that an agent can act between cycles.
 *
 * <p>Metrics are integrated exactly over simulated time (see {@link Tally}). Not thread-safe; deterministic.
 */
final class Episode {

    private static final byte WAITING = 0;
    private static final byte PENDING = 1;
    private static final byte RUNNING = 2;
    private static final byte DONE = 3;

    private record Completion(long time, long seq, int job, int epoch) implements Comparable<Completion> {
        @Override
        public int compareTo(Completion o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    final Trace trace;
    final SimOptions options;
    final List<SimJob> jobs;
    final int n;
    final ManualClock clock = new ManualClock(Simulator.EPOCH);
    final InMemoryCluster cluster;
    final WdrfEngine engine;
    final Reconciler reconciler;
    final PolicyConfig config;
    private final PriorityQueue<Completion> completions = new PriorityQueue<>();
    private final Map<WorkloadId, Integer> index = new HashMap<>();
    final WorkloadId[] ids;
    final byte[] status;
    final long[] admittedAt;
    final long[] finishedAt;
    private final int[] epoch;
    final int[] teamOf;
    private final double[][] jobUsage;
    final String[] teams;
    final double[] weights;
    final String[] resources;
    final double[] capacity;
    final int gpuRes;
    final double[][] teamUsage;
    final int[] teamPending;
    final int[] teamRunning;
    private final BitSet pendingSet = new BitSet();
    private final boolean preemptive;
    private final boolean expectedRuntime;
    final Tally tally;
    int pending;
    int running;
    int finished;
    private long seq;
    private int nextArrival;
    long now;
    long nextCycle = -1;
    long cycles;
    long preemptions;
    boolean done;
    private final Listener listener;

    /** Exact job transitions and cycles, for {@code wdrf record} of a simulated run. */
    interface Listener {
        Listener NONE = new Listener() {
        };

        default void arrived(SimJob job, WorkloadId id, long at) {
        }

        default void admitted(WorkloadId id, long at) {
        }

        default void evicted(WorkloadId id, long at) {
        }

        default void finished(WorkloadId id, long at) {
        }

        /** After each controller cycle, with the context of the cluster after the cycle's admissions. */
        default void cycle(Episode episode) {
        }
    }


    /**
     * @param policyFactory   the policy to run, from the episode's policy configuration
     * @param expectedRuntime whether workloads carry their trace duration as {@link Features#EXPECTED_RUNTIME}
     */
    Episode(Trace trace, SimOptions options, Function<PolicyConfig, PriorityPolicy> policyFactory,
            boolean expectedRuntime) {
        this(trace, options, policyFactory, expectedRuntime, Listener.NONE);
    }

    Episode(Trace trace, SimOptions options, Function<PolicyConfig, PriorityPolicy> policyFactory,
            boolean expectedRuntime, Listener listener) {
        this.listener = listener;
        this.trace = trace;
        this.options = options;
        this.jobs = trace.jobs();
        this.n = jobs.size();
        this.expectedRuntime = expectedRuntime;
        SimCluster c = trace.cluster();
        teams = trace.teams().toArray(new String[0]);
        Map<String, Integer> teamIndex = new HashMap<>();
        for (int i = 0; i < teams.length; i++) {
            teamIndex.put(teams[i], i);
        }
        weights = new double[teams.length];
        for (int i = 0; i < teams.length; i++) {
            weights[i] = c.weight(teams[i]);
        }
        resources = c.capacity().keySet().toArray(new String[0]);
        capacity = new double[resources.length];
        int g = -1;
        for (int r = 0; r < resources.length; r++) {
            capacity[r] = c.capacity().get(resources[r]);
            if (resources[r].equals(c.gpuResource())) {
                g = r;
            }
        }
        gpuRes = g;
        preemptive = !ClusterQueueInfo.NEVER.equals(options.withinClusterQueue());
        teamUsage = new double[teams.length][resources.length];
        teamPending = new int[teams.length];
        teamRunning = new int[teams.length];
        ids = new WorkloadId[n];
        status = new byte[n];
        admittedAt = new long[n];
        finishedAt = new long[n];
        epoch = new int[n];
        teamOf = new int[n];
        jobUsage = new double[n][];
        Arrays.fill(admittedAt, -1);
        Arrays.fill(finishedAt, -1);
        for (int j = 0; j < n; j++) {
            SimJob job = jobs.get(j);
            ids[j] = new WorkloadId(job.team(), job.name());
            if (index.put(ids[j], j) != null) {
                throw new IllegalArgumentException("trace " + trace.name() + ": duplicate job " + ids[j]);
            }
            teamOf[j] = teamIndex.get(job.team());
            double[] u = new double[resources.length];
            for (int r = 0; r < resources.length; r++) {
                u[r] = job.uses(resources[r]);
            }
            jobUsage[j] = u;
        }
        List<ResourceQuota> quotas = new ArrayList<>();
        c.quota().forEach((res, q) -> quotas.add(ResourceQuota.of("default", res, q)));
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock)
                .demandModel(new KueueDemandModel(c.excludeFromAdmission()))
                .flavor("default")
                .clusterQueue(new ClusterQueueInfo("sim", null, quotas, ClusterQueueInfo.BEST_EFFORT_FIFO,
                        options.withinClusterQueue(), ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, 1.0));
        for (String t : teams) {
            b.namespace(t).localQueue(t, "lq", "sim");
        }
        c.nodes().forEach(b::node);
        cluster = b.build();
        config = PolicyConfig.builder()
                .tenantWeights(c.teamWeights())
                .agingCoefficient(options.agingCoefficient())
                .maxAgingTime(options.maxAging())
                .preemption(options.preemption())
                .build();
        DemandModel demand = c.hami() ? new HamiDemandModel() : new KueueDemandModel();
        engine = WdrfEngine.builder().config(config).policy(policyFactory.apply(config)).demandModel(demand)
                .clock(clock).build();
        ReconcilerSettings settings = new ReconcilerSettings(options.loopInterval(), Duration.ZERO, false,
                PriorityTarget.SPEC_PRIORITY, options.maxWritesPerCycle(), 3, Duration.ofHours(1), false, false,
                options.minDelta());
        reconciler = Reconciler.builder(cluster, cluster, engine).settings(settings).build();
        tally = new Tally(this);
        advanceToCycle();
    }

    /** What the engine's policy sees now (evaluates the snapshot; writes nothing). */
    PolicyContext context() {
        return engine.evaluate(cluster.snapshot()).context();
    }

    /** Runs the controller cycle due now, then replays events up to the next cycle that has pending work. */
    CycleReport step() {
        if (done) {
            throw new IllegalStateException("episode is over");
        }
        CycleReport report = reconciler.runOnce();
        cycles++;
        if (!report.ok()) {
            throw new IllegalStateException("controller cycle failed at t=" + now / 1000.0 + " s: " + report.error());
        }
        if (report.writeResult() != null && !report.writeResult().items().isEmpty()) {
            admit();
        }
        listener.cycle(this);
        nextCycle = now + options.loopInterval().toMillis();
        advanceToCycle();
        return report;
    }

    /** Replays events until {@code nextCycle} with something pending, or the end of the trace. */
    private void advanceToCycle() {
        long iv = options.loopInterval().toMillis();
        while (true) {
            long tArr = nextArrival < n ? jobs.get(nextArrival).arrivalMillis() : Long.MAX_VALUE;
            long tDone = completions.isEmpty() ? Long.MAX_VALUE : completions.peek().time();
            long tEvent = Math.min(tArr, tDone);
            if (pending > 0 && nextCycle >= 0 && nextCycle < tEvent) {
                moveTo(nextCycle);
                return;
            }
            if (tEvent == Long.MAX_VALUE) {
                // pending work that can never be admitted (nothing runs, nothing arrives)
                moveTo(now);
                done = true;
                return;
            }
            moveTo(tEvent);
            boolean changed = false;
            while (!completions.isEmpty() && completions.peek().time() == now) {
                changed |= complete(completions.poll());
            }
            while (nextArrival < n && jobs.get(nextArrival).arrivalMillis() == now) {
                arrive(nextArrival++);
                changed = true;
            }
            if (changed) {
                admit();
            }
            if (pending > 0 && (nextCycle < 0 || nextCycle < now)) {
                nextCycle = ((now + iv - 1) / iv) * iv;
            }
            if (pending == 0) {
                nextCycle = -1;
            }
            if (pending > 0 && running == 0 && nextArrival >= n && completions.isEmpty()) {
                // stuck: nothing can ever change the cluster; count the rest as never started
                done = true;
                return;
            }
            if (pending == 0 && nextArrival >= n && completions.isEmpty()) {
                done = true;
                return;
            }
        }
    }

    private void moveTo(long t) {
        tally.advance(now, t);
        now = t;
        clock.set(Simulator.EPOCH.plusMillis(t));
    }

    private void arrive(int j) {
        SimJob job = jobs.get(j);
        Workload.Builder w = Workload.builder(job.team(), job.name(), clock.instant()).queueName("lq")
                .podSets(List.of(PodSet.of("main", 1, job.requests())));
        if (!"normal".equals(job.workloadClass())) {
            w.labels(Map.of("wdrf.x-k8s.io/priority-override", job.workloadClass()));
        }
        if (expectedRuntime) {
            w.annotations(Map.of(Features.EXPECTED_RUNTIME, Long.toString(Math.max(1, job.durationMillis() / 1000))));
        }
        cluster.submit(w.build());
        listener.arrived(job, ids[j], now);
        status[j] = PENDING;
        pending++;
        teamPending[teamOf[j]]++;
        pendingSet.set(j);
    }

    private boolean complete(Completion e) {
        int j = e.job();
        if (status[j] != RUNNING || epoch[j] != e.epoch()) {
            return false;
        }
        cluster.finish(ids[j]);
        cluster.delete(ids[j]);
        status[j] = DONE;
        finishedAt[j] = e.time();
        listener.finished(ids[j], e.time());
        running--;
        finished++;
        tally.completed++;
        release(j);
        return true;
    }

    private void admit() {
        if (!preemptive && !anyPendingFits()) {
            return;
        }
        AdmissionResult r = cluster.admissionCycle();
        for (WorkloadId id : r.preempted()) {
            int j = index.get(id);
            status[j] = PENDING;
            epoch[j]++;
            running--;
            pending++;
            pendingSet.set(j);
            teamPending[teamOf[j]]++;
            release(j);
            listener.evicted(id, now);
            preemptions++;
            tally.preempted++;
        }
        for (WorkloadId id : r.admitted()) {
            int j = index.get(id);
            status[j] = RUNNING;
            if (admittedAt[j] < 0) {
                admittedAt[j] = now;
            }
            listener.admitted(id, now);
            pending--;
            pendingSet.clear(j);
            running++;
            int t = teamOf[j];
            teamPending[t]--;
            teamRunning[t]++;
            double[] u = jobUsage[j];
            for (int k = 0; k < u.length; k++) {
                teamUsage[t][k] += u[k];
            }
            completions.add(new Completion(now + jobs.get(j).durationMillis(), seq++, j, epoch[j]));
        }
    }

    private boolean anyPendingFits() {
        double[] free = new double[resources.length];
        for (int r = 0; r < resources.length; r++) {
            double used = 0;
            for (int t = 0; t < teams.length; t++) {
                used += teamUsage[t][r];
            }
            free[r] = capacity[r] - used + 1e-6 * capacity[r] + 0.01;
        }
        for (int j = pendingSet.nextSetBit(0); j >= 0; j = pendingSet.nextSetBit(j + 1)) {
            double[] u = jobUsage[j];
            boolean fits = true;
            for (int r = 0; r < u.length && fits; r++) {
                fits = u[r] <= free[r];
            }
            if (fits) {
                return true;
            }
        }
        return false;
    }

    private void release(int j) {
        int t = teamOf[j];
        teamRunning[t]--;
        double[] u = jobUsage[j];
        for (int k = 0; k < u.length; k++) {
            teamUsage[t][k] = Math.max(0, teamUsage[t][k] - u[k]);
        }
    }

    /** Runs the episode to the end (for policy evaluation). */
    Outcome runToEnd() {
        while (!done) {
            step();
        }
        return outcome();
    }

    /** The episode's metrics so far. */
    Outcome outcome() {
        return tally.outcome();
    }
}
