package io.wdrf.bench;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Workload;
import io.wdrf.api.DemandModel;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.WdrfEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one WDRF evaluation (demand, shares, progressive filling, policy, guard, plan) versus a bare sort of the
 * same pending workloads by a precomputed key — the floor any priority computation pays.
 *
 * <ul>
 *   <li>{@code wdrfSteadyState}: one long-lived engine, the same snapshot at the same instant every cycle (nothing
 *       changed): the last result is reused.</li>
 *   <li>{@code wdrfClockOnly}: one long-lived engine, the same snapshot, the clock 30 s further every cycle (a quiet
 *       cluster between two loop ticks): the context is reused with the waits moved; every decision is made again
 *       (its explanation carries the wait).</li>
 *   <li>{@code wdrfChurn}: one long-lived engine; before each cycle {@code churnPermille}‰ of the workloads change
 *       (new versions: two in three get a new resourceVersion and priority, as after a write; one in three is
 *       deleted and replaced by a new workload).</li>
 *   <li>{@code wdrfChurnAndClock}: both at once, as a controller's cycle sees the cluster — the churn above and the
 *       clock 30 s further.</li>
 *   <li>{@code bareSortChurned}: the bare sort in a JVM that churns as {@code wdrfChurn}'s does (the same new
 *       workloads and snapshots before each invocation, the churned workloads' keys replaced): the baseline for the
 *       churn cases' wall time. The churn itself (not measured) leaves garbage and promotes the new workloads, and the
 *       collections that follow land in whatever is measured next; this baseline pays them too, so the ratio is the
 *       engine's own cost.</li>
 *   <li>{@code wdrfFromScratch}: what every cycle cost before the cache: a model without reuse scope, so every
 *       quantity of every workload and node is evaluated again.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar wdrf-benchmarks/target/wdrf-benchmarks.jar EngineBenchmark -p pending=100000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class EngineBenchmark {

    @Param({"10000", "100000"})
    public int pending;

    @Param({"1000"})
    public int tenants;

    @Param({"5000"})
    public int nodes;

    /** Workloads changed per churn cycle, per mille (10 = 1 %). */
    @Param({"10"})
    public int churnPermille;

    private ClusterSnapshot snapshot;
    private WdrfEngine engine;
    private WdrfEngine churnEngine;
    private WdrfEngine churnClockEngine;
    private java.time.Instant churnClock;
    private WdrfEngine clockEngine;
    private java.time.Instant clock;
    private WdrfEngine scratchEngine;
    private Keyed[] keyed;
    /** {@link #keyed} of the churning workloads (the same positions; a churned workload keeps its admissibility). */
    private Keyed[] keyedChurned;
    /** Position in {@link #keyed} of each workload of the snapshot, or -1 (not admissible). */
    private int[] keyedAt;
    private List<Workload> churning;
    private ClusterSnapshot churned;
    private Random churnRandom;
    private long nextVersion;
    private boolean churns;
    private int nextName;

    private record Keyed(long key, Workload workload) {
    }

    /** Sets up only the engine the running benchmark uses (at 1M pending three warm engines do not fit in 6 GB). */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        setUp(method);
    }

    /** Sets up every engine (for {@link EngineCpuRatio}). */
    public void setUp() {
        setUp("all");
    }

    private void setUp(String method) {
        boolean all = method.equals("all");
        churns = all || method.equals("wdrfChurn") || method.equals("wdrfChurnAndClock")
                || method.equals("bareSortChurned");
        snapshot = SyntheticCluster.build(pending, tenants, nodes, 42);
        PolicyConfig config = PolicyConfig.builder().capacitySource("nodes").build();
        engine = WdrfEngine.builder().config(config).build();
        churnEngine = WdrfEngine.builder().config(config).build();
        churnClockEngine = WdrfEngine.builder().config(config).build();
        churnClock = NOW;
        clockEngine = WdrfEngine.builder().config(config).build();
        clock = NOW;
        KueueDemandModel kueue = new KueueDemandModel();
        DemandModel noReuse = kueue::bind;
        scratchEngine = WdrfEngine.builder().config(config).demandModel(noReuse).build();
        churning = new ArrayList<>(snapshot.workloads());
        churnRandom = new Random(7);
        nextVersion = 10_000_000;
        nextName = churning.size();
        churned = snapshot;
        if (all || method.equals("wdrfSteadyState")) {
            engine.evaluate(snapshot, NOW);
        }
        if (all || method.equals("wdrfChurn")) {
            churnEngine.evaluate(snapshot, NOW);
        }
        if (all || method.equals("wdrfChurnAndClock")) {
            churnClockEngine.evaluate(snapshot, churnClock);
        }
        if (all || method.equals("wdrfClockOnly")) {
            clockEngine.evaluate(snapshot, clock);
        }
        List<Workload> all0 = snapshot.workloads();
        keyedAt = new int[all0.size()];
        List<Workload> ws = new ArrayList<>();
        for (int i = 0; i < all0.size(); i++) {
            keyedAt[i] = all0.get(i).isAdmissible() ? ws.size() : -1;
            if (keyedAt[i] >= 0) {
                ws.add(all0.get(i));
            }
        }
        keyed = new Keyed[ws.size()];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = keyOf(ws.get(i), i);
        }
        keyedChurned = keyed.clone();
    }

    private static Keyed keyOf(Workload w, int i) {
        return new Keyed(w.creationTime().toEpochMilli() ^ (i * 0x9E3779B97F4A7C15L), w);
    }

    private static final java.time.Instant NOW = SyntheticCluster.T0.plusSeconds(86_400);

    /** Changes {@code churnPermille}‰ of the workloads before each churn cycle (not measured). */
    @Setup(Level.Invocation)
    public void churn() {
        if (!churns) {
            return;
        }
        int n = Math.max(1, churning.size() * churnPermille / 1000);
        for (int k = 0; k < n; k++) {
            int i = churnRandom.nextInt(churning.size());
            Workload w = churning.get(i);
            Workload next;
            if (k % 3 == 2) {
                int name = nextName++;
                next = Workload.builder(w.id().namespace(), "new-" + name, w.creationTime()).uid("uid-new-" + name)
                        .queueName(w.queueName()).resourceVersion(String.valueOf(nextVersion++))
                        .podSets(w.podSets()).trueConditions(w.trueConditions()).build();
            } else {
                next = w.toBuilder().resourceVersion(String.valueOf(nextVersion++)).priority(churnRandom.nextInt(100_000)).build();
            }
            churning.set(i, next);
            if (keyedAt[i] >= 0) {
                keyedChurned[keyedAt[i]] = keyOf(next, keyedAt[i]);
            }
        }
        churned = ClusterSnapshot.builder(snapshot.takenAt()).workloads(churning).nodes(snapshot.nodes())
                .clusterQueues(snapshot.clusterQueues()).localQueues(snapshot.localQueues()).build();
    }

    @Benchmark
    public Evaluation wdrfSteadyState() {
        return engine.evaluate(snapshot, NOW);
    }

    @Benchmark
    public Evaluation wdrfClockOnly() {
        clock = clock.plusSeconds(30);
        return clockEngine.evaluate(snapshot, clock);
    }

    @Benchmark
    public Evaluation wdrfChurn() {
        return churnEngine.evaluate(churned, NOW);
    }

    @Benchmark
    public Evaluation wdrfChurnAndClock() {
        churnClock = churnClock.plusSeconds(30);
        return churnClockEngine.evaluate(churned, churnClock);
    }

    @Benchmark
    public Evaluation wdrfFromScratch() {
        return scratchEngine.evaluate(snapshot, NOW);
    }

    @Benchmark
    public Keyed[] bareSortChurned() {
        return sorted(keyedChurned);
    }

    @Benchmark
    public Keyed[] bareSortByPrecomputedKey() {
        return sorted(keyed);
    }

    private static Keyed[] sorted(Keyed[] keyed) {
        Keyed[] copy = Arrays.copyOf(keyed, keyed.length);
        Arrays.sort(copy, Comparator.comparingLong(Keyed::key).thenComparing(k -> k.workload().id()));
        return copy;
    }
}
