package io.wdrf.bench.sim;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Workload;
import io.wdrf.bench.SyntheticCluster;
import io.wdrf.engine.Evaluation;
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

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One WDRF evaluation over a million pending workloads, next to a bare sort of the same workloads by a precomputed key
 * in the same run (the ratio of the two scores is the engine's overhead over the floor).
 *
 * <p>Run: {@code java -jar wdrf-benchmarks/target/wdrf-benchmarks.jar EngineScaleBenchmark} (needs ~10 GB heap).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx10g"})
public class EngineScaleBenchmark {

    @Param({"1000000"})
    public int pending;

    @Param({"1000"})
    public int tenants;

    @Param({"5000"})
    public int nodes;

    private ClusterSnapshot snapshot;
    private WdrfEngine engine;
    private Keyed[] keyed;

    private record Keyed(long key, Workload workload) {
    }

    @Setup(Level.Trial)
    public void setUp() {
        snapshot = SyntheticCluster.build(pending, tenants, nodes, 42);
        engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("nodes").build()).build();
        List<Workload> ws = snapshot.workloads().stream().filter(Workload::isAdmissible).toList();
        keyed = new Keyed[ws.size()];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = new Keyed(ws.get(i).creationTime().toEpochMilli() ^ (i * 0x9E3779B97F4A7C15L), ws.get(i));
        }
    }

    @Benchmark
    public Evaluation wdrfPlan() {
        return engine.evaluate(snapshot, SyntheticCluster.T0.plusSeconds(86_400));
    }

    @Benchmark
    public Keyed[] bareSort() {
        Keyed[] copy = Arrays.copyOf(keyed, keyed.length);
        Arrays.sort(copy, Comparator.comparingLong(Keyed::key).thenComparing(k -> k.workload().id()));
        return copy;
    }
}
