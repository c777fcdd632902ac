package io.wdrf.bench.sim;

import io.wdrf.sim.PolicyRun;
import io.wdrf.sim.ProgressListener;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Simulator;
import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.util.concurrent.TimeUnit;

/**
 * Simulator throughput: one full replay of a seeded synthetic trace (Poisson arrivals at 90% load, 1–8 GPU jobs,
 * exponential 1 h durations) through the real engine and the in-memory Kueue model. The {@code events} counter gives
 * events per second (JMH reports it as a rate next to the replay time).
 *
 * <p>Run: {@code java -jar wdrf-benchmarks/target/wdrf-benchmarks.jar SimulatorBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class SimulatorBenchmark {

    @Param({"2000"})
    public int jobs;

    @Param({"64"})
    public int gpus;

    @Param({"fifo", "wdrf"})
    public String policy;

    private Trace trace;

    /** Events processed, reported by JMH as a rate (events/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;
    }

    @Setup(Level.Trial)
    public void setUp() {
        trace = Traces.synthetic(42, jobs, 8, gpus, 0.9);
    }

    @Benchmark
    public PolicyRun replay(Events counter) {
        PolicyRun r = Simulator.run(trace, policy, SimOptions.defaults(), ProgressListener.NONE);
        counter.events += r.events();
        return r;
    }
}
