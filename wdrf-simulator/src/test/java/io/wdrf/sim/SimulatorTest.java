package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Small traces whose outcome is known by hand. */
class SimulatorTest {

    private static final String GPU = Traces.GPU;

    static SimJob job(String name, String team, double arrivalS, double durationS, int gpus) {
        return new SimJob(name, team, Math.round(arrivalS * 1000), Math.round(durationS * 1000),
                Map.of(GPU, Integer.toString(gpus)), Map.of(GPU, (double) gpus), "normal");
    }

    static Trace trace(int gpus, Map<String, Double> weights, List<SimJob> jobs) {
        SimCluster c = new SimCluster(Map.of(GPU, Integer.toString(gpus)), Map.of(GPU, (double) gpus), GPU, List.of(),
                false, List.of(), weights, "test");
        return new Trace("test", c, Traces.sorted(jobs), List.of(), 0);
    }

    /** Team A submits 10 jobs of 4 GPUs at t=0, team B one 1-GPU job at t=1 s; 4 GPUs; every job runs 100 s. */
    static Trace tenBigThenOneSmall() {
        List<SimJob> jobs = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            jobs.add(job(String.format("a-%02d", i), "team-a", 0, 100, 4));
        }
        jobs.add(job("b-01", "team-b", 1, 100, 1));
        return trace(4, Map.of(), jobs);
    }

    private static double waitOf(PolicyRun r, String team) {
        return r.teams().get(team).maxWait();
    }

    @Test
    void fifoMakesTheSmallTeamWaitForAllBigJobs() {
        PolicyRun r = Simulator.run(tenBigThenOneSmall(), "fifo", SimOptions.defaults(), ProgressListener.NONE);
        // a-01 runs 0..100, a-02 100..200, ..., a-10 900..1000; b waits from 1 s until 1000 s
        assertThat(waitOf(r, "team-b")).isEqualTo(999.0);
        assertThat(r.teams().get("team-a").meanWait()).isEqualTo(450.0); // (0+100+...+900)/10
        assertThat(r.teams().get("team-a").maxWait()).isEqualTo(900.0);
        assertThat(r.makespanSeconds()).isEqualTo(1100.0);
        assertThat(r.writes()).isZero(); // fifo keeps every priority at the base value
        assertThat(r.preemptions()).isZero();
    }

    @Test
    void drfAdmitsTheSmallTeamAtTheFirstRelease() {
        for (String policy : List.of("drf", "wdrf", "wdrf-noaging")) {
            PolicyRun r = Simulator.run(tenBigThenOneSmall(), policy, SimOptions.defaults(), ProgressListener.NONE);
            // the t=30 s cycle puts b (level 0) above a's queue (level >= 1); a-01 ends at 100 s -> b admitted then
            assertThat(waitOf(r, "team-b")).as(policy).isEqualTo(99.0);
            // b holds 1 GPU 100..200, so a-02 starts at 200, a-03 at 300, ..., a-10 at 1000
            assertThat(r.teams().get("team-a").maxWait()).as(policy).isEqualTo(1000.0);
            assertThat(r.teams().get("team-a").meanWait()).as(policy).isEqualTo((0 + 200 + 300 + 400 + 500 + 600 + 700
                    + 800 + 900 + 1000) / 10.0);
            assertThat(r.writes()).as(policy).isPositive();
            assertThat(r.preemptions()).as(policy).isZero();
        }
    }

    @Test
    void weightsDoubleATeamsFairLevel() {
        // 4 GPUs; A (weight 2) and B (weight 1) each queue 3 one-GPU jobs behind a 4-GPU job of C that runs 0..100.
        // At 100 s the cycle has ordered pending by weighted level: A's levels 0, 0.125, 0.25; B's 0, 0.25, 0.5.
        // Admission at 100 s takes the 4 highest: A0, B0 (level 0, tie broken by creation), A1 (0.125), then A2/B1
        // at 0.25 tie -> creation order: A's jobs were created first, so A2. B gets 1 of 4 GPUs, A gets 3.
        List<SimJob> jobs = new ArrayList<>();
        jobs.add(job("c-1", "team-c", 0, 100, 4));
        for (int i = 0; i < 3; i++) {
            jobs.add(job("a-" + i, "team-a", 1 + i, 1000, 1));
        }
        for (int i = 0; i < 3; i++) {
            jobs.add(job("b-" + i, "team-b", 10 + i, 1000, 1));
        }
        PolicyRun r = Simulator.run(trace(4, Map.of("team-a", 2.0), jobs), "drf", SimOptions.defaults(),
                ProgressListener.NONE);
        assertThat(r.teams().get("team-a").maxWait()).isEqualTo(99.0); // a-0..a-2 all start at 100 s
        // b-0 starts at 100 s (waited 90 s); b-1, b-2 start when the first A/B jobs end at 1100 s
        assertThat(r.teams().get("team-b").p50Wait()).isEqualTo(1100.0 - 12);
        assertThat(r.teams().get("team-b").maxWait()).isEqualTo(1100.0 - 11);
        assertThat(r.teams().get("team-b").meanWait()).isEqualTo((90 + 1088 + 1089) / 3.0);
    }

    @Test
    void timeWeightedAllocationAndJainIndexFollowTheDefinitions() {
        // x: 2 GPUs 0..100; y: 4 GPUs waits until 100, runs 100..200 -> allocation 0.5 then 1.0 -> 0.75
        Trace t = trace(4, Map.of(), List.of(job("x", "team-a", 0, 100, 2), job("y", "team-b", 0, 100, 4)));
        PolicyRun r = Simulator.run(t, "fifo", SimOptions.defaults(), ProgressListener.NONE);
        assertThat(r.makespanSeconds()).isEqualTo(200.0);
        assertThat(r.allocationRate()).isCloseTo(0.75, within(1e-12));
        // contention only on [0, 100): active teams a (share 0.5) and b (share 0) -> Jain = 0.25 / (2 * 0.25) = 0.5
        assertThat(r.jain()).isCloseTo(0.5, within(1e-12));
        assertThat(r.teams().get("team-a").meanShare()).isCloseTo(0.5 * 100 / 200, within(1e-12));
        assertThat(r.teams().get("team-b").meanShare()).isCloseTo(1.0 * 100 / 200, within(1e-12));
        assertThat(r.overall().meanJct()).isCloseTo((100 + 200) / 2.0, within(1e-12));
        assertThat(r.series().allocation()).isNotEmpty();
    }

    @Test
    void starvationCountsJobsWaitingLongerThanMaxAging() {
        Trace t = trace(1, Map.of(), List.of(job("x", "team-a", 0, 7200, 1), job("y", "team-b", 0, 60, 1),
                job("z", "team-b", 0, 60, 1)));
        SimOptions o = new SimOptions(Duration.ofSeconds(30), 1.0, Duration.ofHours(1), "Never", 1000, 240);
        PolicyRun r = Simulator.run(t, "fifo", o, ProgressListener.NONE);
        // y waits 7200 s, z 7260 s: both beyond the 3600 s MAX_AGING_TIME
        assertThat(r.overall().starved()).isEqualTo(2);
        assertThat(r.overall().maxWait()).isEqualTo(7260.0);
        assertThat(r.overall().maxWait() / r.maxAgingSeconds()).isCloseTo(7260.0 / 3600, within(1e-12));
    }

    @Test
    void lowerPriorityPreemptionIsCountedAndPreemptedJobsRestart() {
        // 4 GPUs; team A fills the cluster at t=0 with 4 long jobs; team B submits one job at t=5.
        // With withinClusterQueue LowerPriority and the preemption guard allowing it? The guard never raises a
        // pending workload above admitted work it could preempt, so WDRF causes no preemption: count stays 0.
        List<SimJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(job("a-" + i, "team-a", 0, 1000, 1));
        }
        jobs.add(job("b-0", "team-b", 5, 100, 1));
        SimOptions o = new SimOptions(Duration.ofSeconds(30), 1.0, Duration.ofHours(24), "LowerPriority", 1000, 240);
        PolicyRun r = Simulator.run(trace(4, Map.of(), jobs), "wdrf", o, ProgressListener.NONE);
        assertThat(r.preemptions()).isZero();
        assertThat(r.teams().get("team-b").maxWait()).isEqualTo(995.0);
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        Trace t1 = Traces.synthetic(42, 150, 3, 16, 1.1);
        Trace t2 = Traces.synthetic(42, 150, 3, 16, 1.1);
        SimOptions o = new SimOptions(Duration.ofMinutes(5), 1.0, Duration.ofHours(24), "Never", 1000, 240);
        assertThat(t1.jobs()).isEqualTo(t2.jobs());
        for (String p : List.of("wdrf", "multifactor")) {
            PolicyRun a = Simulator.run(t1, p, o, ProgressListener.NONE);
            PolicyRun b = Simulator.run(t2, p, o, ProgressListener.NONE);
            assertThat(a.waits()).isEqualTo(b.waits());
            assertThat(a.teams()).isEqualTo(b.teams());
            assertThat(a.writes()).isEqualTo(b.writes());
            assertThat(a.allocationRate()).isEqualTo(b.allocationRate());
            assertThat(a.jain()).isEqualTo(b.jain());
            assertThat(a.series().allocation()).isEqualTo(b.series().allocation());
        }
        assertThat(Traces.synthetic(43, 150, 3, 16, 1.1).jobs()).isNotEqualTo(t1.jobs());
    }

    @Test
    void everyJobFinishesAndCountsAreConsistent() {
        Trace t = Traces.synthetic(7, 120, 4, 8, 1.3);
        SimOptions o = new SimOptions(Duration.ofMinutes(5), 1.0, Duration.ofHours(24), "Never", 1000, 240);
        for (String p : List.of("fifo", "drf", "wdrf", "wdrf-noaging", "multifactor")) {
            PolicyRun r = Simulator.run(t, p, o, ProgressListener.NONE);
            assertThat(r.overall().jobs()).isEqualTo(120);
            assertThat(r.overall().unstarted()).as(p).isZero();
            assertThat(r.teams().values().stream().mapToInt(TeamStats::jobs).sum()).isEqualTo(120);
            assertThat(r.allocationRate()).isBetween(0.0, 1.0);
            assertThat(r.jain()).isBetween(0.0, 1.0);
            assertThat(r.waits()).hasSize(120).isSorted();
        }
    }
}
