package io.wdrf.sim;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.DemandModel;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.Policies;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.AdmissionResult;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import io.wdrf.hami.HamiDemandModel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Discrete-event replay of a {@link Trace} through the real engine, policy and reconcile loop against the in-memory
 * Kueue model, on a {@link ManualClock}.
 *
 * <p>Events, ordered by (time, kind, sequence): completion (finish + delete the workload), arrival (submit), controller
 * cycle ({@link Reconciler#runOnce()}, every loop interval while anything is pending; the cycle grid is
 * {@code k × interval} from the trace start) and admission ({@link InMemoryCluster#admissionCycle()}, once per instant
 * after arrivals or completions, and after priority writes when the ClusterQueue can preempt). An admission cycle is
 * skipped when no pending job fits the free quota and the ClusterQueue cannot preempt: BestEffortFIFO already tried
 * every pending workload, so such a cycle would admit nothing (the outcome is unchanged, only faster).
 * Jobs run for their trace duration from admission; a job preempted by {@code withinClusterQueue} starts over.
 * Controller cycles only run while something is pending (a cycle with nothing pending writes nothing; the multifactor
 * policy's decay then spans the idle gap in one step). A replay stops early, counting the rest as never started,
 * when jobs are pending, nothing runs, nothing more arrives and an admission pass admitted nothing.
 * The reconciler writes {@code spec.priority} without explanation annotations or Events (they would only grow memory).
 * Policy labels: any name {@link Policies#create} knows, plus {@code wdrf-noaging} (wdrf with aging coefficient 0).
 */
public final class Simulator {

    /** Instant of simulated time 0. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private static final int COMPLETE = 0;
    private static final int ARRIVE = 1;
    private static final int CYCLE = 2;
    private static final int ADMIT = 3;

    private static final byte WAITING = 0;
    private static final byte PENDING = 1;
    private static final byte RUNNING = 2;
    private static final byte DONE = 3;

    private Simulator() {
    }

    /** Engine policy name and aging coefficient of a policy label. */
    record PolicySpec(String label, String engineName, double agingCoefficient) {
        static PolicySpec of(String label, SimOptions options) {
            if ("wdrf-noaging".equals(label)) {
                return new PolicySpec(label, "wdrf", 0.0);
            }
            return new PolicySpec(label, label, options.agingCoefficient());
        }
    }

    /**
     * Checks that a policy label can be created.
     *
     * @throws IllegalArgumentException naming the known policies
     */
    public static void validatePolicy(String label, SimOptions options) {
        PolicySpec spec = PolicySpec.of(label, options);
        ClassLoader loader = Simulator.class.getClassLoader();
        if (!PolicyLabels.known(loader).contains(label)) {
            throw new IllegalArgumentException("--policies: no policy named '" + label + "'; known: "
                    + String.join(", ", PolicyLabels.known(loader)));
        }
        Policies.create(spec.engineName(), PolicyConfig.builder().agingCoefficient(spec.agingCoefficient()).build(),
                loader);
    }

    private record Event(long time, int kind, long seq, int job, int epoch) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(kind, o.kind);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Replays {@code trace} under policy {@code label}. */
    public static PolicyRun run(Trace trace, String label, SimOptions options, ProgressListener progress) {
        return new Run(trace, PolicySpec.of(label, options), options, progress).execute();
    }

    private static final class Run {
        final Trace trace;
        final PolicySpec spec;
        final SimOptions options;
        final ProgressListener progress;
        final List<SimJob> jobs;
        final int n;
        final ManualClock clock = new ManualClock(EPOCH);
        final InMemoryCluster cluster;
        final Reconciler reconciler;
        final PriorityQueue<Event> queue = new PriorityQueue<>();
        final Map<WorkloadId, Integer> index = new HashMap<>();
        final WorkloadId[] ids;
        final byte[] status;
        final long[] admittedAt;
        final long[] finishedAt;
        final int[] epoch;
        final int[] teamOf;
        final double[][] jobUsage;
        // teams and resources
        final String[] teams;
        final double[] weights;
        final String[] resources;
        final double[] capacity;
        final int gpuRes;
        final double[][] teamUsage;
        final int[] teamPending;
        final int[] teamRunning;
        int pending;
        int running;
        int finished;
        // event bookkeeping
        long seq;
        int nextArrival;
        boolean cycleScheduled;
        boolean admitScheduled;
        boolean dirty;
        long cycles;
        long admissions;
        long events;
        long engineNanos;
        long admissionNanos;
        // metric integrals
        long lastT;
        double allocArea;
        double jainArea;
        double contention;
        final double[] shareArea;
        final long bucket;
        final List<double[]> seriesAlloc = new ArrayList<>();
        final List<double[]> seriesShares = new ArrayList<>();
        final double[] shareNow;
        /** Active teams' shares at the current instant (reused by every step of {@link #advance}). */
        final double[] jainBuffer;
        /** Metrics hook: every job event goes here; {@link Fairness} and the per-job CSV are computed from it. */
        final Timeline timeline;
        /** Node-level placement after admission ({@code --placement}), or null: admitted jobs run at once. */
        final io.wdrf.sim.placement.Placements placement;

        Run(Trace trace, PolicySpec spec, SimOptions options, ProgressListener progress) {
            this.trace = trace;
            this.spec = spec;
            this.options = options;
            this.progress = progress;
            this.jobs = trace.jobs();
            this.n = jobs.size();
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
            preemptive = !ClusterQueueInfo.NEVER.equals(options.withinClusterQueue()) || options.kueue().reclaims();
            io.wdrf.api.PreemptionMode mode = io.wdrf.api.PreemptionMode.parse(options.preemption());
            protects = preemptive && (mode == io.wdrf.api.PreemptionMode.CLASSES || mode == io.wdrf.api.PreemptionMode.FAIR);
            teamUsage = new double[teams.length][resources.length];
            teamPending = new int[teams.length];
            teamRunning = new int[teams.length];
            shareArea = new double[teams.length];
            shareNow = new double[teams.length];
            jainBuffer = new double[teams.length];

            timeline = Timeline.of(trace);
            ids = new WorkloadId[n];
            status = new byte[n];
            admittedAt = new long[n];
            finishedAt = new long[n];
            epoch = new int[n];
            teamOf = new int[n];
            jobUsage = new double[n][];
            Arrays.fill(admittedAt, -1);
            Arrays.fill(finishedAt, -1);
            completeAt = new long[n];
            reservationBound = new long[n];
            Arrays.fill(reservationBound, -1);
            shadowBound = new long[n];
            Arrays.fill(shadowBound, -1);
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
            long lastArrival = n == 0 ? 0 : jobs.get(n - 1).arrivalMillis();
            bucket = Math.max(1000, lastArrival / options.seriesBuckets() + 1);

            InMemoryCluster.Builder b = InMemoryCluster.builder(clock)
                    .demandModel(new KueueDemandModel(c.excludeFromAdmission()))
                    .withoutInadmissibleReasons() // the replay never reads them; over a long queue they dominated
                    .flavor("default");
            Topologies.build(b, c, teams, options);
            c.nodes().forEach(b::node);
            cluster = b.build();
            placement = io.wdrf.sim.placement.Placements.create(options.kueue().placement(), c.nodes(),
                    jobs.stream().map(SimJob::requests).toList());

            PolicyConfig config = PolicyConfig.builder()
                    .tenantWeights(c.teamWeights())
                    .agingCoefficient(spec.agingCoefficient())
                    .maxAgingTime(options.maxAging())
                    .preemption(options.preemption())
                    .build();
            DemandModel demand = c.hami() ? new HamiDemandModel() : new KueueDemandModel();
            WdrfEngine engine = WdrfEngine.builder().config(config).policy(spec.engineName()).demandModel(demand)
                    .clock(clock).classLoader(Simulator.class.getClassLoader()).build();
            engineName = engine.policy().name();
            ReconcilerSettings settings = new ReconcilerSettings(options.loopInterval(), Duration.ZERO, false,
                    PriorityTarget.SPEC_PRIORITY, options.maxWritesPerCycle(), 3, Duration.ofHours(1), false, false,
                    options.minDelta(), options.writeOrdering());
            Reconciler.Builder rb = Reconciler.builder(cluster, cluster, engine).settings(settings);
            if (options.reservations()) {
                // starvation reservations (the engine's defaults: 24 h timeout, 100 gated)
                rb.reservations(io.wdrf.engine.ReservationSettings.defaults());
            }
            reconciler = rb.build();
            collapseBlocker = collapseBlocker(options);
            constantPlan = "fifo".equals(spec.engineName());
            baseIsDefault = config.priorityBase() == 0;
            pendingMin = new PendingMinimum(resources.length);
        }

        /**
         * Why controller cycles cannot be collapsed in this replay (null: they can). Collapsing is exact only when a
         * cycle's effect on the next admission is fully determined by the last cycle before it: the policy's plan is a
         * function of the cluster and the clock (built-in {@code fifo}, {@code drf}, {@code wdrf}; not multifactor's
         * decay, not the fair mode's ledger, not a plugin), the last cycle rewrites every priority that differs (no
         * hysteresis, no order-only write filter), admissions cannot preempt (a preempting queue makes every write an
         * admission trigger), and no reservation gates or node placement change what Kueue may admit.
         */
        private String collapseBlocker(SimOptions o) {
            if (o.fastForward() == FastForward.OFF) {
                return "--fast-forward off";
            }
            if (!java.util.Set.of("fifo", "drf", "wdrf").contains(spec.engineName())
                    || !spec.engineName().equals(engineName)) {
                return "policy " + spec.label() + " is not a stateless built-in (fifo, drf, wdrf)";
            }
            if (preemptive) {
                return "the ClusterQueue can preempt (every write may trigger an admission)";
            }
            if (io.wdrf.api.PreemptionMode.parse(o.preemption()) == io.wdrf.api.PreemptionMode.FAIR) {
                return "--preemption fair keeps a ledger across cycles";
            }
            if (o.reservations()) {
                return "--reserve (gates change what Kueue may admit)";
            }
            if (placement != null) {
                return "--placement (jobs start when placed)";
            }
            if (o.minDelta() != 0) {
                return "--min-delta " + o.minDelta() + " (what is stored depends on earlier cycles)";
            }
            if (o.writeOrdering() == io.wdrf.engine.WriteOrdering.ORDER_ONLY) {
                return "--write-order order-only (what is stored depends on earlier cycles)";
            }
            return null;
        }

        PolicyRun execute() {
            long wall0 = System.nanoTime();
            while (true) {
                Event head = queue.peek();
                boolean arrivalNext = nextArrival < n && (head == null
                        || jobs.get(nextArrival).arrivalMillis() < head.time()
                        || (jobs.get(nextArrival).arrivalMillis() == head.time() && ARRIVE < head.kind()));
                if (!arrivalNext && head == null) {
                    break;
                }
                Event e = arrivalNext ? new Event(jobs.get(nextArrival).arrivalMillis(), ARRIVE, 0, nextArrival++, 0)
                        : queue.poll();
                advance(e.time());
                clock.set(EPOCH.plusMillis(e.time()));
                events++;
                switch (e.kind()) {
                    case COMPLETE -> complete(e);
                    case ARRIVE -> arrive(e);
                    case CYCLE -> cycle(e);
                    default -> admit(e);
                }
                if (stuck) {
                    break;
                }
                if ((events & 0xFF) == 0) { // the listener throttles by wall time
                    progress.update(spec.label(), finished, n, lastT / 1000.0);
                }
            }
            progress.update(spec.label(), finished, n, lastT / 1000.0);
            long wall = (System.nanoTime() - wall0) / 1_000_000;

            return result(wall);
        }

        boolean stuck;
        long skippedAdmissions;
        /** The engine's policy name (a plugin could shadow nothing built in, but the check costs nothing). */
        String engineName;
        /** Null when controller cycles may be collapsed ({@code --fast-forward}), else why not. */
        final String collapseBlocker;
        /** The policy writes {@code priorityBase} for every pending workload whatever the state ({@code fifo}). */
        final boolean constantPlan;
        /**
         * {@code priorityBase} is 0, the effective priority of every workload this replay submits (no priority, no
         * boost): with {@link #constantPlan} no workload ever needs a write.
         */
        final boolean baseIsDefault;
        /** Per resource, the smallest request among pending jobs (conservative "does anything fit" test). */
        final PendingMinimum pendingMin;
        long skippedCycles;
        /** Arrivals since the last executed controller cycle. */
        long arrivalsSinceCycle;
        /** Writes the last executed controller cycle left for later because of {@code --max-writes}. */
        int lastDeferred;
        /** The last controller cycle on the grid was collapsed. */
        boolean afterSkip;
        /** Executed cycles after collapsed ones that hit {@code --max-writes} ({@code --fast-forward on} only). */
        long boundAfterSkip;
        /** Planned completion instant of each running job (valid while it runs), for the reservation bound. */
        long[] completeAt;
        /** Per reserved job: the bound on its wait fixed when its reservation started, ms (-1: never reserved). */
        long[] reservationBound;
        /** Jobs whose reservation is held now. */
        final java.util.BitSet reservedNow = new java.util.BitSet();
        long reservationsStarted;
        long boundViolations;
        long maxBoundSlackMs = Long.MIN_VALUE;
        long maxReservedWaitMs;
        /** Per reserved job: wait bound from the true completion times of the running jobs (-1: none). */
        long[] shadowBound;
        long shadowViolations;
        long maxShadowSlackMs = Long.MIN_VALUE;
        final java.util.BitSet pendingSet = new java.util.BitSet();
        final boolean preemptive;
        final boolean protects;

        private void push(long time, int kind, int job, int ep) {
            queue.add(new Event(time, kind, seq++, job, ep));
        }

        private void scheduleAdmit(long t) {
            dirty = true;
            if (!admitScheduled) {
                admitScheduled = true;
                push(t, ADMIT, -1, 0);
            }
        }

        private void scheduleCycle(long t) {
            if (!cycleScheduled) {
                long iv = options.loopInterval().toMillis();
                long next = ((t + iv - 1) / iv) * iv;
                cycleScheduled = true;
                push(next, CYCLE, -1, 0);
            }
        }

        private void arrive(Event e) {
            int j = e.job();
            SimJob job = jobs.get(j);
            Workload.Builder w = Workload.builder(job.team(), job.name(), clock.instant()).queueName("lq")
                    .podSets(List.of(PodSet.of("main", 1, job.requests())));
            if (!"normal".equals(job.workloadClass())) {
                w.labels(Map.of("wdrf.x-k8s.io/priority-override", job.workloadClass()));
            }
            cluster.submit(w.build());
            status[j] = PENDING;
            pending++;
            teamPending[teamOf[j]]++;
            pendingSet.set(j);
            pendingMin.add(jobUsage[j]);
            arrivalsSinceCycle++;
            timeline.arrived(j, e.time());
            scheduleAdmit(e.time());
            scheduleCycle(e.time());
        }

        private void complete(Event e) {
            int j = e.job();
            if (status[j] != RUNNING || epoch[j] != e.epoch()) {
                return; // stale: the job was preempted after this completion was scheduled
            }
            cluster.finish(ids[j]);
            cluster.delete(ids[j]);
            status[j] = DONE;
            finishedAt[j] = e.time();
            timeline.finished(j, e.time());
            running--;
            finished++;
            release(j);
            scheduleAdmit(e.time());
        }

        private void cycle(Event e) {
            cycleScheduled = false;
            if (pending == 0) {
                return;
            }
            long iv0 = options.loopInterval().toMillis();
            if (collapseBlocker == null && canCollapse(e.time(), e.time() + iv0)) {
                // nothing this cycle writes can be seen by an admission before the next cycle, which rewrites it all
                skippedCycles++;
                afterSkip = true;
                if (!dirty) {
                    checkStuck();
                }
                cycleScheduled = true;
                push(e.time() + iv0, CYCLE, -1, 0);
                return;
            }
            long t0 = System.nanoTime();
            CycleReport report = reconciler.runOnce();
            engineNanos += System.nanoTime() - t0;
            cycles++;
            if (!report.ok()) {
                throw new IllegalStateException("controller cycle failed at t=" + e.time() / 1000.0 + " s: " + report.error());
            }
            if (afterSkip && report.deferred() > 0) {
                if (options.fastForward() == FastForward.AUTO) {
                    // the write bound below guarantees this cannot happen: collapsing would not have been exact
                    throw new IllegalStateException("fast-forward: a cycle after collapsed ones deferred "
                            + report.deferred() + " writes at t=" + e.time() / 1000.0 + " s (use --fast-forward off)");
                }
                boundAfterSkip++;
            }
            if (collapseBlocker == null && constantPlan && baseIsDefault && report.writeResult() != null && !report.writeResult().items().isEmpty()
                    && options.fastForward() == FastForward.AUTO) {
                throw new IllegalStateException("fast-forward: fifo wrote " + report.writeResult().items().size()
                        + " priorities at t=" + e.time() / 1000.0 + " s; its cycles are collapsed as writing nothing"
                        + " (use --fast-forward off)");
            }
            afterSkip = false;
            arrivalsSinceCycle = 0;
            lastDeferred = report.deferred();
            trackReservations(e.time());
            if ((preemptive || report.gatesChanged() > 0) && report.writeResult() != null
                    && !report.writeResult().items().isEmpty()) {
                scheduleAdmit(e.time());
            } else if (!dirty) {
                checkStuck();
            }
            long iv = options.loopInterval().toMillis();
            cycleScheduled = true;
            push(e.time() + iv, CYCLE, -1, 0);
        }

        private void admit(Event e) {
            admitScheduled = false;
            if (!dirty) {
                return;
            }
            dirty = false;
            if (!preemptive && !anyPendingFits()) {
                skippedAdmissions++;
                checkStuck();
                return;
            }
            long t0 = System.nanoTime();
            AdmissionResult r = cluster.admissionCycle();
            admissionNanos += System.nanoTime() - t0;
            admissions++;
            java.util.Set<WorkloadId> neverRan = null;
            for (WorkloadId id : r.preempted()) {
                int j = index.get(id);
                if (status[j] != RUNNING) {
                    // admitted and preempted again within this cycle (the result lists lose the actions' order): the
                    // workload is pending again and never ran; counting it as preempted here and admitted below would
                    // leave a phantom pending job (and a running one Kueue does not have)
                    if (neverRan == null) {
                        neverRan = new java.util.HashSet<>();
                    }
                    neverRan.add(id);
                    continue;
                }
                timeline.evicted(j, e.time());
                status[j] = PENDING;
                epoch[j]++;
                running--;
                pending++;
                pendingSet.set(j);
                pendingMin.add(jobUsage[j]);
                teamPending[teamOf[j]]++;
                release(j);
                scheduleCycle(e.time());
            }
            for (WorkloadId id : r.admitted()) {
                int j = index.get(id);
                if (neverRan != null && neverRan.contains(id)
                        && cluster.workload(id).map(w -> w.phase() != io.wdrf.api.Phase.ADMITTED).orElse(true)) {
                    continue; // see above: it holds no quota after the cycle
                }
                timeline.admitted(j, e.time());
                status[j] = RUNNING;
                if (admittedAt[j] < 0) {
                    admittedAt[j] = e.time();
                }
                pending--;
                pendingSet.clear(j);
                pendingMin.remove(jobUsage[j]);
                running++;
                int t = teamOf[j];
                teamPending[t]--;
                teamRunning[t]++;
                double[] u = jobUsage[j];
                for (int k = 0; k < u.length; k++) {
                    teamUsage[t][k] += u[k];
                }
                if (reservedNow.get(j)) {
                    reservationEnded(j, e.time());
                }
                if (shadowBound[j] >= 0) {
                    long waited = e.time() - jobs.get(j).arrivalMillis();
                    maxShadowSlackMs = Math.max(maxShadowSlackMs, waited - shadowBound[j]);
                    if (waited > shadowBound[j]) {
                        shadowViolations++;
                    }
                    shadowBound[j] = -1;
                }
                if (reservationBound[j] >= 0) {
                    long waited = e.time() - jobs.get(j).arrivalMillis();
                    maxReservedWaitMs = Math.max(maxReservedWaitMs, waited);
                    maxBoundSlackMs = Math.max(maxBoundSlackMs, waited - reservationBound[j]);
                    if (waited > reservationBound[j]) {
                        boundViolations++;
                    }
                    reservationBound[j] = -1;
                }
                if (placement == null || placement.admitted(j, e.time())) {
                    start(j, e.time());
                } else {
                    completeAt[j] = Long.MAX_VALUE; // holds its quota, waits for a node (placement hook): no end yet
                }
            }
            if (pending != pendingSet.cardinality()) {
                // bookkeeping out of step with the cluster would keep the cycle grid running forever: fail loudly
                throw new IllegalStateException("replay bookkeeping: " + pending + " jobs counted pending but "
                        + pendingSet.cardinality() + " marked pending at t=" + e.time() / 1000.0 + " s");
            }
            if (r.admitted().isEmpty()) {
                checkStuck();
            } else if (protects) {
                protectNow(e);
            }
        }

        /**
         * Preemption modes classes/fair: the controller reacts to an admission (event-driven, debounced) before Kueue
         * retries a workload it found inadmissible, which Kueue does when quota is freed, not on admissions; so the
         * protection of a just-admitted workload is modelled as written at the same instant.
         */
        private void protectNow(Event e) {
            long t0 = System.nanoTime();
            CycleReport report = reconciler.runOnce();
            engineNanos += System.nanoTime() - t0;
            cycles++;
            if (!report.ok()) {
                throw new IllegalStateException("controller cycle failed at t=" + e.time() / 1000.0 + " s: " + report.error());
            }
            trackReservations(e.time());
        }

        /**
         * Whether the controller cycle at grid instant {@code g} can be skipped without changing the replay (the next
         * grid instant is {@code until}). Two conditions:
         * <ol>
         * <li>No admission cycle in [g, until) can admit: the one at {@code g} (if any) finds nothing that fits, and
         * neither does one after any completion or arrival in (g, until). Until something is admitted, the free quota
         * only grows (completions) and the pending set only grows (arrivals), so "something fits" is monotone over the
         * window: testing the state after every event of the window covers every admission cycle in it. The test is
         * conservative (per-resource minimum request against free quota), so it may only run cycles that could have
         * been skipped. Admission cycles at {@code until} follow that instant's controller cycle.</li>
         * <li>The next executed cycle writes every priority that differs from its plan (then what it leaves stored
         * does not depend on the skipped cycles, in this replay or in one that ran them): with
         * {@link FastForward#AUTO}, the workloads that may need a write there are at most {@code --max-writes} — the
         * pending workloads at the next grid instant (at most those pending now plus the arrivals up to it), or for
         * {@code fifo} (every plan is {@code priorityBase}) only the arrivals since the last executed cycle, provided
         * that cycle deferred nothing. By induction this holds for every later collapsed instant until a cycle runs.
         * {@link FastForward#ON} drops this condition (an approximation when the limit binds).</li>
         * </ol>
         * For {@code fifo} a cycle is also skipped, whatever the admissions, when the last executed cycle deferred
         * nothing and nothing arrived since, or {@code priorityBase} is 0 (what every submitted workload holds): every
         * pending workload already holds {@code priorityBase}, so the cycle would write nothing.
         */
        private boolean canCollapse(long g, long until) {
            if (constantPlan && lastDeferred == 0 && (arrivalsSinceCycle == 0 || (baseIsDefault && cycles > 0))) {
                // fifo: the last executed cycle left priorityBase on every workload pending then, and nothing
                // arrived since (nothing is requeued without preemption) or what arrived holds priorityBase already
                // (0, as submitted): this cycle would write nothing at all (the first cycle runs, as a check)
                return true;
            }
            if (options.fastForward() == FastForward.AUTO) {
                long arrivalsNext = 0;
                for (int k = nextArrival; k < n && jobs.get(k).arrivalMillis() <= until; k++) {
                    arrivalsNext++;
                }
                long mayNeed = constantPlan ? (lastDeferred > 0 ? Long.MAX_VALUE : arrivalsSinceCycle + arrivalsNext)
                        : (long) pending + arrivalsNext;
                if (mayNeed > options.maxWritesPerCycle()) {
                    return false;
                }
            }
            double[] free = freeWithTolerance();
            if (dirty && pendingMin.mayFit(free)) {
                return false; // the admission cycle at g itself may admit
            }
            boolean events = false;
            for (Event q : queue) {
                if (q.kind() == COMPLETE && q.time() > g && q.time() < until && status[q.job()] == RUNNING
                        && epoch[q.job()] == q.epoch()) {
                    double[] u = jobUsage[q.job()];
                    for (int r = 0; r < u.length; r++) {
                        free[r] += u[r];
                    }
                    events = true;
                }
            }
            double[] min = pendingMin.copy();
            for (int k = nextArrival; k < n && jobs.get(k).arrivalMillis() < until; k++) {
                events = true;
                double[] u = jobUsage[k];
                for (int r = 0; r < u.length; r++) {
                    min[r] = Math.min(min[r], u[r]);
                }
            }
            return !events || !PendingMinimum.mayFit(min, free);
        }

        /** Free quota per resource, with the tolerance in the pending jobs' favour that {@link #anyPendingFits} uses. */
        private double[] freeWithTolerance() {
            double[] free = new double[resources.length];
            for (int r = 0; r < resources.length; r++) {
                double used = 0;
                for (int t = 0; t < teams.length; t++) {
                    used += teamUsage[t][r];
                }
                free[r] = capacity[r] - used + 1e-6 * capacity[r] + 0.01;
            }
            return free;
        }

        /**
         * Whether any pending job could fit into the capacity left free (with a small tolerance in its favour). Without
         * preemption, an admission cycle in which no pending workload fits the quota admits nothing, so it is skipped
         * (the outcome is identical; quota is the only admission constraint of the model).
         */
        private boolean anyPendingFits() {
            double[] free = freeWithTolerance();
            if (!pendingMin.mayFit(free)) {
                return false; // some resource is short even for the smallest pending request
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

        /**
         * Reservations the last cycle holds: a new one fixes its job's bound, the wait so far plus the longest
         * remaining runtime of the jobs running now (the bound the reservation rules guarantee in a ClusterQueue
         * without borrowing); one no longer held ends (an admitted job ends its reservation when it is admitted).
         */
        private void trackReservations(long now) {
            if (!options.reservations()) {
                return;
            }
            java.util.BitSet held = new java.util.BitSet();
            for (WorkloadId id : reconciler.reservationHeads()) {
                Integer j = index.get(id);
                if (j != null && status[j] == PENDING) {
                    held.set(j);
                }
            }
            for (int j = held.nextSetBit(0); j >= 0; j = held.nextSetBit(j + 1)) {
                if (!reservedNow.get(j)) {
                    reservedNow.set(j);
                    reservationsStarted++;
                    timeline.reservationStarted(j, now);
                    long longest = 0;
                    for (int k = 0; k < n; k++) {
                        if (status[k] == RUNNING) {
                            longest = Math.max(longest, completeAt[k] - now);
                        }
                    }
                    long bound = now - jobs.get(j).arrivalMillis() + longest;
                    long shadow = shadowTime(j, now);
                    if (shadowBound[j] < 0 && shadow >= 0) {
                        shadowBound[j] = shadow - jobs.get(j).arrivalMillis();
                    }
                    if (reservationBound[j] < 0) {
                        reservationBound[j] = bound; // the first reservation's bound (a later one after a timeout does not reset it)
                    }
                }
            }
            for (int j = reservedNow.nextSetBit(0); j >= 0; j = reservedNow.nextSetBit(j + 1)) {
                if (!held.get(j)) {
                    reservationEnded(j, now);
                }
            }
        }

        /**
         * The instant the running jobs free enough for job {@code j} (their true completion times, in order), or -1
         * when even all of them do not: the tight form of the reservation bound (nothing that takes a lacking resource
         * is admitted while the reservation holds, so {@code j} starts no later than this).
         */
        private long shadowTime(int j, long now) {
            double[] free = new double[resources.length];
            for (int r = 0; r < resources.length; r++) {
                double used = 0;
                for (int t = 0; t < teams.length; t++) {
                    used += teamUsage[t][r];
                }
                free[r] = capacity[r] - used;
            }
            List<Integer> runningJobs = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (status[k] == RUNNING) {
                    runningJobs.add(k);
                }
            }
            runningJobs.sort(java.util.Comparator.comparingLong((Integer k) -> completeAt[k]).thenComparingInt(k -> k));
            if (fits(jobUsage[j], free)) {
                return now;
            }
            for (int k : runningJobs) {
                for (int r = 0; r < resources.length; r++) {
                    free[r] += jobUsage[k][r];
                }
                if (fits(jobUsage[j], free)) {
                    return Math.max(now, completeAt[k]);
                }
            }
            return -1;
        }

        private static boolean fits(double[] need, double[] free) {
            for (int r = 0; r < need.length; r++) {
                if (need[r] > free[r] + 1e-6 * Math.max(1, need[r])) {
                    return false;
                }
            }
            return true;
        }

        private void reservationEnded(int j, long now) {
            reservedNow.clear(j);
            timeline.reservationEnded(j, now);
        }

        /** Nothing runs, nothing will arrive, and an admission pass over an unchanged cluster admitted nothing. */
        private void checkStuck() {
            if (pending > 0 && running - (placement == null ? 0 : placement.waiting()) == 0 && nextArrival >= n) {
                stuck = true;
            }
        }

        /** Job j starts running at t (admitted, and placed when placement is on). */
        private void start(int j, long t) {
            // a restarted job resumes from its last checkpoint (0 saved when restarting from scratch)
            long saved = cluster.savedProgress(ids[j]).map(java.time.Duration::toMillis).orElse(0L);
            completeAt[j] = t + Math.max(0, jobs.get(j).durationMillis() - saved);
            push(completeAt[j], COMPLETE, j, epoch[j]);
        }

        private void release(int j) {
            if (placement != null) { // placement hook: the freed node share may start waiting jobs
                for (int q : placement.released(j, lastT)) {
                    start(q, lastT);
                }
            }
            int t = teamOf[j];
            teamRunning[t]--;
            double[] u = jobUsage[j];
            for (int k = 0; k < u.length; k++) {
                teamUsage[t][k] = Math.max(0, teamUsage[t][k] - u[k]);
            }
        }

        /** Integrates the metrics over [lastT, now). */
        private void advance(long now) {
            long dt = now - lastT;
            if (dt <= 0) {
                return;
            }
            double alloc = 0;
            for (int t = 0; t < teams.length; t++) {
                double s = 0;
                for (int r = 0; r < resources.length; r++) {
                    if (capacity[r] > 0) {
                        s = Math.max(s, teamUsage[t][r] / capacity[r]);
                    }
                }
                shareNow[t] = s / weights[t];
                shareArea[t] += shareNow[t] * dt;
                alloc += teamUsage[t][gpuRes];
            }
            alloc /= capacity[gpuRes];
            allocArea += alloc * dt;
            if (pending > 0) {
                int active = 0;
                for (int t = 0; t < teams.length; t++) {
                    if (teamPending[t] > 0 || teamRunning[t] > 0) {
                        active++;
                    }
                }
                double[] x = jainBuffer;
                int i = 0;
                for (int t = 0; t < teams.length; t++) {
                    if (teamPending[t] > 0 || teamRunning[t] > 0) {
                        x[i++] = shareNow[t];
                    }
                }
                jainArea += Metrics.jain(x, active) * dt;
                contention += dt;
            }
            // series buckets
            long t = lastT;
            while (t < now) {
                int bIdx = (int) (t / bucket);
                long end = Math.min(now, (bIdx + 1) * bucket);
                while (seriesAlloc.size() <= bIdx) {
                    seriesAlloc.add(new double[1]);
                    seriesShares.add(new double[teams.length]);
                }
                long piece = end - t;
                seriesAlloc.get(bIdx)[0] += alloc * piece;
                double[] sh = seriesShares.get(bIdx);
                for (int k = 0; k < teams.length; k++) {
                    sh[k] += shareNow[k] * piece;
                }
                t = end;
            }
            lastT = now;
        }

        private PolicyRun result(long wallMillis) {
            long end = lastT;
            double maxAging = options.maxAging().toMillis() / 1000.0;
            Map<String, TeamStats> perTeam = new LinkedHashMap<>();
            List<List<Integer>> byTeam = new ArrayList<>();
            for (int t = 0; t < teams.length; t++) {
                byTeam.add(new ArrayList<>());
            }
            List<Integer> all = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                byTeam.get(teamOf[j]).add(j);
                all.add(j);
            }
            for (int t = 0; t < teams.length; t++) {
                perTeam.put(teams[t], stats(byTeam.get(t), end, maxAging, end > 0 ? shareArea[t] / end : 0, weights[t]));
            }
            double totalShare = 0;
            for (int t = 0; t < teams.length; t++) {
                totalShare += end > 0 ? shareArea[t] / end : 0;
            }
            TeamStats overall = stats(all, end, maxAging, totalShare, 1.0);
            double[] waits = new double[n];
            for (int j = 0; j < n; j++) {
                waits[j] = wait(j, end);
            }
            Arrays.sort(waits);
            Fairness fairness = Fairness.of(timeline.end(end));
            if (options.reservations()) {
                System.err.printf(java.util.Locale.ROOT, "reservations %s: %d started; reserved jobs admitted within their"
                                + " bound (wait at reservation start + longest remaining runtime then): %s; max wait of a"
                                + " reserved job %.2f h, max (wait - bound) %.2f h%n", spec.label(), reservationsStarted,
                        boundViolations == 0 ? "all" : boundViolations + " not", maxReservedWaitMs / 3_600_000.0,
                        maxBoundSlackMs == Long.MIN_VALUE ? 0 : maxBoundSlackMs / 3_600_000.0);
                System.err.printf(java.util.Locale.ROOT, "reservations %s: tight bound (wait until the running jobs free"
                                + " enough, by their true completion times): %s; max (wait - tight bound) %.0f s%n",
                        spec.label(), shadowViolations == 0 ? "all within" : shadowViolations + " not within",
                        maxShadowSlackMs == Long.MIN_VALUE ? 0 : maxShadowSlackMs / 1000.0);
            }
            if (placement != null) {
                System.err.println(placement.summary(spec.label(), end));
            }
            System.err.println(fastForwardSummary());
            if (Boolean.getBoolean("wdrf.sim.deficit")) {
                long over24h = Arrays.stream(waits).filter(x -> x > 86_400).count();
                System.err.printf(java.util.Locale.ROOT, "probe %s deficit=%.1f GPU-h over24h=%d mean=%.1f min max=%.2f h preempt=%d%n",
                        spec.label(), fairness.overall().deficitGpuHours(), over24h, Arrays.stream(waits).average().orElse(0) / 60,
                        waits.length == 0 ? 0 : waits[waits.length - 1] / 3600, cluster.preemptions());
            }
            int nb = seriesAlloc.size();
            double[] alloc = new double[nb];
            Map<String, double[]> shares = new TreeMap<>();
            for (int t = 0; t < teams.length; t++) {
                shares.put(teams[t], new double[nb]);
            }
            for (int b = 0; b < nb; b++) {
                long width = Math.min(bucket, end - (long) b * bucket);
                if (width <= 0) {
                    continue;
                }
                alloc[b] = seriesAlloc.get(b)[0] / width;
                for (int t = 0; t < teams.length; t++) {
                    shares.get(teams[t])[b] = seriesShares.get(b)[t] / width;
                }
            }
            return new PolicyRun(spec.label(), overall, perTeam, end > 0 ? allocArea / end : 0,
                    contention > 0 ? jainArea / contention : 1.0, maxAging, cluster.totalWrites(), cluster.preemptions(),
                    cycles, skippedCycles, admissions, events, end / 1000.0, wallMillis, engineNanos / 1_000_000,
                    admissionNanos / 1_000_000, waits, new PolicyRun.Series(bucket / 1000.0, alloc, shares),
                    fairness, timeline);
        }

        /** One line for stderr: how many controller cycles were collapsed, and whether that was exact. */
        String fastForwardSummary() {
            long grid = cycles + skippedCycles;
            if (collapseBlocker != null) {
                return String.format(java.util.Locale.ROOT, "fast-forward %s: off (%s); %d controller cycles run",
                        spec.label(), collapseBlocker, cycles);
            }
            String exact = options.fastForward() == FastForward.AUTO ? "exact (auto)"
                    : boundAfterSkip == 0 ? "on; no executed cycle after collapsed ones hit --max-writes"
                    : "on, APPROXIMATE: " + boundAfterSkip + " executed cycles after collapsed ones hit --max-writes";
            return String.format(java.util.Locale.ROOT, "fast-forward %s: %d of %d controller cycles collapsed (%.1f%%), %d run; %s",
                    spec.label(), skippedCycles, grid, grid == 0 ? 0.0 : 100.0 * skippedCycles / grid, cycles, exact);
        }

        private double wait(int j, long end) {
            long from = jobs.get(j).arrivalMillis();
            long to = admittedAt[j] >= 0 ? admittedAt[j] : end;
            return Math.max(0, to - from) / 1000.0;
        }

        private TeamStats stats(List<Integer> js, long end, double maxAging, double meanShare, double weight) {
            double[] w = new double[js.size()];
            double jctSum = 0;
            int jctN = 0;
            int unstarted = 0;
            int starved = 0;
            for (int i = 0; i < js.size(); i++) {
                int j = js.get(i);
                w[i] = wait(j, end);
                if (admittedAt[j] < 0) {
                    unstarted++;
                }
                if (w[i] > maxAging) {
                    starved++;
                }
                if (finishedAt[j] >= 0) {
                    jctSum += (finishedAt[j] - jobs.get(j).arrivalMillis()) / 1000.0;
                    jctN++;
                }
            }
            Arrays.sort(w);
            return new TeamStats(js.size(), unstarted, Metrics.mean(w), Metrics.percentile(w, 50),
                    Metrics.percentile(w, 99), w.length == 0 ? Double.NaN : w[w.length - 1],
                    jctN == 0 ? Double.NaN : jctSum / jctN, starved, meanShare, weight);
        }
    }
}
