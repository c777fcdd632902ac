package io.wdrf.engine;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Flavors in the dominant share ({@link FlavorShares}), on seed 003's ClusterQueue: {@code a100-40gb} (16 GPUs,
 * 128 CPU, 512 Gi) and {@code t4} (32 GPUs) in one resource group.
 */
class FlavorSharesTest {

    private static final String GPU = "nvidia.com/gpu";
    private static final String A100 = "a100-40gb";
    private static final String T4 = "t4";
    private static final String PRODUCT = "nvidia.com/gpu.product";
    private static final double TOL = 1e-12;

    private static ClusterQueueInfo seed003() {
        return new ClusterQueueInfo("ml-cluster-queue", null, List.of(
                new ResourceQuota(A100, GPU, Quantity.parse("16"), Quantity.parse("4"), null),
                ResourceQuota.of(A100, "cpu", "128"),
                ResourceQuota.of(A100, "memory", "512Gi"),
                ResourceQuota.of(T4, GPU, "32")), "StrictFIFO", "LowerPriority", "Any", "Never", 1.0);
    }

    private static ClusterSnapshot.Builder cluster() {
        return ClusterSnapshot.builder(T0).clusterQueue(seed003())
                .flavor(new ResourceFlavorInfo(A100, Map.of(PRODUCT, "NVIDIA-A100-SXM4-40GB")))
                .flavor(new ResourceFlavorInfo(T4, Map.of(PRODUCT, "Tesla-T4")))
                .localQueue(new LocalQueueInfo("vision", "q", "ml-cluster-queue"))
                .localQueue(new LocalQueueInfo("nlp", "q", "ml-cluster-queue"))
                .localQueue(new LocalQueueInfo("speech", "q", "ml-cluster-queue"));
    }

    private static PodSet gpus(int n, Map<String, String> nodeSelector) {
        return new PodSet("main", 1, null, List.of(Fixtures.container("main", io.wdrf.api.ContainerKind.APP,
                Map.of(GPU, String.valueOf(n)), Map.of())), Map.of(), nodeSelector, Map.of());
    }

    /** Admitted with {@code n} GPUs of {@code flavor}, as Kueue records it. */
    private static Workload admitted(String ns, String name, int n, String flavor) {
        return Workload.builder(ns, name, T0).uid(ns + name).queueName("q").addPodSet(gpus(n, Map.of()))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission("ml-cluster-queue", List.of(new PodSetAssignment("main",
                        Map.of(GPU, flavor), ResourceVector.of(GPU, n), 1)))).build();
    }

    private static Workload pending(String ns, String name, int n, Map<String, String> nodeSelector) {
        return Workload.builder(ns, name, T0.plusSeconds(name.hashCode() & 0xff)).uid(ns + name).queueName("q")
                .addPodSet(gpus(n, nodeSelector)).build();
    }

    private static Node node(String name, String product, int gpus) {
        return new Node(name, Map.of(PRODUCT, product), Map.of(), Map.of("cpu", "64", "memory", "256Gi", GPU,
                String.valueOf(gpus)), true, false);
    }

    private static Evaluation evaluate(ClusterSnapshot s, PolicyConfig config) {
        return WdrfEngine.builder().config(config).build().evaluate(s, T0);
    }

    private static final PolicyConfig QUOTA = PolicyConfig.builder().capacitySource("quota").agingCoefficient(0).build();

    @Test
    void equalGpuCountsOnT4AndA100AreChargedAgainstTheirOwnPools() {
        ClusterSnapshot s = cluster().workload(admitted("vision", "v", 8, A100)).workload(admitted("nlp", "n", 8, T4))
                .build();
        Evaluation ev = evaluate(s, QUOTA);
        assertThat(ev.context().capacity().asMap()).containsEntry(GPU + "@" + A100, 16.0).containsEntry(GPU + "@" + T4, 32.0)
                .containsEntry("cpu", 128.0).doesNotContainKey(GPU);
        TenantState vision = ev.context().tenants().get("vision");
        TenantState nlp = ev.context().tenants().get("nlp");
        assertThat(vision.weightedDominantShare()).isEqualTo(8.0 / 16); // half of the A100s
        assertThat(vision.dominantResource()).isEqualTo(GPU + "@" + A100);
        assertThat(nlp.weightedDominantShare()).isEqualTo(8.0 / 32);     // a quarter of the T4s
        assertThat(nlp.dominantResource()).isEqualTo(GPU + "@" + T4);
        assertThat(nlp.usage().asMap()).containsOnlyKeys(GPU + "@" + T4);
        // summed over flavors both would have been charged 8/48: the flavors now tell them apart
        assertThat(vision.weightedDominantShare()).isNotEqualTo(nlp.weightedDominantShare());
    }

    @Test
    void nodeCapacityIsSplitByTheFlavorsNodeLabels() {
        ClusterSnapshot s = cluster().node(node("a1", "NVIDIA-A100-SXM4-40GB", 8)).node(node("a2", "NVIDIA-A100-SXM4-40GB", 8))
                .node(node("t1", "Tesla-T4", 16)).node(node("t2", "Tesla-T4", 16)).node(node("v1", "Tesla-V100", 4))
                .workload(admitted("vision", "v", 8, A100)).workload(admitted("nlp", "n", 8, T4)).build();
        Evaluation ev = evaluate(s, QUOTA.toBuilder().capacitySource("nodes").build());
        // the V100 node matches no flavor of the queue: its GPUs stay under the plain name, charged to nobody
        assertThat(ev.context().capacity().asMap()).containsEntry(GPU + "@" + A100, 16.0).containsEntry(GPU + "@" + T4, 32.0)
                .containsEntry(GPU, 4.0).containsEntry("cpu", 320.0);
        assertThat(ev.context().tenants().get("vision").weightedDominantShare()).isEqualTo(0.5);
        assertThat(ev.context().tenants().get("nlp").weightedDominantShare()).isEqualTo(0.25);
    }

    @Test
    void aPendingWorkloadIsChargedAtTheFirstFlavorWithRoomOrWhereItsNodeSelectorPoints() {
        Workload fits = pending("nlp", "fits", 4, Map.of());
        Workload pinned = pending("nlp", "pinned", 4, Map.of(PRODUCT, "Tesla-T4"));
        Evaluation ev = evaluate(cluster().workload(admitted("vision", "v", 8, A100)).workload(fits).workload(pinned).build(), QUOTA);
        assertThat(demand(ev, fits).asMap()).containsOnlyKeys(GPU + "@" + A100).containsEntry(GPU + "@" + A100, 4.0);
        assertThat(demand(ev, pinned).asMap()).containsOnlyKeys(GPU + "@" + T4);
        // A100s full (16 of 16 used): the next workload goes where Kueue's flavor assigner would put it, on T4s
        Workload late = pending("nlp", "late", 4, Map.of());
        ev = evaluate(cluster().workload(admitted("vision", "v", 16, A100)).workload(late).build(), QUOTA);
        assertThat(demand(ev, late).asMap()).containsOnlyKeys(GPU + "@" + T4);
        // nothing has room (A100 full, T4 full): the first flavor, where Kueue would wait or preempt
        Workload big = pending("nlp", "big", 20, Map.of());
        ev = evaluate(cluster().workload(admitted("vision", "v", 16, A100)).workload(admitted("speech", "s", 30, T4))
                .workload(big).build(), QUOTA);
        assertThat(demand(ev, big).asMap()).containsOnlyKeys(GPU + "@" + A100);
    }

    @Test
    void progressiveFillingChargesPendingDemandAtItsFlavor() {
        // nlp's two pending 8-GPU jobs: the first fits the A100s (16 free) and raises nlp's level by 8/16 of the
        // A100 pool; entitlement-relative level = share · Σ_active w / w = share · 1 (one active tenant)
        Workload first = pending("nlp", "a", 8, Map.of());
        Workload second = pending("nlp", "b", 8, Map.of(PRODUCT, "Tesla-T4"));
        Evaluation ev = evaluate(cluster().workload(first).workload(second).build(), QUOTA);
        PendingWorkload p1 = pendingOf(ev, first);
        PendingWorkload p2 = pendingOf(ev, second);
        assertThat(p1.level()).isEqualTo(0.0);
        assertThat(p2.level()).isCloseTo(8.0 / 16, within(TOL)); // after the first: 8 of 16 A100s; the T4 job adds 8/32 later
    }

    @Test
    void aFlavorWeightMakesAnA100CountMoreThanAT4() {
        ClusterSnapshot s = cluster().workload(admitted("vision", "v", 8, A100)).workload(admitted("nlp", "n", 16, T4))
                .build();
        Evaluation plain = evaluate(s, QUOTA);
        assertThat(plain.context().tenants().get("vision").weightedDominantShare()).isEqualTo(0.5);
        assertThat(plain.context().tenants().get("nlp").weightedDominantShare()).isEqualTo(0.5);
        PolicyConfig weighted = QUOTA.toBuilder().resourceWeights(Map.of(GPU + "@" + A100, 2.0, "memory", 0.5)).build();
        Evaluation ev = evaluate(s, weighted);
        assertThat(ev.context().tenants().get("vision").weightedDominantShare()).isEqualTo(1.0);
        assertThat(ev.context().tenants().get("nlp").weightedDominantShare()).isEqualTo(0.5);
        assertThat(weighted.resourceWeight(GPU + "@" + T4)).isEqualTo(1.0);
        assertThat(weighted.resourceWeight("memory@x")).isEqualTo(0.5); // a flavor key falls back to its resource
    }

    @Test
    void anAdmissionSpreadOverTwoFlavorsIsChargedInProportion() {
        Workload w = Workload.builder("vision", "two", T0).uid("two").queueName("q")
                .addPodSet(gpus(4, Map.of())).addPodSet(new PodSet("workers", 2, null, gpus(6, Map.of()).containers(),
                        Map.of(), Map.of(), Map.of()))
                .condition(Workload.QUOTA_RESERVED, true)
                .admission(new Admission("ml-cluster-queue", List.of(
                        new PodSetAssignment("main", Map.of(GPU, A100), ResourceVector.of(GPU, 4), 1),
                        new PodSetAssignment("workers", Map.of(GPU, T4), ResourceVector.of(GPU, 12), 2)))).build();
        Evaluation ev = evaluate(cluster().workload(w).build(), QUOTA);
        assertThat(ev.context().tenants().get("vision").usage().asMap()).containsEntry(GPU + "@" + A100, 4.0)
                .containsEntry(GPU + "@" + T4, 12.0);
    }

    /** Across cycles the engine reuses what did not change; with flavors its result still equals a fresh build. */
    @Test
    void incrementalEvaluationEqualsAFreshOneWithFlavors() {
        Random rnd = new Random(5);
        WdrfEngine kept = WdrfEngine.builder().config(QUOTA).build();
        List<Workload> ws = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            int kind = rnd.nextInt(4);
            String ns = List.of("vision", "nlp", "speech").get(rnd.nextInt(3));
            if (kind == 0 || ws.isEmpty()) {
                ws.add(pending(ns, "w" + step, 1 + rnd.nextInt(8), rnd.nextBoolean() ? Map.of() : Map.of(PRODUCT, "Tesla-T4")));
            } else if (kind == 1) {
                ws.add(admitted(ns, "w" + step, 1 + rnd.nextInt(6), rnd.nextBoolean() ? A100 : T4));
            } else if (kind == 2) {
                ws.remove(rnd.nextInt(ws.size()));
            } else {
                int i = rnd.nextInt(ws.size());
                ws.set(i, ws.get(i).toBuilder().priority(rnd.nextInt(100)).build()); // what a priority write changes
            }
            ClusterSnapshot s = cluster().workloads(ws).build();
            Evaluation a = kept.evaluate(s, T0.plusSeconds(step));
            Evaluation b = WdrfEngine.builder().config(QUOTA).build().evaluate(s, T0.plusSeconds(step));
            assertThat(a.context().tenants()).as("step %d", step).isEqualTo(b.context().tenants());
            assertThat(a.context().pending()).extracting(PendingWorkload::demand)
                    .isEqualTo(b.context().pending().stream().map(PendingWorkload::demand).toList());
            assertThat(decisions(a)).isEqualTo(decisions(b));
        }
    }

    // ------------------------------------------------------------------ one flavor: nothing changes

    @Test
    void oneFlavorSplitsNothingAndPassesTheVectorsThrough() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(ClusterQueueInfo.of("cq", List.of(
                ResourceQuota.of(A100, GPU, "16"), ResourceQuota.of(A100, "cpu", "64")))).workload(admitted("a", "x", 2, A100))
                .build();
        FlavorShares f = FlavorShares.of(s);
        assertThat(f.active()).isFalse();
        ResourceVector v = ResourceVector.of(Map.of(GPU, 2.0, "cpu", 1.0));
        assertThat(f.admitted(s.workloads().get(0), v, "cq")).isSameAs(v);
        assertThat(f.pending(s.workloads().get(0), v, "cq")).isSameAs(v);
        Node n = node("n", "x", 8);
        assertThat(f.node(n, v)).isSameAs(v);
        assertThat(FlavorShares.unflavored(v)).isSameAs(v);
        assertThat(f.nominal(s.clusterQueues().get(0))).isEqualTo(s.clusterQueues().get(0).nominalTotal());
    }

    /**
     * A one-flavor cluster yields the plan it yielded before flavors entered the shares: over random clusters, the
     * plan and every level and share equal those of the same cluster with the flavor information erased from the
     * admissions and the flavor renamed (what the engine computed before ignored both), for every capacity source.
     */
    @Test
    void aOneFlavorClusterYieldsTheSamePlanAsWithoutFlavorInformation() {
        Random rnd = new Random(11);
        for (int c = 0; c < 300; c++) {
            List<Workload> withFlavors = new ArrayList<>();
            List<Workload> without = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                String ns = "t" + rnd.nextInt(4);
                int g = 1 + rnd.nextInt(8);
                Workload.Builder b = Workload.builder(ns, "w" + i, T0.plusSeconds(rnd.nextInt(10_000))).uid("u" + i)
                        .queueName("q").addPodSet(PodSet.of("main", 1, Map.of(GPU, String.valueOf(g), "cpu", String.valueOf(1 + rnd.nextInt(4)))));
                if (rnd.nextInt(3) == 0) {
                    b.condition(Workload.QUOTA_RESERVED, true);
                    ResourceVector usage = ResourceVector.of(Map.of(GPU, (double) g));
                    withFlavors.add(b.admission(new Admission("cq", List.of(new PodSetAssignment("main",
                            Map.of(GPU, A100, "cpu", A100), usage, 1)))).build());
                    without.add(b.admission(new Admission("cq", List.of(new PodSetAssignment("main", Map.of(), usage, 1))))
                            .build());
                } else {
                    withFlavors.add(b.build());
                    without.add(b.build());
                }
            }
            for (String source : List.of("quota", "nodes", "auto")) {
                PolicyConfig config = PolicyConfig.builder().capacitySource(source).build();
                Evaluation a = evaluate(oneFlavor(A100, withFlavors), config);
                Evaluation b = evaluate(oneFlavor("other", without), config);
                assertThat(decisions(a)).as("case %d, %s", c, source).isEqualTo(decisions(b));
                assertThat(a.context().tenants()).isEqualTo(b.context().tenants());
                assertThat(a.context().pending()).extracting(PendingWorkload::level)
                        .isEqualTo(b.context().pending().stream().map(PendingWorkload::level).toList());
                assertThat(a.context().capacity()).isEqualTo(b.context().capacity());
            }
        }
    }

    private static ClusterSnapshot oneFlavor(String flavor, List<Workload> workloads) {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(T0).clusterQueue(ClusterQueueInfo.of("cq", List.of(
                ResourceQuota.of(flavor, GPU, "24"), ResourceQuota.of(flavor, "cpu", "32"))))
                .flavor(new ResourceFlavorInfo(flavor, Map.of(PRODUCT, "p")))
                .node(new Node("n1", Map.of(PRODUCT, "p"), Map.of(), Map.of(GPU, "8", "cpu", "16"), true, false))
                .workloads(workloads);
        for (int t = 0; t < 4; t++) {
            b.localQueue(new LocalQueueInfo("t" + t, "q", "cq"));
        }
        return b.build();
    }

    private static List<String> decisions(Evaluation ev) {
        List<String> out = new ArrayList<>();
        for (PriorityDecision d : ev.plan().decisions()) {
            out.add(d.workloadId() + "=" + d.priority());
        }
        return out;
    }

    // ------------------------------------------------------------------ DRF per flavor

    /**
     * The fair-share yardstick per flavor: tenants that each ask for GPUs of one flavor only share that flavor's pool
     * alone (their fair allocation is single-resource water-filling over the pool's tenants, whatever happens in the
     * other pool), no pool is over-allocated, and each tenant keeps DRF's sharing incentive on its pool
     * (min(demand, w_t / Σ w of its pool's tenants × pool)). Random demands and weights, fixed seed.
     */
    @Test
    void fairSharesHoldPerFlavor() {
        Random rnd = new Random(3);
        for (int c = 0; c < 200; c++) {
            int tenants = 2 + rnd.nextInt(5);
            ClusterSnapshot.Builder b = cluster();
            Map<String, String> flavorOf = new TreeMap<>();
            Map<String, Double> demandOf = new HashMap<>();
            Map<String, Double> weights = new TreeMap<>();
            for (int t = 0; t < tenants; t++) {
                String ns = "t" + t;
                String flavor = rnd.nextBoolean() ? A100 : T4;
                String product = flavor.equals(A100) ? "NVIDIA-A100-SXM4-40GB" : "Tesla-T4";
                flavorOf.put(ns, flavor);
                b.localQueue(new LocalQueueInfo(ns, "q", "ml-cluster-queue"));
                double w = 1 + rnd.nextInt(3);
                weights.put(ns, w);
                int jobs = 1 + rnd.nextInt(4);
                double total = 0;
                for (int j = 0; j < jobs; j++) {
                    int g = 1 + rnd.nextInt(12);
                    total += g;
                    if (j == 0 && rnd.nextBoolean()) {
                        b.workload(admitted(ns, "r" + j, g, flavor));
                    } else {
                        b.workload(pending(ns, "p" + j, g, Map.of(PRODUCT, product)));
                    }
                }
                demandOf.put(ns, total);
            }
            Evaluation ev = evaluate(b.build(), QUOTA.toBuilder().tenantWeights(weights).build());
            Map<String, Double> fair = FairShares.of(ev.context());
            for (String pool : List.of(A100, T4)) {
                double cap = pool.equals(A100) ? 16 : 32;
                List<String> members = flavorOf.entrySet().stream().filter(e -> e.getValue().equals(pool)).map(Map.Entry::getKey).toList();
                double[] d = members.stream().mapToDouble(demandOf::get).toArray();
                double[] w = members.stream().mapToDouble(weights::get).toArray();
                double[] alone = FairShares.waterFill(d, w, cap);
                double allocated = 0;
                double weightSum = 0;
                for (double x : w) {
                    weightSum += x;
                }
                for (int i = 0; i < members.size(); i++) {
                    double got = fair.get(members.get(i)) * cap; // fair dominant share × pool = GPUs of this pool
                    assertThat(got).as("case %d tenant %s", c, members.get(i)).isCloseTo(alone[i], within(1e-6));
                    assertThat(got).isGreaterThanOrEqualTo(Math.min(d[i], w[i] / weightSum * cap) - 1e-6);
                    allocated += got;
                }
                assertThat(allocated).isLessThanOrEqualTo(cap + 1e-6);
            }
        }
    }

    private static ResourceVector demand(Evaluation ev, Workload w) {
        return pendingOf(ev, w).demand();
    }

    private static PendingWorkload pendingOf(Evaluation ev, Workload w) {
        return ev.context().pending().stream().filter(p -> p.id().equals(w.id())).findFirst().orElseThrow();
    }
}
