package io.wdrf.engine;

import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final InMemoryCluster cluster = InMemoryCluster.builder(clock)
            .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"), ResourceQuota.of("default", "memory", "32Gi"))
            .namespace("a").namespace("b").localQueue("a", "q", "cq").localQueue("b", "q", "cq").build();
    private final WdrfEngine engine = WdrfEngine.builder()
            .config(PolicyConfig.builder().capacitySource("quota").build()).clock(clock).build();

    private Workload submit(String ns, String name, String cpu) {
        return cluster.submit(ns, name, "q", PodSet.of("main", 1, Map.of("cpu", cpu, "memory", "1Gi")));
    }

    @Test
    void writesOnlyChangesAndNothingWhenNothingChanged() {
        Workload a = submit("a", "a1", "1");
        Workload b = submit("b", "b1", "2");
        Reconciler r = Reconciler.builder(cluster, cluster, engine).build();
        CycleReport first = r.runOnce();
        assertThat(first.ok()).isTrue();
        assertThat(first.updates()).hasSize(2);
        assertThat(first.writeResult().count(WriteOutcome.WRITTEN)).isEqualTo(2);
        assertThat(cluster.workload(a.id()).orElseThrow().priority()).isNotNull();
        assertThat(cluster.workload(a.id()).orElseThrow().annotations()).containsKey(PriorityUpdate.EXPLANATION_ANNOTATION);
        assertThat(cluster.events()).hasSize(2).allSatisfy(e -> assertThat(e.reason()).isEqualTo("PriorityChanged"));
        long writes = cluster.totalWrites();
        CycleReport second = r.runOnce();
        assertThat(second.updates()).isEmpty();
        assertThat(cluster.totalWrites()).isEqualTo(writes);
        assertThat(cluster.writeCount(b.id())).isEqualTo(1);
    }

    @Test
    void externalOverwriteIsCorrectedButTheFightIsBounded() {
        Workload a = submit("a", "a1", "1");
        ReconcilerSettings s = ReconcilerSettings.defaults();
        Reconciler r = Reconciler.builder(cluster, cluster, engine).settings(s).build();
        r.runOnce();
        int intended = cluster.workload(a.id()).orElseThrow().priority();
        int corrected = 0;
        int detected = 0;
        for (int i = 0; i < 10; i++) {
            cluster.setPriority(a.id(), 7); // Kueue re-applies a WorkloadPriorityClass value, say
            CycleReport rep = r.runOnce();
            detected += rep.overridesDetected();
            if (!rep.updates().isEmpty()) {
                corrected++;
                assertThat(cluster.workload(a.id()).orElseThrow().priority()).isEqualTo(intended);
            }
        }
        // the first three overwrites are corrected, the fourth is detected and left alone; later no-op
        // re-applications of the same value are not new overwrites
        assertThat(detected).isEqualTo(s.maxOverrideRewrites() + 1);
        assertThat(corrected).isEqualTo(s.maxOverrideRewrites());
        assertThat(cluster.workload(a.id()).orElseThrow().priority()).isEqualTo(7);
        // after the window, WDRF tries again
        clock.advance(s.overrideWindow().plusMinutes(1));
        cluster.setPriority(a.id(), 7);
        CycleReport later = r.runOnce();
        assertThat(later.updates()).extracting(PriorityUpdate::workloadId).contains(a.id());
    }

    @Test
    void minDeltaSkipsSmallChangesButNeverAMissingPriority() {
        Workload fresh = submit("a", "fresh", "1");
        CycleReport probe = Reconciler.builder(cluster, cluster, engine).settings(ReconcilerSettings.defaults().withDryRun(true))
                .build().runOnce();
        int target = probe.plan().find(fresh.id()).orElseThrow().priority();
        Workload close = cluster.submit(Workload.builder("b", "close", clock.instant()).queueName("q").priority(target - 5)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1", "memory", "1Gi"))).build());
        Reconciler hysteresis = Reconciler.builder(cluster, cluster, engine)
                .settings(ReconcilerSettings.defaults().withMinDelta(10)).build();
        CycleReport rep = hysteresis.runOnce();
        assertThat(rep.updates()).extracting(PriorityUpdate::workloadId).containsExactly(fresh.id());
        assertThat(cluster.workload(close.id()).orElseThrow().priority()).isEqualTo(target - 5);
        CycleReport exact = Reconciler.builder(cluster, cluster, engine)
                .settings(ReconcilerSettings.defaults().withMinDelta(0)).build().runOnce();
        assertThat(exact.updates()).extracting(PriorityUpdate::workloadId).containsExactly(close.id());
    }

    @Test
    void dryRunAndNonLeaderWriteNothing() {
        submit("a", "a1", "1");
        Reconciler dry = Reconciler.builder(cluster, cluster, engine).settings(ReconcilerSettings.defaults().withDryRun(true)).build();
        CycleReport rep = dry.runOnce();
        assertThat(rep.updates()).hasSize(1);
        assertThat(rep.writeResult()).isNull();
        AtomicBoolean leader = new AtomicBoolean(false);
        Reconciler follower = Reconciler.builder(cluster, cluster, engine).leadership(leader::get).build();
        assertThat(follower.runOnce().leader()).isFalse();
        assertThat(cluster.totalWrites()).isZero();
        leader.set(true);
        follower.runOnce();
        assertThat(cluster.totalWrites()).isEqualTo(1);
    }

    @Test
    void perCycleLimitWritesMostImportantFirst() {
        for (int i = 0; i < 5; i++) {
            submit("a", "a" + i, "1");
        }
        Workload urgent = cluster.submit(Workload.builder("b", "urgent", clock.instant()).queueName("q")
                .labels(Map.of("wdrf.x-k8s.io/urgent", "true"))
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1"))).build());
        Reconciler r = Reconciler.builder(cluster, cluster, engine)
                .settings(ReconcilerSettings.defaults().withMaxWritesPerCycle(2)).build();
        CycleReport rep = r.runOnce();
        assertThat(rep.updates()).hasSize(2);
        assertThat(rep.updates().get(0).workloadId()).isEqualTo(urgent.id());
        assertThat(rep.deferred()).isEqualTo(4);
        assertThat(r.runOnce().updates()).hasSize(2);
        assertThat(r.runOnce().updates()).hasSize(2);
        assertThat(r.runOnce().updates()).isEmpty();
    }

    @Test
    void malformedWorkloadIsSkippedCountedAndOthersServed() {
        cluster.submit(Workload.builder("a", "broken", clock.instant()).queueName("q")
                .addPodSet(new PodSet("main", 1, null, List.of(new ContainerSpec("c", ContainerKind.APP, Map.of("memory", "12GB"), Map.of())),
                        null, null, null)).build());
        Workload ok = submit("b", "fine", "1");
        CycleReport rep = Reconciler.builder(cluster, cluster, engine).build().runOnce();
        assertThat(rep.ok()).isTrue();
        assertThat(rep.invalid()).singleElement().satisfies(i -> assertThat(i.reason()).contains("requests.memory").contains("'12GB'"));
        assertThat(cluster.workload(ok.id()).orElseThrow().priority()).isNotNull();
    }

    @Test
    void failingPolicyFailsOnlyThatCycle() {
        submit("a", "a1", "1");
        WdrfEngine broken = WdrfEngine.builder().clock(clock).policy(new io.wdrf.api.PriorityPolicy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public io.wdrf.api.PriorityPlan evaluate(io.wdrf.api.PolicyContext context) {
                throw new IllegalStateException("boom");
            }
        }).build();
        CycleReport rep = Reconciler.builder(cluster, cluster, broken).build().runOnce();
        assertThat(rep.ok()).isFalse();
        assertThat(rep.error()).contains("boom");
    }

    @Test
    void priorityBoostTargetKeepsSpecPriority() {
        Workload a = cluster.submit(Workload.builder("a", "wpc", clock.instant()).queueName("q").priority(100)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1"))).build());
        Reconciler r = Reconciler.builder(cluster, cluster, engine)
                .settings(ReconcilerSettings.defaults().withTarget(PriorityTarget.PRIORITY_BOOST)).build();
        CycleReport rep = r.runOnce();
        Workload after = cluster.workload(a.id()).orElseThrow();
        assertThat(after.priority()).isEqualTo(100);
        assertThat(after.effectivePriority()).isEqualTo(rep.plan().find(a.id()).orElseThrow().priority());
        assertThat(r.runOnce().updates()).isEmpty();
    }

    @Test
    void changeEventsTriggerADebouncedCycle() throws Exception {
        List<CycleReport> reports = new CopyOnWriteArrayList<>();
        Reconciler r = Reconciler.builder(cluster, cluster, engine)
                .settings(ReconcilerSettings.defaults().withIntervals(Duration.ofHours(1), Duration.ofMillis(20)))
                .listener(reports::add).build();
        r.start();
        try {
            awaitTrue(() -> reports.size() >= 1);
            Workload w = submit("a", "late", "1");
            awaitTrue(() -> cluster.workload(w.id()).orElseThrow().priority() != null);
        } finally {
            r.close();
        }
        WorkloadId id = new WorkloadId("a", "late");
        assertThat(cluster.writeCount(id)).isEqualTo(1);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
