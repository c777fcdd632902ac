package io.wdrf.kueue;

import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Kueue's Admission Fair Sharing inside one ClusterQueue, re-derived by hand from Kueue's
 * {@code pkg/scheduler/scheduler_afs_test.go} (main after v0.19, commit ff69552e) and the decay formula of
 * {@code pkg/util/admissionfairsharing/admission_fair_sharing.go}.
 */
class AdmissionFairSharingModelTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private static final AdmissionFairSharingConfig AFS =
            new AdmissionFairSharingConfig(Duration.ofHours(1), Duration.ofMinutes(1), Map.of());

    private InMemoryCluster cluster(boolean afs) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq1", ResourceQuota.of("default", "cpu", "8"))
                .localQueue("default", "lq-a", "cq1").localQueue("default", "lq-b", "cq1");
        if (afs) {
            b.admissionFairSharing(AFS);
        }
        return b.build();
    }

    private WorkloadId submit(InMemoryCluster c, String name, String lq, int cpu) {
        return c.submit("default", name, lq, PodSet.of("one", 1, Map.of("cpu", Integer.toString(cpu)))).id();
    }

    /**
     * "admits workload from less active localqueue": lq-a consumed more than lq-b; wl-a1 (older) and wl-b1 each
     * ask the whole queue. With AFS wl-b1 goes first; without it ("without AFS: classic admission decision ignores
     * queue usage") the older wl-a1 does.
     */
    @Test
    void theLessActiveLocalQueueGoesFirst() {
        for (boolean afs : List.of(true, false)) {
            InMemoryCluster c = cluster(afs);
            WorkloadId aOld = submit(c, "a-old", "lq-a", 6);
            WorkloadId bOld = submit(c, "b-old", "lq-b", 2);
            c.admissionCycle();
            clock.advance(Duration.ofMinutes(10));
            c.admissionCycle(); // LocalQueue status update: consumed a = 6α, b = 2α
            c.finish(aOld);
            c.finish(bOld);
            submit(c, "wl-a1", "lq-a", 8);
            clock.advance(Duration.ofSeconds(1));
            WorkloadId b1 = submit(c, "wl-b1", "lq-b", 8);
            assertThat(c.admissionCycle().admitted()).containsExactly(afs ? b1 : new WorkloadId("default", "wl-a1"));
        }
    }

    /**
     * "admits one workload from each localqueue when quota is limited": both LocalQueues idle, each with two
     * 4-CPU workloads, lq-a's older. The first admission's entry penalty makes lq-a the more active queue, so the
     * second slot goes to lq-b (classical order would admit both of lq-a).
     */
    @Test
    void entryPenaltiesAlternateLocalQueuesWithinACycle() {
        InMemoryCluster c = cluster(true);
        WorkloadId a1 = submit(c, "a1", "lq-a", 4);
        submit(c, "a2", "lq-a", 4);
        clock.advance(Duration.ofSeconds(1));
        WorkloadId b1 = submit(c, "b1", "lq-b", 4);
        submit(c, "b2", "lq-b", 4);
        assertThat(c.admissionCycle().admitted()).containsExactly(a1, b1);
    }

    /** {@code calculateAlphaRate} and the decay: after one half-life without usage, consumed halves. */
    @Test
    void decayFollowsTheHalfLife() {
        assertThat(AdmissionFairSharingConfig.alpha(3600, 3600)).isCloseTo(0.5, within(1e-12));
        assertThat(AdmissionFairSharingConfig.alpha(10, 0)).isZero();
        AdmissionFairSharing ledger = new AdmissionFairSharing(AFS);
        InMemoryCluster c = cluster(false);
        WorkloadId w = submit(c, "w", "lq-a", 8);
        c.admissionCycle();
        WorkloadSlot slot = new WorkloadSlot(c.workload(w).orElseThrow(), clock.instant());
        ledger.sample(clock.instant(), List.of(slot));                    // first sample only starts the clock
        clock.advance(Duration.ofHours(1));
        ledger.sample(clock.instant(), List.of(slot));                    // 0 × ½ + 8 × ½
        assertThat(ledger.usage("default/lq-a")).isCloseTo(4.0, within(1e-9));
        clock.advance(Duration.ofHours(1));
        ledger.sample(clock.instant(), List.of());                        // 4 × ½ + 0
        assertThat(ledger.usage("default/lq-a")).isCloseTo(2.0, within(1e-9));
        clock.advance(Duration.ofSeconds(30));
        ledger.sample(clock.instant(), List.of(slot));                    // within the sampling interval: no update
        assertThat(ledger.usage("default/lq-a")).isCloseTo(2.0, within(1e-9));
    }
}
