package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated Kueue topologies and their options, with outcomes worked by hand. */
class TopologiesTest {

    private static SimOptions options(KueueSetup k) {
        return new SimOptions(Duration.ofSeconds(30), 1.0, Duration.ofHours(24), "Never", 1000, 240, "guard", 0, k);
    }

    private static KueueSetup perTeam(String reclaim, Duration checkpoint) {
        return new KueueSetup(KueueSetup.Topology.PER_TEAM, reclaim, false, false, Duration.ofHours(168), checkpoint);
    }

    /** Whole units by largest remainder: 768 GPUs over weights 4:2:1 → 439, 219, 110 (sum 768). */
    @Test
    void nominalQuotasAddUpToTheCluster() {
        BigDecimal[] s = Topologies.split(new BigDecimal("768"), new double[] {4, 2, 1});
        assertThat(s).containsExactly(new BigDecimal("439"), new BigDecimal("219"), new BigDecimal("110"));
        BigDecimal[] half = Topologies.split(new BigDecimal("1.5"), new double[] {1, 1});
        assertThat(half[0].add(half[1])).isEqualByComparingTo("1.5");
    }

    /**
     * 4 GPUs, teams a and b with weight 1 (nominal 2 each). a-1 (4 GPUs, 1000 s) borrows b's quota at t=0; b-1 (2
     * GPUs, 100 s) arrives at t=100. Shared queue: b-1 waits until 1000, last completion 1100. Per team with
     * reclaimWithinCohort Any: b-1 reclaims at 100 and runs to 200; a-1 restarts at 200: from scratch it ends at
     * 1200, with 60 s checkpoints it keeps 60 s of its 100 s and ends at 1140. Without reclaim, per team behaves
     * like the shared queue.
     */
    @Test
    void perTeamReclaimAndCheckpoints() {
        Trace t = SimulatorTest.trace(4, Map.of(), List.of(SimulatorTest.job("a-1", "team-a", 0, 1000, 4),
                SimulatorTest.job("b-1", "team-b", 100, 100, 2)));
        PolicyRun shared = Simulator.run(t, "fifo", options(KueueSetup.defaults()), ProgressListener.NONE);
        assertThat(shared.makespanSeconds()).isEqualTo(1100);
        assertThat(shared.preemptions()).isZero();
        PolicyRun noReclaim = Simulator.run(t, "fifo", options(perTeam("Never", Duration.ZERO)), ProgressListener.NONE);
        assertThat(noReclaim.makespanSeconds()).isEqualTo(1100);
        PolicyRun scratch = Simulator.run(t, "fifo", options(perTeam("Any", Duration.ZERO)), ProgressListener.NONE);
        assertThat(scratch.preemptions()).isEqualTo(1);
        assertThat(scratch.makespanSeconds()).isEqualTo(1200);
        PolicyRun checkpointed = Simulator.run(t, "fifo", options(perTeam("Any", Duration.ofSeconds(60))),
                ProgressListener.NONE);
        assertThat(checkpointed.makespanSeconds()).isEqualTo(1140);
    }

    @Test
    void badOptionsAreRejectedWithTheirFlag() {
        assertThatThrownBy(() -> KueueSetup.Topology.parse("mesh")).hasMessageContaining("--topology");
        assertThatThrownBy(() -> perTeam("Sometimes", Duration.ZERO)).hasMessageContaining("--reclaim-within-cohort");
        assertThatThrownBy(() -> perTeam("Any", Duration.ofSeconds(-1))).hasMessageContaining("--checkpoint-interval");
    }
}
