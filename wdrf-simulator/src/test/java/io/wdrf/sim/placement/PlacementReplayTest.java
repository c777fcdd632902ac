package io.wdrf.sim.placement;

import io.wdrf.sim.KueueSetup;
import io.wdrf.sim.LoadOptions;
import io.wdrf.sim.PolicyRun;
import io.wdrf.sim.ProgressListener;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Simulator;
import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Placement in the replay: a pod that fits no node holds its quota and does not run until a node frees up. */
class PlacementReplayTest {

    @TempDir
    Path dir;

    /** One T4 node with 2 cards; three 0.6-GPU pods at t=0 for 100 s: Kueue's quota (200 cores) admits all three. */
    private Trace trace() throws IOException {
        Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"), """
                sn,cpu_milli,memory_mib,gpu,model
                node-a,32000,131072,2,T4
                """);
        Path pods = dir.resolve("openb_pod_list_default.csv");
        Files.writeString(pods, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                pod-1,1000,1024,1,600,,LS,Running,0,100,0
                pod-2,1000,1024,1,600,,LS,Running,0,100,0
                pod-3,1000,1024,1,600,,LS,Running,0,100,0
                """);
        return Traces.alibaba(pods, new LoadOptions(null, 1, 1.0, 0, 1, "trace", 1));
    }

    private static SimOptions with(PlacementPolicy p) {
        SimOptions d = SimOptions.defaults();
        KueueSetup k = d.kueue();
        return new SimOptions(d.loopInterval(), d.agingCoefficient(), d.maxAging(), d.withinClusterQueue(),
                d.maxWritesPerCycle(), d.seriesBuckets(), d.preemption(), d.minDelta(),
                new KueueSetup(k.topology(), k.reclaimWithinCohort(), k.kueueFairSharing(), k.admissionFairSharing(),
                        k.afsHalfLife(), k.checkpointInterval(), p));
    }

    @Test
    void aPodThatFitsNoNodeWaitsHoldingItsQuotaUntilACardFreesUp() throws IOException {
        Trace t = trace();
        PolicyRun none = Simulator.run(t, "fifo", SimOptions.defaults(), ProgressListener.NONE);
        PolicyRun noneFlag = Simulator.run(t, "fifo", with(PlacementPolicy.NONE), ProgressListener.NONE);
        assertThat(none.makespanSeconds()).isEqualTo(100.0); // admission alone: all three run at once
        assertThat(noneFlag.makespanSeconds()).isEqualTo(none.makespanSeconds());
        assertThat(noneFlag.overall()).isEqualTo(none.overall());
        for (PlacementPolicy p : List.of(PlacementPolicy.BINPACK, PlacementPolicy.SPREAD)) {
            PolicyRun r = Simulator.run(t, "fifo", with(p), ProgressListener.NONE);
            // two cards hold 0.6 each; the third pod (0.4 left per card) runs when the first finishes
            assertThat(r.makespanSeconds()).as(p.name()).isEqualTo(200.0);
            assertThat(r.overall().maxWait()).as("admission wait is Kueue's").isZero();
        }
    }

    @Test
    void placementsQueueInAdmissionOrderAndAnEvictedWaiterLeaves() {
        List<io.wdrf.api.Node> nodes = List.of(GpuNodesTest.node("a", 1, 10));
        Map<String, String> big = Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "60", "nvidia.com/gpucores", "60");
        Map<String, String> small = Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30", "nvidia.com/gpucores", "30");
        Placements p = Placements.create(PlacementPolicy.BINPACK, nodes, List.of(big, big, small, big, Map.of("nvidia.com/gpu", "2")));
        assertThat(Placements.create(PlacementPolicy.NONE, nodes, List.of(big))).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Placements.create(PlacementPolicy.SPREAD, nodes,
                List.of(big, Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi"))))
                .hasMessageContaining("job #1").hasMessageContaining("nvidia.com/gpumem").hasMessageContaining("16Gi");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Placements.create(PlacementPolicy.SPREAD, List.of(), List.of(big)))
                .hasMessageContaining("no nodes");
        assertThat(p.unplaceable()).isEqualTo(1); // two cards on a one-card node
        assertThat(p.admitted(0, 0)).isTrue();
        assertThat(p.admitted(1, 0)).isFalse();
        assertThat(p.admitted(2, 0)).isTrue(); // 0.3 fits beside 0.6: no head-of-line blocking
        assertThat(p.admitted(3, 0)).isFalse();
        assertThat(p.waiting()).isEqualTo(2);
        assertThat(p.released(3, 5_000)).isEmpty(); // evicted while waiting: leaves the queue
        assertThat(p.released(0, 10_000)).containsExactly(1); // job 1 (admitted first) takes the freed 0.6
        assertThat(p.waiting()).isZero();
        assertThat(p.waited()).isEqualTo(1);
        // allocated: 0.9 over [0, 10 s), then 0.9 again (0.3 + 0.6) until 20 s
        assertThat(p.allocationRate(20_000)).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(p.summary("fifo", 20_000)).contains("binpack").contains("1 jobs waited").contains("1 fit no node");
    }

    @Test
    void theFlagParsesTheThreePolicies() {
        assertThat(PlacementPolicy.parse("spread")).isEqualTo(PlacementPolicy.SPREAD);
        assertThat(SimOptions.defaults().kueue().placement()).isEqualTo(PlacementPolicy.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlacementPolicy.parse("best-fit"))
                .hasMessageContaining("none, binpack, spread");
    }
}
