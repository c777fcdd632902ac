package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** End-to-end through the public API: engine + reconcile loop + in-memory Kueue admission model. */
class KueueAdmissionScenarioTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster cluster(String cpu, String memory, String... namespaces) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock)
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", cpu), ResourceQuota.of("default", "memory", memory));
        for (String ns : namespaces) {
            b.namespace(ns).localQueue(ns, "q", "cq");
        }
        return b.build();
    }

    private Reconciler reconciler(InMemoryCluster c, PolicyConfig cfg) {
        WdrfEngine engine = WdrfEngine.builder().config(cfg).clock(clock).build();
        return Reconciler.builder(c, c, engine).build();
    }

    private static long admitted(InMemoryCluster c, String ns) {
        return c.snapshot().workloads().stream().filter(w -> w.id().namespace().equals(ns) && w.phase() == Phase.ADMITTED).count();
    }

    @Test
    void drfPaperExampleAdmitsThreeOfAAndTwoOfB() {
        InMemoryCluster c = cluster("9", "18Gi", "a", "b");
        for (int i = 0; i < 10; i++) {
            c.submit("a", "a-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "1", "memory", "4Gi")));
            c.submit("b", "b-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "3", "memory", "1Gi")));
        }
        Reconciler r = reconciler(c, PolicyConfig.builder().capacitySource("quota").agingCoefficient(0).build());
        for (int round = 0; round < 5; round++) {
            r.runOnce();
            c.admissionCycle();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(admitted(c, "a")).isEqualTo(3);
        assertThat(admitted(c, "b")).isEqualTo(2);
        CycleReport report = r.runOnce();
        Map<String, TenantState> t = report.tenants();
        assertThat(t.get("a").weightedDominantShare()).isCloseTo(2.0 / 3, offset(1e-9));
        assertThat(t.get("a").dominantResource()).isEqualTo("memory");
        assertThat(t.get("b").weightedDominantShare()).isCloseTo(2.0 / 3, offset(1e-9));
        assertThat(t.get("b").dominantResource()).isEqualTo("cpu");
    }

    @Test
    void fifoBaselineAdmitsInCreationOrderInstead() {
        InMemoryCluster c = cluster("9", "18Gi", "a", "b");
        for (int i = 0; i < 10; i++) {
            c.submit("a", "a-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "1", "memory", "4Gi")));
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 10; i++) {
            c.submit("b", "b-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "3", "memory", "1Gi")));
        }
        WdrfEngine fifo = WdrfEngine.builder().policy("fifo").config(PolicyConfig.builder().capacitySource("quota").build()).clock(clock).build();
        Reconciler.builder(c, c, fifo).build().runOnce();
        c.admissionCycle();
        // FIFO lets A take all memory first: 4 tasks of A (16Gi), then B's first task fits in 2Gi left? no: B needs 3 cpu, 1Gi -> fits
        assertThat(admitted(c, "a")).isEqualTo(4);
        assertThat(admitted(c, "b")).isEqualTo(1);
    }

    @Test
    void weightTwoTenantConvergesToTwiceTheDominantShare() {
        InMemoryCluster c = cluster("12", "48Gi", "heavy", "light");
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").agingCoefficient(0)
                .tenantWeights(Map.of("heavy", 2.0)).build();
        Reconciler r = reconciler(c, cfg);
        Random rnd = new Random(11);
        Map<String, Instant> endsAt = new HashMap<>();
        int seq = 0;
        double sumHeavy = 0;
        double sumLight = 0;
        int samples = 0;
        for (int step = 0; step < 600; step++) {
            // keep a backlog of 6 pending jobs per tenant
            for (String ns : List.of("heavy", "light")) {
                long pending = c.snapshot().workloads().stream()
                        .filter(w -> w.id().namespace().equals(ns) && w.isAdmissible()).count();
                for (long k = pending; k < 6; k++) {
                    c.submit(ns, ns + "-" + (seq++), "q", PodSet.of("main", 1, Map.of("cpu", "1", "memory", "2Gi")));
                }
            }
            r.runOnce();
            for (var id : c.admissionCycle().admitted()) {
                endsAt.put(id.toString(), clock.instant().plus(Duration.ofMinutes(5 + rnd.nextInt(20))));
            }
            clock.advance(Duration.ofMinutes(1));
            for (Workload w : new ArrayList<>(c.snapshot().workloads())) {
                Instant end = endsAt.get(w.id().toString());
                if (w.phase() == Phase.ADMITTED && end != null && !clock.instant().isBefore(end)) {
                    c.finish(w.id());
                }
            }
            if (step >= 100) {
                ClusterSnapshot s = c.snapshot();
                sumHeavy += cpuOf(s, "heavy") / 12.0;
                sumLight += cpuOf(s, "light") / 12.0;
                samples++;
            }
        }
        double ratio = (sumHeavy / samples) / (sumLight / samples);
        assertThat(ratio).isCloseTo(2.0, offset(0.2));
    }

    private static double cpuOf(ClusterSnapshot s, String ns) {
        return s.workloads().stream().filter(w -> w.id().namespace().equals(ns) && w.phase() == Phase.ADMITTED)
                .mapToDouble(w -> w.admission().totalUsage().get("cpu")).sum();
    }

    @Test
    void agedWorkloadOfOverShareTenantIsAdmittedBeforeFreshOnes() {
        InMemoryCluster c = cluster("4", "16Gi", "hog", "fresh");
        c.putNamespace(new NamespaceInfo("hog", Map.of(), Map.of()));
        for (int i = 0; i < 3; i++) {
            c.submit("hog", "run-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "1", "memory", "1Gi")));
        }
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").agingCoefficient(1.5)
                .maxAgingTime(Duration.ofHours(1)).build();
        Reconciler r = reconciler(c, cfg);
        r.runOnce();
        c.admissionCycle();
        assertThat(admitted(c, "hog")).isEqualTo(3);
        Workload old = c.submit("hog", "old", "q", PodSet.of("main", 1, Map.of("cpu", "2", "memory", "1Gi")));
        clock.advance(Duration.ofHours(2));
        for (int i = 0; i < 3; i++) {
            c.submit("fresh", "f-" + i, "q", PodSet.of("main", 1, Map.of("cpu", "2", "memory", "1Gi")));
        }
        c.finish(c.snapshot().workloads().stream().filter(w -> w.id().name().equals("run-0")).findFirst().orElseThrow().id());
        c.finish(c.snapshot().workloads().stream().filter(w -> w.id().name().equals("run-1")).findFirst().orElseThrow().id());
        r.runOnce();
        var result = c.admissionCycle();
        assertThat(result.admitted()).first().isEqualTo(old.id());
    }
}
