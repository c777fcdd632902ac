package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What an eviction costs: the run time since the last checkpoint is lost, with the GPUs it held. The eviction is
 * Kueue's ({@code test/integration/singlecluster/scheduler/preemption_test.go}, "Should preempt Workloads with
 * lower priority when there is not enough quota"); the checkpoint arithmetic is the simulator's, worked by hand.
 */
class EvictionCostTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster cluster(Duration checkpoint) {
        return InMemoryCluster.builder(clock).flavor("a100").checkpointInterval(checkpoint)
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("a100", InMemoryCluster.GPU, "8")),
                        null, "LowerPriority", null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
    }

    private WorkloadId submit(InMemoryCluster c, String name, int priority, Map<String, String> labels) {
        return c.submit(Workload.builder("ns", name, clock.instant()).queueName("lq").priority(priority).labels(labels)
                .addPodSet(PodSet.of("main", 1, Map.of(InMemoryCluster.GPU, "8"))).build()).id();
    }

    /** 25 min on 8 GPUs, checkpoints every 10 min: 20 min kept, 5 min × 8 GPUs = 2/3 GPU-hour lost. */
    @Test
    void aPreemptedJobKeepsItsLastCheckpoint() {
        InMemoryCluster c = cluster(Duration.ofMinutes(10));
        WorkloadId low = submit(c, "low", 0, Map.of());
        c.admissionCycle();
        clock.advance(Duration.ofMinutes(25));
        submit(c, "high", 10, Map.of());
        assertThat(c.admissionCycle().preempted()).containsExactly(low);
        assertThat(c.savedProgress(low)).contains(Duration.ofMinutes(20));
        assertThat(c.lostWork(low)).contains(Duration.ofMinutes(5));
        assertThat(c.lostGpuHours()).isCloseTo(8 * 5 / 60.0, within(1e-9));
    }

    /** Interval 0: the whole run (25 min × 8 GPUs) is lost; a per-job label overrides the trace-wide interval. */
    @Test
    void fromScratchLosesTheWholeRunAndTheLabelOverrides() {
        InMemoryCluster c = cluster(Duration.ZERO);
        WorkloadId scratch = submit(c, "scratch", 0, Map.of());
        c.admissionCycle();
        clock.advance(Duration.ofMinutes(25));
        c.evict(scratch);
        assertThat(c.savedProgress(scratch)).contains(Duration.ZERO);
        assertThat(c.lostGpuHours()).isCloseTo(8 * 25 / 60.0, within(1e-9));

        c.delete(scratch);
        WorkloadId labelled = submit(c, "labelled", 0, Map.of(InMemoryCluster.CHECKPOINT_INTERVAL_LABEL, "600"));
        c.admissionCycle();
        clock.advance(Duration.ofMinutes(25));
        c.evict(labelled);
        assertThat(c.savedProgress(labelled)).contains(Duration.ofMinutes(20));
        assertThat(c.lostWork()).isEqualTo(Duration.ofMinutes(30));           // 25 + 5, kept after the delete
        clock.advance(Duration.ofMinutes(1));
        c.admissionCycle();
        clock.advance(Duration.ofMinutes(12));
        c.evict(labelled);                                                      // second admission: 10 kept, 2 lost
        assertThat(c.savedProgress(labelled)).contains(Duration.ofMinutes(30));
        assertThat(c.lostWork(labelled)).contains(Duration.ofMinutes(7));
    }
}
