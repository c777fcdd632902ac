package io.wdrf.engine;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 10: an external overwrite that WDRF re-applies is counted ({@code wdrf_priority_overrides_total}) even
 * when WDRF's own target moved meanwhile (aging moves it), and WDRF's own earlier value is never taken for one.
 */
class OverrideCountingTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final InMemoryCluster cluster = InMemoryCluster.builder(clock)
            .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"), ResourceQuota.of("default", "memory", "32Gi"))
            .namespace("a").localQueue("a", "q", "cq").build();
    private final WdrfEngine engine = WdrfEngine.builder()
            .config(PolicyConfig.builder().capacitySource("quota").build()).clock(clock).build();

    private Workload submit(String name) {
        return cluster.submit("a", name, "q", PodSet.of("main", 1, Map.of("cpu", "1", "memory", "1Gi")));
    }

    @Test
    void overwriteReappliedWithAMovedTargetIsCounted() {
        Workload a = submit("a1");
        Reconciler r = Reconciler.builder(cluster, cluster, engine).build();
        r.runOnce();
        int first = cluster.workload(a.id()).orElseThrow().priority();
        cluster.setPriority(a.id(), 7); // e.g. Kueue re-applying a WorkloadPriorityClass value
        clock.advance(Duration.ofMinutes(30)); // aging moves WDRF's target by more than write.min-delta
        CycleReport rep = r.runOnce();
        int now = cluster.workload(a.id()).orElseThrow().priority();
        assertThat(now).isNotEqualTo(7).isNotEqualTo(first); // re-applied, at the new target
        assertThat(rep.overridesDetected()).isEqualTo(1);
    }

    @Test
    void ownValueWithAMovedTargetIsNoOverwrite() {
        submit("a1");
        Reconciler r = Reconciler.builder(cluster, cluster, engine).build();
        r.runOnce();
        for (int i = 0; i < 4; i++) {
            // 2 h of aging at the default coefficient 0.25 moves the target by ~208 points, past write.min-delta (100)
            clock.advance(Duration.ofHours(2));
            CycleReport rep = r.runOnce();
            assertThat(rep.updates()).hasSize(1);
            assertThat(rep.overridesDetected()).isZero();
        }
    }

    @Test
    void theFightStaysBoundedWhileTheTargetDrifts() {
        Workload a = submit("a1");
        ReconcilerSettings s = ReconcilerSettings.defaults();
        // max aging 2 h: one age step (100 points) per 72 s, so every 2-minute cycle moves the target, all within
        // one override window (1 h)
        WdrfEngine fastAging = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota")
                .maxAgingTime(Duration.ofHours(2)).build()).clock(clock).build();
        Reconciler r = Reconciler.builder(cluster, cluster, fastAging).settings(s).build();
        r.runOnce();
        int corrected = 0;
        int detected = 0;
        for (int i = 0; i < 8; i++) {
            cluster.setPriority(a.id(), 7);
            clock.advance(Duration.ofMinutes(2));
            CycleReport rep = r.runOnce();
            detected += rep.overridesDetected();
            corrected += rep.updates().size();
        }
        assertThat(corrected).isEqualTo(s.maxOverrideRewrites());
        assertThat(detected).isGreaterThan(s.maxOverrideRewrites());
        assertThat(cluster.workload(a.id()).orElseThrow().priority()).isEqualTo(7);
    }

    /**
     * Issue 13.9: the limit holds across restarts. A fresh Reconciler (a restarted controller, empty ledger) after
     * every overwrite still corrects at most {@code write.max-override-rewrites} times per window: the count travels
     * on the object ({@code wdrf.x-k8s.io/priority-written}). Counted per process, this corrected all 8.
     */
    @Test
    void theFightLimitHoldsAcrossRestarts() {
        Workload a = submit("a1");
        ReconcilerSettings s = ReconcilerSettings.defaults();
        Reconciler.builder(cluster, cluster, engine).settings(s).build().runOnce();
        int intended = cluster.workload(a.id()).orElseThrow().priority();
        assertThat(cluster.workload(a.id()).orElseThrow().annotations())
                .containsEntry(io.wdrf.api.PriorityUpdate.WRITTEN_ANNOTATION, Integer.toString(intended));
        int corrected = 0;
        for (int i = 0; i < 8; i++) {
            cluster.setPriority(a.id(), 7);
            clock.advance(Duration.ofSeconds(30));
            CycleReport rep = Reconciler.builder(cluster, cluster, engine).settings(s).build().runOnce(); // restarted
            if (!rep.updates().isEmpty()) {
                corrected++;
                assertThat(cluster.workload(a.id()).orElseThrow().priority()).isEqualTo(intended);
                assertThat(cluster.workload(a.id()).orElseThrow().annotations())
                        .containsEntry(io.wdrf.api.PriorityUpdate.WRITTEN_ANNOTATION, intended + ";overrides=" + corrected
                                + ";since=" + clock.instant().minusSeconds(30L * (corrected - 1)).getEpochSecond());
            }
        }
        assertThat(corrected).isEqualTo(s.maxOverrideRewrites());
        assertThat(cluster.workload(a.id()).orElseThrow().priority()).isEqualTo(7);
        // after the window a restarted controller tries again, and the count starts afresh
        clock.advance(s.overrideWindow().plusMinutes(1));
        CycleReport later = Reconciler.builder(cluster, cluster, engine).settings(s).build().runOnce();
        assertThat(later.updates()).extracting(io.wdrf.api.PriorityUpdate::workloadId).containsExactly(a.id());
        assertThat(cluster.workload(a.id()).orElseThrow().annotations().get(io.wdrf.api.PriorityUpdate.WRITTEN_ANNOTATION))
                .endsWith(";overrides=1;since=" + clock.instant().getEpochSecond());
    }

    @Test
    void aMalformedOrForeignRecordIsIgnored() {
        for (String bad : new String[] {"", "x", "12;overrides=-1;since=5", "12;overrides=2", "12;since=5",
                "12;evil=1", "9".repeat(100), "12;overrides=1;since=99999999999999999999"}) {
            assertThat(WriteLedger.fromAnnotation("u", bad)).as(bad).isNull();
        }
        assertThat(WriteLedger.fromAnnotation("u", "12;overrides=2;since=5").overrides()).isEqualTo(2);
    }
}
