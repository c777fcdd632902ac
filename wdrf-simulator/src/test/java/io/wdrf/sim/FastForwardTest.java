package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --fast-forward}: collapsing controller cycles that no admission can see must leave every job's admissions,
 * evictions and finish unchanged ({@link FastForward#AUTO}), and must fall back where it would not be exact.
 */
class FastForwardTest {

    /**
     * 8 GPUs, three teams (weights 1, 2, 4), 120 seeded jobs of 1-8 GPUs over ~4 h, 5-60 min each: long queues, many
     * instants at which nothing fits, and completions between grid points.
     */
    static Trace contended(long seed) {
        Random rnd = new Random(seed);
        List<SimJob> jobs = new ArrayList<>();
        double t = 0;
        String[] teams = {"team-a", "team-b", "team-c"};
        int[] sizes = {1, 1, 1, 2, 2, 4, 8};
        for (int i = 0; i < 120; i++) {
            t += -Math.log(1 - rnd.nextDouble()) * 120; // mean 2 min apart
            double duration = 300 + rnd.nextInt(3300) + rnd.nextInt(1000) / 1000.0; // off the 30 s grid
            jobs.add(SimulatorTest.job(String.format("j-%03d", i), teams[rnd.nextInt(3)], Math.round(t * 1000) / 1000.0,
                    duration, sizes[rnd.nextInt(sizes.length)]));
        }
        return SimulatorTest.trace(8, Map.of("team-b", 2.0, "team-c", 4.0), jobs);
    }

    static SimOptions options(int maxWrites, FastForward ff) {
        return new SimOptions(Duration.ofSeconds(30), 1.0, Duration.ofHours(2), "Never", maxWrites, 240)
                .withFastForward(ff);
    }

    /** Every job's admission times, eviction times and finish, in job order. */
    static String perJob(PolicyRun r) {
        Timeline tl = r.timeline();
        return Arrays.deepToString(tl.timesOf(Timeline.Kind.ADMIT)) + Arrays.deepToString(tl.timesOf(Timeline.Kind.EVICT))
                + Arrays.toString(tl.finishes());
    }

    static PolicyRun run(Trace t, String policy, SimOptions o) {
        return Simulator.run(t, policy, o, ProgressListener.NONE);
    }

    @Test
    void collapsingChangesNoJobAndSkipsCycles() {
        for (long seed : new long[] {1, 2}) {
            Trace t = contended(seed);
            for (String policy : List.of("fifo", "drf", "wdrf")) {
                PolicyRun off = run(t, policy, options(1000, FastForward.OFF));
                PolicyRun auto = run(t, policy, options(1000, FastForward.AUTO));
                String what = policy + " seed " + seed;
                assertThat(off.skippedCycles()).as(what).isZero();
                assertThat(auto.skippedCycles()).as(what).isPositive();
                // every grid instant is either run or collapsed, and the event stream is the same
                assertThat(auto.cycles() + auto.skippedCycles()).as(what).isEqualTo(off.cycles());
                assertThat(auto.events()).as(what).isEqualTo(off.events());
                assertThat(perJob(auto)).as(what).isEqualTo(perJob(off));
                assertThat(auto.waits()).as(what).containsExactly(off.waits());
                assertThat(auto.makespanSeconds()).as(what).isEqualTo(off.makespanSeconds());
                assertThat(auto.fairness().overall().deficitGpuHours()).as(what)
                        .isEqualTo(off.fairness().overall().deficitGpuHours());
                assertThat(auto.admissionCycles()).as(what).isEqualTo(off.admissionCycles());
            }
        }
    }

    @Test
    void aBindingWriteLimitFallsBackToEveryCycle() {
        // two writes per cycle against queues of tens of workloads: wdrf's cycles are write-bound, so a collapsed
        // cycle would be replaced by one that writes a different two
        Trace t = contended(2);
        PolicyRun off = run(t, "wdrf", options(2, FastForward.OFF));
        PolicyRun auto = run(t, "wdrf", options(2, FastForward.AUTO));
        PolicyRun unbound = run(t, "wdrf", options(1000, FastForward.AUTO));
        assertThat(auto.skippedCycles()).isLessThan(unbound.skippedCycles() / 2);
        assertThat(perJob(auto)).isEqualTo(perJob(off));
        // forcing the collapse there is an approximation, and on this trace a visible one: the fallback is needed
        PolicyRun forced = run(t, "wdrf", options(2, FastForward.ON));
        assertThat(forced.skippedCycles()).isGreaterThan(auto.skippedCycles());
        assertThat(perJob(forced)).isNotEqualTo(perJob(off));
    }

    @Test
    void fifoWritesNothingSoItCollapsesWhateverTheLimit() {
        Trace t = contended(3);
        PolicyRun off = run(t, "fifo", options(1, FastForward.OFF));
        PolicyRun auto = run(t, "fifo", options(1, FastForward.AUTO));
        assertThat(off.writes()).isZero();
        assertThat(auto.skippedCycles()).isGreaterThan(auto.cycles());
        assertThat(perJob(auto)).isEqualTo(perJob(off));
    }

    @Test
    void replaysWhereCollapsingIsNotExactRunEveryCycle() {
        Trace t = contended(1);
        SimOptions base = options(1000, FastForward.AUTO);
        List<SimOptions> blocked = List.of(
                new SimOptions(base.loopInterval(), 1.0, base.maxAging(), "LowerPriority", 1000, 240), // preempts
                new SimOptions(base.loopInterval(), 1.0, base.maxAging(), "Never", 1000, 240, "classes", 50), // hysteresis
                new SimOptions(base.loopInterval(), 1.0, base.maxAging(), "Never", 1000, 240, "classes", 0,
                        KueueSetup.defaults(), false, io.wdrf.engine.WriteOrdering.ORDER_ONLY),
                new SimOptions(base.loopInterval(), 1.0, base.maxAging(), "Never", 1000, 240, "fair"));
        for (SimOptions o : blocked) {
            assertThat(o.fastForward()).isEqualTo(FastForward.AUTO);
            assertThat(run(t, "wdrf", o).skippedCycles()).as(o.toString()).isZero();
        }
        assertThat(run(t, "multifactor", base).skippedCycles()).isZero(); // decay state across cycles
    }

    @Test
    void parsesTheOption() {
        assertThat(FastForward.parse("auto")).isEqualTo(FastForward.AUTO);
        assertThat(FastForward.parse("ON")).isEqualTo(FastForward.ON);
        assertThat(FastForward.parse("false")).isEqualTo(FastForward.OFF);
        assertThat(SimulateCommand.simOptions(Map.of()).fastForward()).isEqualTo(FastForward.AUTO);
        assertThat(SimulateCommand.simOptions(Map.of("fast-forward", "off")).fastForward()).isEqualTo(FastForward.OFF);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FastForward.parse("sometimes"))
                .hasMessageContaining("--fast-forward");
    }
}
