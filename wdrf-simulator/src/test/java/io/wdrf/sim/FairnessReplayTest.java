package io.wdrf.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fairness metrics fed by real replays (the simulator's hook into {@link Timeline}) and their reports. */
class FairnessReplayTest {

    private static final double H = 3600.0;

    @TempDir
    Path dir;

    @Test
    void fifoLeavesTheSmallTeamBelowItsShareFarLongerThanDrf() {
        // 4 GPUs; A: ten 4-GPU jobs at 0; B: one 1-GPU job at 1 s; all 100 s. From 1 s on F_B = 1, F_A = 3.
        // fifo: B waits 1..1000 holding 0 -> 999 GPU·s; A always holds ≥ its share while waiting. Each of a-02..a-10
        //       takes A above its share (4 > 3) and the room of B's fitting job: 9 inversions.
        // drf:  B is admitted at 100 (99 GPU·s); then A waits 100..200 holding 0 with share 3 (a-02 does not fit
        //       beside B's GPU): 300 GPU·s. No inversion (B has nothing pending when A's jobs start).
        Trace t = SimulatorTest.tenBigThenOneSmall();
        PolicyRun fifo = Simulator.run(t, "fifo", SimOptions.defaults(), ProgressListener.NONE);
        PolicyRun drf = Simulator.run(t, "drf", SimOptions.defaults(), ProgressListener.NONE);

        assertThat(fifo.fairness().overall().deficitGpuHours()).isCloseTo(999 / H, within(1e-9));
        assertThat(fifo.fairness().teams().get("team-b").deficitGpuHours()).isCloseTo(999 / H, within(1e-9));
        assertThat(fifo.fairness().teams().get("team-a").deficitGpuHours()).isZero();
        assertThat(drf.fairness().teams().get("team-b").deficitGpuHours()).isCloseTo(99 / H, within(1e-9));
        assertThat(drf.fairness().teams().get("team-a").deficitGpuHours()).isCloseTo(300 / H, within(1e-9));
        assertThat(fifo.fairness().overall().inversions()).isEqualTo(9);
        assertThat(fifo.fairness().teams().get("team-b").inversions()).isEqualTo(9);
        assertThat(drf.fairness().overall().inversions()).isZero();
        // within share at arrival: a-01 (A alone, D = 4 = C) and b-01 (D_B = 1 = F_B); waits 0 and 999 / 99
        assertThat(fifo.fairness().overall().withinShareJobs()).isEqualTo(2);
        assertThat(fifo.fairness().overall().withinShareMeanWait()).isEqualTo(999 / 2.0);
        assertThat(drf.fairness().overall().withinShareMeanWait()).isEqualTo(99 / 2.0);
        assertThat(fifo.fairness().contended()).isTrue();
        assertThat(fifo.fairness().overall().evictions()).isZero();
        assertThat(fifo.fairness().overall().reservations()).isZero();
        assertThat(fifo.fairness().jainAllocOverFairShare()).isBetween(0.0, 1.0);
    }

    @Test
    void theMetricsAreConsistentOnRandomReplays() {
        // seeded synthetic traces (1–8 GPU jobs, 90 % load): per-team sums match the overall figures, ratios stay in
        // range, nothing is lost without preemption, and replaying the recorded timeline gives the same numbers
        for (long seed = 1; seed <= 4; seed++) {
            Trace t = Traces.synthetic(seed, 300, 1 + (int) seed, 16, 0.9);
            for (String policy : List.of("fifo", "wdrf")) {
                PolicyRun r = Simulator.run(t, policy, SimOptions.defaults(), ProgressListener.NONE);
                Fairness f = r.fairness();
                double deficit = 0;
                long suffered = 0;
                int within = 0;
                for (Fairness.Stats s : f.teams().values()) {
                    assertThat(s.deficitGpuHours()).isGreaterThanOrEqualTo(0);
                    deficit += s.deficitGpuHours();
                    suffered += s.inversions();
                    within += s.withinShareJobs();
                    if (!Double.isNaN(s.allocOverFairShare())) {
                        assertThat(s.allocOverFairShare()).isGreaterThanOrEqualTo(0);
                    }
                }
                assertThat(f.overall().deficitGpuHours()).isCloseTo(deficit, within(1e-9 * (1 + deficit)));
                assertThat(f.overall().withinShareJobs()).isEqualTo(within).isBetween(1, 300);
                assertThat(f.overall().inversions()).isLessThanOrEqualTo(suffered);
                assertThat(f.overall().ftfJobs()).isEqualTo(300 - r.overall().unstarted());
                assertThat(f.overall().evictions()).isZero();
                assertThat(f.overall().lostGpuHours()).isZero();
                if (f.contended()) {
                    assertThat(f.jainAllocOverFairShare()).isGreaterThan(0).isLessThanOrEqualTo(1 + 1e-12);
                }
                // recomputing from the same timeline is deterministic
                assertThat(Fairness.of(r.timeline())).isEqualTo(f);
                long[] waits = r.timeline().waits();
                double mean = 0;
                for (long w : waits) {
                    mean += w / 1000.0 / waits.length;
                }
                assertThat(mean).as("the timeline's waits are the replay's").isCloseTo(r.overall().meanWait(),
                        within(1e-6 * (1 + mean)));
            }
        }
    }

    @Test
    void preemptionIsCountedAsEvictionsWithTheWorkLost() {
        // the simulator's preemptive case: team-a fills 4 GPUs, urgent team-b work arrives under LowerPriority
        Trace t = SimulatorTest.trace(4, Map.of(), List.of(SimulatorTest.job("a-1", "team-a", 0, 1000, 4),
                new SimJob("b-1", "team-b", 100_000, 100_000, Map.of(Traces.GPU, "4"), Map.of(Traces.GPU, 4.0), "urgent")));
        SimOptions o = new SimOptions(java.time.Duration.ofSeconds(30), 1.0, java.time.Duration.ofHours(24),
                "LowerPriority", 1000, 240, "allow");
        PolicyRun r = Simulator.run(t, "wdrf", o, ProgressListener.NONE);
        assertThat(r.preemptions()).as("the model preempted").isPositive();
        Fairness.Stats a = r.fairness().teams().get("team-a");
        assertThat(a.evictions()).isEqualTo(r.preemptions());
        // a-1 ran from 0 until it was evicted at the first cycle after b-1 arrived (≥ 100 s): ≥ 4 GPUs × 100 s lost
        assertThat(a.lostGpuHours()).isGreaterThanOrEqualTo(400 / H);
        assertThat(r.fairness().overall().lostGpuHours()).isEqualTo(a.lostGpuHours());
    }

    private static Trace noContention() {
        return SimulatorTest.trace(8, Map.of(), List.of(SimulatorTest.job("a-1", "team-a", 0, 100, 2),
                SimulatorTest.job("b-1", "team-b", 10, 100, 2), SimulatorTest.job("a-2", "team-a", 20, 100, 4)));
    }

    @Test
    void aReplayWithoutContentionSaysSoInsteadOfAPerfectScore() {
        PolicyRun r = Simulator.run(noContention(), "wdrf", SimOptions.defaults(), ProgressListener.NONE);
        assertThat(r.fairness().contended()).isFalse();
        assertThat(r.fairness().jainAllocOverFairShare()).isNaN();
        String table = Report.table(noContention(), List.of(r), false);
        assertThat(table).contains("no contention").contains("wdrf: no contention: every job was admitted on arrival")
                .doesNotContain("1.000");
        List<String> csv = Report.summaryCsv(List.of(r)).lines().toList();
        List<String> head = List.of(csv.get(0).split(","));
        String[] all = csv.get(1).split(",", -1);
        assertThat(all[head.indexOf("jain_weighted_dominant_share")]).as("no Jain value in the CSV").isEmpty();
        assertThat(all[head.indexOf("jain_alloc_over_fair_share")]).isEmpty();
        assertThat(Report.json(noContention(), List.of(r), Map.of())).contains("\"jainWeightedDominantShare\": null")
                .contains("\"jainAllocOverFairShare\": null").contains("\"contended\": false");
    }

    @Test
    void theJobsCsvHoldsEveryAdmissionEvictionAndFinish() throws IOException {
        Path s = dir.resolve("s.yaml");
        Files.writeString(s, """
                name: two-teams
                cluster: {quota: {nvidia.com/gpu: 4}}
                jobs:
                  - {name: a, team: team-a, arrival: 0s, duration: 100s, requests: {nvidia.com/gpu: 4}, count: 2}
                  - {name: b, team: team-b, arrival: 1s, duration: 100s, requests: {nvidia.com/gpu: 1}}
                """);
        Path o = dir.resolve("out");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulateCommand.run(new String[] {"--trace", "scenario", "--file", s.toString(), "--policies", "fifo",
            "--out", o.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> rows = Files.readAllLines(o.resolve("jobs.csv"));
        assertThat(rows.get(0)).isEqualTo("policy,job,team,requests,gpus,arrival_s,duration_s,admissions_s,"
                + "evictions_s,finish_s,wait_s,within_share,static_share_jct_s,ftf");
        assertThat(rows).hasSize(4);
        // fifo: a-1 runs 0..100, a-2 100..200, b 200..300. Static shares: 2 GPUs each, so a-1 (4 GPUs) is
        // stretched to 200 s and a-2 queues behind it (JCT 400); b would run at once (100 s): ρ = 299 / 100.
        assertThat(rows.subList(1, 4)).containsExactly(
                "fifo,a-1,team-a,nvidia.com/gpu=4,4,0,100,0,,100,0,1,200,0.5",
                "fifo,a-2,team-a,nvidia.com/gpu=4,4,0,100,100,,200,100,0,400,0.5",
                "fifo,b,team-b,nvidia.com/gpu=1,1,1,100,200,,300,199,1,100,2.99");
        assertThat(Report.csv("b,1")).isEqualTo("\"b,1\"");
        assertThat(Report.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Report.csv("plain")).isEqualTo("plain");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("deficit GPU-h").contains("Jain alloc/fair");
        assertThat(Files.readString(o.resolve("summary.csv")).lines().findFirst().orElseThrow())
                .contains("jain_weighted_dominant_share").contains("fair_share_deficit_gpu_h")
                .doesNotContain(",jain,");
        assertThat(Files.readString(o.resolve("report.html"))).contains("Fairness against the demand-aware fair share")
                .contains("deficit GPU-h").contains("Fair-share deficit over time");
    }

    @Test
    void theUsageAndTheUnknownPolicyErrorListEveryPolicy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(SimulateCommand.run(new String[] {"--trace", "synthetic", "--policies", "fifo,nope"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no policy named 'nope'")
                .contains("wdrf, drf, fifo, multifactor, wdrf-noaging");
        assertThat(SimulateCommand.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("policies: wdrf, drf, fifo, multifactor, wdrf-noaging");
        assertThat(PolicyLabels.known(getClass().getClassLoader())).contains("wdrf-noaging").containsAll(
                io.wdrf.engine.Policies.BUILT_IN);
    }
}
