package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link FairnessSweep}, {@link FinishTimeFairness} and {@link Fairness} on tiny timelines computed by hand. */
class FairnessSweepTest {

    private static final double H = 3600.0;
    private static final double TOL = 1e-9;

    /** A timeline over teams A, B, C... with the given weights; jobs as (team, GPUs, arrival s, duration s). */
    static Timeline timeline(double capacity, double[] weights, double[][] jobs) {
        String[] teams = new String[weights.length];
        for (int t = 0; t < teams.length; t++) {
            teams[t] = String.valueOf((char) ('A' + t));
        }
        int n = jobs.length;
        String[] names = new String[n];
        int[] team = new int[n];
        double[] gpus = new double[n];
        long[] arr = new long[n];
        long[] dur = new long[n];
        for (int j = 0; j < n; j++) {
            team[j] = (int) jobs[j][0];
            names[j] = teams[team[j]].toLowerCase() + j;
            gpus[j] = jobs[j][1];
            arr[j] = Math.round(jobs[j][2] * 1000);
            dur[j] = Math.round(jobs[j][3] * 1000);
        }
        return new Timeline(teams, weights, capacity, names, team, gpus, arr, dur);
    }

    private static long s(double seconds) {
        return Math.round(seconds * 1000);
    }

    @Test
    void deficitJainAndWithinShareOfTwoWaitingTeams() {
        // 8 GPUs, A and B weight 1. At t=0 arrive a0 (2), a1 (4), b2 (4), b3 (4); a0 and b2 are admitted.
        // Within-share at arrival: a0 (D_A=2 ≤ F_A=2), a1 (D_A=6 ≤ 6: A is alone), b2 (D=6,4: F_B=4), not b3 (D_B=8 > 4).
        // [0,100): F = 4, 4; A holds 2 (x = 0.5), B holds 4 (x = 1): Jain = 1.5² / (2 · 1.25) = 0.9; deficit A = 2·100.
        // At 100 a0 and b2 finish (demand 4 + 4 = 8 fits), a1 and b3 are admitted; they finish at 200.
        Timeline tl = timeline(8, new double[] {1, 1},
                new double[][] {{0, 2, 0, 100}, {0, 4, 0, 100}, {1, 4, 0, 100}, {1, 4, 0, 100}});
        tl.arrived(0, 0);
        tl.arrived(1, 0);
        tl.arrived(2, 0);
        tl.arrived(3, 0);
        tl.admitted(0, 0);
        tl.admitted(2, 0);
        tl.finished(0, s(100));
        tl.finished(2, s(100));
        tl.admitted(1, s(100));
        tl.admitted(3, s(100));
        tl.finished(1, s(200));
        tl.finished(3, s(200));
        Fairness f = Fairness.of(tl.end(s(200)));

        assertThat(f.contended()).isTrue();
        assertThat(f.jainAllocOverFairShare()).isCloseTo(0.9, within(TOL));
        assertThat(f.overall().deficitGpuHours()).isCloseTo(200 / H, within(TOL));
        assertThat(f.teams().get("A").deficitGpuHours()).isCloseTo(200 / H, within(TOL));
        assertThat(f.teams().get("B").deficitGpuHours()).isZero();
        assertThat(f.teams().get("A").allocOverFairShare()).isCloseTo(0.5, within(TOL));
        assertThat(f.teams().get("B").allocOverFairShare()).isCloseTo(1.0, within(TOL));
        assertThat(FairnessSweep.run(tl).withinShare()).containsExactly(true, true, true, false);
        assertThat(f.overall().withinShareJobs()).isEqualTo(3);
        assertThat(f.overall().withinShareMeanWait()).isCloseTo(100 / 3.0, within(TOL)); // waits 0, 100, 0
        assertThat(f.overall().withinShareP99Wait()).isEqualTo(100.0);
        assertThat(f.teams().get("B").withinShareJobs()).isEqualTo(1);
        assertThat(f.overall().inversions()).isZero();
    }

    @Test
    void anOverShareAdmissionThatTakesTheRoomOfAFittingJobIsAnInversion() {
        // 4 GPUs, A, B, C weight 1. c0 (4 GPUs) runs 0..100. a1 (2) arrives at 10, a2 (2) at 11, b3 (2) at 20.
        // Fair shares: from 10 A 2, C 2; from 20 all 4/3. At 100 c0 ends: F_A = 2, F_B = 2. a1 is admitted (A at 2 ≤ 2),
        // then a2 (A at 4 > 2) takes the last 2 GPUs that b3 (B at 0 + 2 ≤ 2) fitted: one inversion, B passed over.
        // Deficit: A waits 10..100 holding nothing: share 2 for 10 s, then 4/3 for 80 s; B waits 20..200: 4/3 for
        // 80 s, then 2 for 100 s.
        Timeline tl = timeline(4, new double[] {1, 1, 1},
                new double[][] {{2, 4, 0, 100}, {0, 2, 10, 100}, {0, 2, 11, 100}, {1, 2, 20, 100}});
        tl.arrived(0, 0);
        tl.admitted(0, 0);
        tl.arrived(1, s(10));
        tl.arrived(2, s(11));
        tl.arrived(3, s(20));
        tl.finished(0, s(100));
        tl.admitted(1, s(100));
        tl.admitted(2, s(100));
        tl.finished(1, s(200));
        tl.finished(2, s(200));
        tl.admitted(3, s(200));
        tl.finished(3, s(300));
        Fairness f = Fairness.of(tl.end(s(300)));

        assertThat(f.overall().inversions()).isEqualTo(1);
        assertThat(f.teams().get("B").inversions()).isEqualTo(1);
        assertThat(f.teams().get("A").inversions()).isZero();
        double a = 2 * 10 + 4.0 / 3 * 80;
        double b = 4.0 / 3 * 80 + 2 * 100;
        assertThat(f.teams().get("A").deficitGpuHours()).isCloseTo(a / H, within(TOL));
        assertThat(f.teams().get("B").deficitGpuHours()).isCloseTo(b / H, within(TOL));
        assertThat(f.overall().deficitGpuHours()).isCloseTo((a + b) / H, within(TOL));
        // every waiting team held nothing until 100, and only B waited after: all x = 0 counts as equal
        assertThat(f.jainAllocOverFairShare()).isEqualTo(1.0);
        // a1 within (D_A = 2 ≤ F_A = 2), a2 not (4 > 2), b3 not (2 > 4/3), c0 within (alone)
        assertThat(FairnessSweep.run(tl).withinShare()).containsExactly(true, true, false, false);
        // in buckets of 50 s: [0,50) A 2·10 + 4/3·30, B 4/3·30; [50,100) 4/3·50 each; [100,150), [150,200) B 2·50
        double[] series = FairnessSweep.run(tl, s(50)).deficitByBucket();
        assertThat(series).hasSize(7);
        assertThat(series[0]).isCloseTo(s(20 + 40 + 40), within(1e-6));
        assertThat(series[1]).isCloseTo(2 * 4.0 / 3 * 50 * 1000, within(1e-6));
        assertThat(series[2]).isCloseTo(s(100), within(1e-6));
        assertThat(series[3]).isCloseTo(s(100), within(1e-6));
        assertThat(series[4]).isZero();
        assertThat(java.util.Arrays.stream(series).sum() / H / 1000).isCloseTo((a + b) / H, within(TOL));
        assertThat(FairnessSweep.run(tl).deficitByBucket()).isEmpty();
    }

    @Test
    void anAdmissionWithinShareOrOneThatLeavesRoomIsNoInversion() {
        // 4 GPUs, A and B: b0 (2), a1 (1), b2 (1) arrive at 0; demands 1 + 3 fit, so F = D. Admitting b0 and b2 keeps
        // B within its share (3 ≤ 3); nobody waits for any time at all.
        Timeline tl = timeline(4, new double[] {1, 1}, new double[][] {{1, 2, 0, 100}, {0, 1, 0, 100}, {1, 1, 0, 100}});
        tl.arrived(0, 0);
        tl.arrived(1, 0);
        tl.arrived(2, 0);
        tl.admitted(0, 0);
        tl.admitted(2, 0);
        tl.admitted(1, 0);
        tl.finished(0, s(100));
        tl.finished(1, s(100));
        tl.finished(2, s(100));
        Fairness f = Fairness.of(tl.end(s(100)));
        assertThat(f.overall().inversions()).isZero();
        assertThat(f.contended()).isFalse();
        assertThat(f.jainAllocOverFairShare()).isNaN();
        assertThat(f.overall().deficitGpuHours()).isZero();
    }

    @Test
    void evictionsLoseTheWorkSinceTheLastAdmission() {
        // 2 GPUs: a0 (2) runs from 0, b1 (2) arrives at 10; at 30 a0 is evicted for b1, which runs to 130;
        // a0 restarts at 130. Lost: 2 GPUs × 30 s. b1's admission takes B above its share (2 > 1) but a0 would not fit
        // inside A's share either (2 > 1): no inversion.
        Timeline tl = timeline(2, new double[] {1, 1}, new double[][] {{0, 2, 0, 100}, {1, 2, 10, 100}});
        tl.arrived(0, 0);
        tl.admitted(0, 0);
        tl.arrived(1, s(10));
        tl.evicted(0, s(30));
        tl.admitted(1, s(30));
        tl.finished(1, s(130));
        tl.admitted(0, s(130));
        tl.finished(0, s(230));
        Fairness f = Fairness.of(tl.end(s(230)));
        assertThat(f.teams().get("A").evictions()).isEqualTo(1);
        assertThat(f.teams().get("A").lostGpuHours()).isCloseTo(60 / H, within(TOL));
        assertThat(f.teams().get("B").evictions()).isZero();
        assertThat(f.overall().evictions()).isEqualTo(1);
        assertThat(f.overall().lostGpuHours()).isCloseTo(60 / H, within(TOL));
        assertThat(f.overall().inversions()).isZero();
        assertThat(tl.timesOf(Timeline.Kind.ADMIT)[0]).containsExactly(0, s(130));
        assertThat(tl.timesOf(Timeline.Kind.EVICT)[0]).containsExactly(s(30));
        assertThat(tl.waits()).containsExactly(0, s(20)); // first admission counts
        // deficit: [10,30) B waits with share 1, holds 0 -> 20; [30,130) A waits with share 1, holds 0 -> 100
        assertThat(f.teams().get("B").deficitGpuHours()).isCloseTo(20 / H, within(TOL));
        assertThat(f.teams().get("A").deficitGpuHours()).isCloseTo(100 / H, within(TOL));
    }

    @Test
    void reservationsCountAndHoldTheIdleCapacityTheyKeep() {
        // 4 GPUs: a0 (3) runs 0..100; b1 (4) waits; a reservation for b1 from 10 keeps the free GPU idle until 100.
        Timeline tl = timeline(4, new double[] {1, 1}, new double[][] {{0, 3, 0, 100}, {1, 4, 0, 100}});
        tl.arrived(0, 0);
        tl.arrived(1, 0);
        tl.admitted(0, 0);
        tl.reservationStarted(1, s(10));
        tl.finished(0, s(100));
        tl.admitted(1, s(100));
        tl.reservationEnded(1, s(100));
        tl.finished(1, s(200));
        Fairness f = Fairness.of(tl.end(s(200)));
        assertThat(f.teams().get("B").reservations()).isEqualTo(1);
        assertThat(f.teams().get("B").reservedIdleGpuHours()).isCloseTo(90 / H, within(TOL));
        assertThat(f.teams().get("A").reservations()).isZero();
        assertThat(f.overall().reservedIdleGpuHours()).isCloseTo(90 / H, within(TOL));
    }

    @Test
    void staticShareJctIsStrictFifoOnTheWeightedPartition() {
        // 8 GPUs, A weight 3 -> 6 GPUs, B weight 1 -> 2 GPUs.
        // A: a0, a1 (4 GPUs each, 100 s, at 0): a0 0..100, a1 must wait for a0 -> JCT 200.
        // B: b2 (4 GPUs > 2: stretched to 200 s on the whole share) 0..200; b3 (1 GPU, 10 s, at 50) queues behind it
        //    even though nothing else runs: starts at 200 -> JCT 160.
        Timeline tl = timeline(8, new double[] {3, 1},
                new double[][] {{0, 4, 0, 100}, {0, 4, 0, 100}, {1, 4, 0, 100}, {1, 1, 50, 10}});
        assertThat(FinishTimeFairness.staticJct(tl)).containsExactly(s(100), s(200), s(200), s(160));
        // shared: a0, a1 run 0..100 (8 GPUs), then b2 100..200 and b3 100..110
        tl.arrived(0, 0);
        tl.arrived(1, 0);
        tl.arrived(2, 0);
        tl.admitted(0, 0);
        tl.admitted(1, 0);
        tl.arrived(3, s(50));
        tl.finished(0, s(100));
        tl.finished(1, s(100));
        tl.admitted(2, s(100));
        tl.admitted(3, s(100));
        tl.finished(3, s(110));
        tl.finished(2, s(200));
        double[] rho = FinishTimeFairness.ratios(tl.end(s(200)));
        assertThat(rho).containsExactly(new double[] {1.0, 0.5, 1.0, 60.0 / 160}, within(TOL));
        Fairness f = Fairness.of(tl);
        assertThat(f.overall().ftfJobs()).isEqualTo(4);
        assertThat(f.overall().ftfP50()).isCloseTo(0.5, within(TOL)); // sorted 0.375, 0.5, 1, 1: rank 2
        assertThat(f.overall().ftfP99()).isEqualTo(1.0);
        assertThat(f.teams().get("B").ftfP50()).isCloseTo(0.375, within(TOL));
    }

    @Test
    void aJobWithoutGpusIsNotQueuedOnTheStaticShare() {
        // 1 GPU for A alone: a0 holds it 0..100, a1 (1 GPU) queues until 100, a2 (no GPU, at 10) runs at once
        Timeline tl = timeline(1, new double[] {1}, new double[][] {{0, 1, 0, 100}, {0, 1, 5, 100}, {0, 0, 10, 30}});
        assertThat(FinishTimeFairness.staticJct(tl)).containsExactly(s(100), s(195), s(30));
    }

    @Test
    void unfinishedJobsHaveNoRatioAndWaitUntilTheEnd() {
        Timeline tl = timeline(1, new double[] {1}, new double[][] {{0, 1, 0, 100}, {0, 1, 0, 100}});
        tl.arrived(0, 0);
        tl.arrived(1, 0);
        tl.admitted(0, 0);
        tl.end(s(50));
        assertThat(FinishTimeFairness.ratios(tl)[0]).isNaN();
        assertThat(tl.waits()).containsExactly(0, s(50));
        assertThat(Fairness.of(tl).overall().ftfJobs()).isZero();
    }

    @Test
    void aTimelineRefusesEventsOutOfOrderAndUnknownJobs() {
        Timeline tl = timeline(1, new double[] {1}, new double[][] {{0, 1, 0, 100}});
        tl.arrived(0, s(10));
        assertThatThrownBy(() -> tl.admitted(0, s(5))).hasMessageContaining("after one at 10000 ms");
        assertThatThrownBy(() -> tl.admitted(1, s(20))).hasMessageContaining("no job 1");
    }
}
