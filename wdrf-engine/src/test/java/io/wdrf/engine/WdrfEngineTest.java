package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.wdrf.engine.Fixtures.T0;
import static io.wdrf.engine.Fixtures.admitted;
import static io.wdrf.engine.Fixtures.pending;
import static io.wdrf.engine.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class WdrfEngineTest {

    private static WdrfEngine engine(PolicyConfig config) {
        return WdrfEngine.builder().config(config).build();
    }

    private static PolicyConfig quotaNoAging() {
        return PolicyConfig.builder().capacitySource("quota").agingCoefficient(0).build();
    }

    /** Namespace weight annotations honoured (tenant-inputs.namespace-weights = true). */
    private static PolicyConfig namespaceWeightsOn() {
        return quotaNoAging().toBuilder().tenantInputs(new io.wdrf.api.TenantInputs(false, true, java.util.Set.of())).build();
    }

    private static ClusterSnapshot drfPaper(int tasksEach) {
        ClusterSnapshot.Builder b = snapshot();
        for (int i = 0; i < tasksEach; i++) {
            b.workload(pending("a", "a-" + i, T0, "1", "4Gi"));
            b.workload(pending("b", "b-" + i, T0, "3", "1Gi"));
        }
        return b.build();
    }

    @Test
    void levelsFollowDrfProgressiveFilling() {
        Evaluation ev = engine(quotaNoAging()).evaluate(drfPaper(5), T0);
        Map<String, Double> level = new java.util.HashMap<>();
        for (PendingWorkload p : ev.context().pending()) {
            level.put(p.id().name(), p.level());
        }
        // entitlement-relative: two active tenants of weight 1, so level = dominant share × 2 (1.0 = half the cluster)
        assertThat(level.get("a-0")).isZero();
        assertThat(level.get("a-1")).isCloseTo(2 * 4.0 / 18, offset(1e-12));
        assertThat(level.get("a-2")).isCloseTo(2 * 8.0 / 18, offset(1e-12));
        assertThat(level.get("a-3")).isCloseTo(2 * 12.0 / 18, offset(1e-12));
        assertThat(level.get("b-0")).isZero();
        assertThat(level.get("b-1")).isCloseTo(2 * 3.0 / 9, offset(1e-12));
        assertThat(level.get("b-2")).isCloseTo(2 * 6.0 / 9, offset(1e-12));
        // plan order interleaves like progressive filling: a0/b0, a1, b1, a2, then a3 ~ b2
        List<String> order = ev.plan().decisions().stream().map(d -> d.workloadId().name()).limit(5).toList();
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("a-0", "b-0");
        assertThat(order.subList(2, 5)).containsExactly("a-1", "b-1", "a-2");
    }

    @Test
    void dominantShareUsesAdmittedUsageAndTenantWeight() {
        ClusterSnapshot s = snapshot().workload(admitted("a", "x", "3", "2Gi")).workload(pending("a", "p", T0, "1", "1Gi"))
                .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "2"))).build();
        Evaluation ev = engine(namespaceWeightsOn()).evaluate(s, T0);
        assertThat(ev.context().tenants().get("a").weightedDominantShare()).isCloseTo(3.0 / 9 / 2, offset(1e-12));
        assertThat(ev.context().tenants().get("a").dominantResource()).isEqualTo("cpu");
        assertThat(ev.context().tenants().get("a").weight()).isEqualTo(2.0);
    }

    @Test
    void badNamespaceWeightIsReportedAndConfigWeightUsed() {
        ClusterSnapshot s = snapshot().workload(pending("a", "p", T0, "1", "1Gi"))
                .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "heavy"))).build();
        Evaluation ev = engine(namespaceWeightsOn().toBuilder().tenantWeights(Map.of("a", 3.0)).build()).evaluate(s, T0);
        assertThat(ev.context().tenants().get("a").weight()).isEqualTo(3.0);
        assertThat(ev.invalid()).anySatisfy(i -> assertThat(i.reason()).contains("wdrf.x-k8s.io/weight").contains("'heavy'"));
    }

    /** Issue 13.7: a tenant-set namespace weight is bounded; 1e300 (and a forged log line) is refused. */
    @Test
    void outOfRangeNamespaceWeightsAreRefused() {
        for (String raw : List.of("1e300", "0", "-1", "101", "NaN", "Infinity", "1".repeat(100), "2\r\nINFO forged")) {
            ClusterSnapshot s = snapshot().workload(pending("a", "p", T0, "1", "1Gi"))
                    .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, raw))).build();
            Evaluation ev = engine(namespaceWeightsOn().toBuilder().tenantWeights(Map.of("a", 3.0)).build()).evaluate(s, T0);
            assertThat(ev.context().tenants().get("a").weight()).as(raw).isEqualTo(3.0);
            assertThat(ev.invalid()).anySatisfy(i -> assertThat(i.reason()).contains("wdrf.x-k8s.io/weight")
                    .contains("[0.01, 100.0]").doesNotContain("\r").doesNotContain("\n").hasSizeLessThan(200));
        }
        ClusterSnapshot ok = snapshot().workload(pending("a", "p", T0, "1", "1Gi"))
                .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "100"))).build();
        assertThat(engine(namespaceWeightsOn()).evaluate(ok, T0).context().tenants().get("a").weight()).isEqualTo(100.0);
    }

    @Test
    void resourceWeightZeroExcludesResource() {
        ClusterSnapshot s = snapshot().workload(admitted("a", "x", "1", "9Gi")).workload(pending("a", "p", T0, "1", "1Gi")).build();
        PolicyConfig cfg = quotaNoAging().toBuilder().resourceWeights(Map.of("memory", 0.0)).build();
        Evaluation ev = engine(cfg).evaluate(s, T0);
        assertThat(ev.context().tenants().get("a").dominantResource()).isEqualTo("cpu");
        assertThat(ev.context().tenants().get("a").weightedDominantShare()).isCloseTo(1.0 / 9, offset(1e-12));
    }

    @Test
    void weightTwoHalvesTheLevelSoTheTenantGetsTwiceTheShare() {
        ClusterSnapshot s = snapshot().workload(admitted("heavy", "x", "2", "1Gi")).workload(admitted("light", "y", "1", "1Gi"))
                .workload(pending("heavy", "p", T0, "1", "1Gi")).workload(pending("light", "q", T0, "1", "1Gi")).build();
        PolicyConfig cfg = quotaNoAging().toBuilder().tenantWeights(Map.of("heavy", 2.0)).build();
        Evaluation ev = engine(cfg).evaluate(s, T0);
        PriorityDecision heavy = ev.plan().find(new WorkloadId("heavy", "p")).orElseThrow();
        PriorityDecision light = ev.plan().find(new WorkloadId("light", "q")).orElseThrow();
        // heavy uses 2/9 with weight 2 → level 1/9, equal to light's 1/9 with weight 1
        assertThat(heavy.explanation().level()).isCloseTo(light.explanation().level(), offset(1e-12));
        assertThat(heavy.priority()).isEqualTo(light.priority());
    }

    @Test
    void olderWorkloadRanksHigherWithEqualShares() {
        ClusterSnapshot s = snapshot().workload(pending("a", "old", T0, "1", "1Gi"))
                .workload(pending("b", "new", T0.plus(Duration.ofHours(6)), "1", "1Gi")).build();
        Evaluation ev = engine(PolicyConfig.builder().capacitySource("quota").build()).evaluate(s, T0.plus(Duration.ofHours(7)));
        int old = ev.plan().find(new WorkloadId("a", "old")).orElseThrow().priority();
        int fresh = ev.plan().find(new WorkloadId("b", "new")).orElseThrow().priority();
        assertThat(old).isGreaterThan(fresh);
    }

    @Test
    void maxAgedWorkloadOfOverShareTenantOutranksFreshWorkloadsOfSameClass() {
        ClusterSnapshot.Builder b = snapshot();
        for (int i = 0; i < 8; i++) {
            b.workload(admitted("hog", "run-" + i, "1", "2Gi"));
        }
        Instant now = T0.plus(Duration.ofDays(2));
        b.workload(pending("hog", "starving", T0, "1", "1Gi"));
        b.workload(pending("fresh", "f1", now, "1", "1Gi"));
        b.workload(pending("fresh2", "f2", now, "1", "1Gi"));
        PolicyConfig withAging = PolicyConfig.builder().capacitySource("quota").agingCoefficient(1.5).build();
        Evaluation ev = engine(withAging).evaluate(b.build(), now);
        assertThat(ev.plan().decisions().get(0).workloadId().name()).isEqualTo("starving");
        // without aging the same workload is last
        Evaluation noAging = engine(withAging.toBuilder().agingCoefficient(0).build()).evaluate(b.build(), now);
        assertThat(noAging.plan().decisions().get(noAging.plan().decisions().size() - 1).workloadId().name()).isEqualTo("starving");
    }

    @Test
    void urgentIsAlwaysFirstAndClassesOnlyWhereAllowed() {
        ClusterSnapshot.Builder b = snapshot();
        for (int i = 0; i < 8; i++) {
            b.workload(admitted("team-u", "run-" + i, "1", "2Gi"));
        }
        Instant now = T0.plus(Duration.ofDays(3));
        Workload urgent = pending("team-u", "urgent", now, "1", "1Gi").toBuilder()
                .labels(Map.of("wdrf.x-k8s.io/urgent", "true")).build();
        Workload sneaky = pending("team-x", "sneaky", now, "1", "1Gi").toBuilder()
                .annotations(Map.of("wdrf.x-k8s.io/urgent", "true")).build();
        Workload approved = pending("team-u", "approved", now, "1", "1Gi").toBuilder()
                .labels(Map.of("wdrf.x-k8s.io/approved", "true")).build();
        b.workload(urgent).workload(sneaky).workload(approved).workload(pending("idle", "aged", T0, "1", "1Gi"));
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").agingCoefficient(5)
                .classNamespaces(Map.of("urgent", Set.of("team-u"))).build();
        Evaluation ev = engine(cfg).evaluate(b.build(), now);
        List<String> order = ev.plan().decisions().stream().map(d -> d.workloadId().name()).toList();
        assertThat(order.get(0)).isEqualTo("urgent");
        assertThat(order.get(1)).isEqualTo("approved");
        PriorityDecision sneakyDecision = ev.plan().find(new WorkloadId("team-x", "sneaky")).orElseThrow();
        assertThat(sneakyDecision.explanation().workloadClass()).isEqualTo("normal");
        assertThat(sneakyDecision.explanation().notes()).anySatisfy(n -> assertThat(n).contains("not allowed in namespace team-x"));
    }

    @Test
    void priorityClassMappingAndOverride() {
        Workload mapped = pending("a", "m", T0, "1", "1Gi").toBuilder().priorityClassName("high").build();
        Workload override = pending("a", "o", T0, "1", "1Gi").toBuilder().labels(Map.of("wdrf.x-k8s.io/priority-override", "approved")).build();
        Workload unknown = pending("a", "u", T0, "1", "1Gi").toBuilder().labels(Map.of("wdrf.x-k8s.io/priority-override", "vip")).build();
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").priorityClassToClass(Map.of("high", "urgent"))
                .classNamespaces(Map.of("urgent", java.util.Set.of("a"))).build();
        Evaluation ev = engine(cfg).evaluate(snapshot().workload(mapped).workload(override).workload(unknown).build(), T0);
        assertThat(ev.plan().find(mapped.id()).orElseThrow().explanation().workloadClass()).isEqualTo("urgent");
        assertThat(ev.plan().find(override.id()).orElseThrow().explanation().workloadClass()).isEqualTo("approved");
        assertThat(ev.plan().find(unknown.id()).orElseThrow().explanation().notes()).anySatisfy(n -> assertThat(n).contains("'vip'"));
    }

    @Test
    void malformedWorkloadIsSkippedWithSpecificErrorWhileOthersAreServed() {
        Workload bad = pending("a", "bad", T0, "1x", "1Gi");
        ClusterSnapshot s = snapshot().workload(bad).workload(pending("b", "good", T0, "1", "1Gi")).build();
        Evaluation ev = engine(quotaNoAging()).evaluate(s, T0);
        assertThat(ev.plan().decisions()).extracting(d -> d.workloadId().name()).containsExactly("good");
        assertThat(ev.invalid()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("Workload");
            assertThat(i.name()).isEqualTo("bad");
            assertThat(i.reason()).contains("requests.cpu").contains("'1x'");
        });
    }

    @Test
    void capacitySources() {
        ClusterSnapshot s = snapshot().node(Fixtures.node("n1", "4", "8Gi"))
                .clusterQueue(ClusterQueueInfo.of("gpu", List.of(ResourceQuota.of("a100", "nvidia.com/gpu", "16"))))
                .workload(pending("a", "p", T0, "1", "1Gi")).build();
        assertThat(engine(PolicyConfig.builder().capacitySource("nodes").build()).evaluate(s, T0).context().capacity().asMap())
                .containsOnlyKeys("cpu", "memory").containsEntry("cpu", 4.0);
        assertThat(engine(PolicyConfig.builder().capacitySource("quota").build()).evaluate(s, T0).context().capacity().get("cpu"))
                .isEqualTo(9.0);
        var auto = engine(PolicyConfig.builder().capacitySource("auto").build()).evaluate(s, T0).context().capacity();
        assertThat(auto.get("cpu")).isEqualTo(4.0);
        assertThat(auto.get("nvidia.com/gpu")).isEqualTo(16.0);
    }

    @Test
    void tenantKeys() {
        Workload w = pending("ns1", "w", T0, "1", "1Gi").toBuilder().labels(Map.of("team", "vision")).build();
        ClusterSnapshot s = snapshot().workload(w).localQueues(Fixtures.localQueues("ns1")).build();
        assertThat(engine(PolicyConfig.builder().tenantKey("localQueue").build()).evaluate(s, T0).context().tenants()).containsOnlyKeys("ns1/q");
        assertThat(engine(PolicyConfig.builder().tenantKey("clusterQueue").build()).evaluate(s, T0).context().tenants()).containsOnlyKeys("cq");
        assertThat(engine(PolicyConfig.builder().tenantKey("label:team").tenantWeights(Map.of("vision", 1.0)).build())
                .evaluate(s, T0).context().tenants()).containsOnlyKeys("vision");
    }

    @Test
    void preemptionGuardCapsPendingBelowAdmittedWorkInPreemptingQueues() {
        ClusterQueueInfo preempting = new ClusterQueueInfo("cq", null, Fixtures.cq("cq", "9", "18Gi").quotas(),
                "BestEffortFIFO", "LowerPriority", "Never", "Never", 1);
        Workload running = admitted("a", "run", "1", "1Gi").toBuilder().clusterQueue("cq").priority(5).build();
        Workload p = pending("b", "p", T0, "1", "1Gi").toBuilder().clusterQueue("cq").build();
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(preempting).workload(running).workload(p).build();
        PriorityDecision guarded = engine(quotaNoAging().toBuilder().preemption("never").build()).evaluate(s, T0).plan()
                .find(p.id()).orElseThrow();
        assertThat(guarded.priority()).isEqualTo(5);
        assertThat(guarded.explanation().notes()).anySatisfy(n -> assertThat(n).contains("preemption mode never"));
        // guard is the deprecated name of never
        assertThat(engine(quotaNoAging().toBuilder().preemption("guard").build()).evaluate(s, T0).plan().find(p.id())
                .orElseThrow().priority()).isEqualTo(5);
        PriorityDecision allowed = engine(quotaNoAging().toBuilder().preemption("allow").build()).evaluate(s, T0).plan().find(p.id()).orElseThrow();
        assertThat(allowed.priority()).isGreaterThan(5);
        // a queue that never preempts is not capped
        ClusterSnapshot calm = ClusterSnapshot.builder(T0).clusterQueue(Fixtures.cq("cq", "9", "18Gi")).workload(running).workload(p).build();
        assertThat(engine(quotaNoAging().toBuilder().preemption("never").build()).evaluate(calm, T0).plan().find(p.id())
                .orElseThrow().priority()).isGreaterThan(5);
    }

    @Test
    void classBandsMustFitInt32() {
        PolicyConfig huge = PolicyConfig.builder().priorityWeights(Map.of("normal", 1L, "urgent", 100_000L))
                .fairnessResolution(1_000_000).agingCoefficient(100).build();
        assertThatThrownBy(() -> engine(huge)).hasMessageContaining("int32");
    }

    @Test
    void unknownPolicyNameListsKnownOnes() {
        assertThatThrownBy(() -> WdrfEngine.builder().policy("lottery").build())
                .hasMessageContaining("lottery").hasMessageContaining("wdrf").hasMessageContaining("multifactor");
    }

    @Test
    void fifoGivesEqualPrioritiesAndDrfIgnoresAgeAndClass() {
        Workload urgentOld = pending("a", "u", T0, "1", "1Gi").toBuilder().labels(Map.of("wdrf.x-k8s.io/urgent", "true")).build();
        ClusterSnapshot s = snapshot().workload(urgentOld).workload(pending("b", "n", T0.plusSeconds(3600), "1", "1Gi")).build();
        Instant now = T0.plus(Duration.ofHours(30));
        Evaluation fifo = WdrfEngine.builder().policy("fifo").config(quotaNoAging()).build().evaluate(s, now);
        assertThat(fifo.plan().decisions()).extracting(PriorityDecision::priority).containsOnly(0);
        Evaluation drf = WdrfEngine.builder().policy("drf").config(PolicyConfig.builder().capacitySource("quota").build()).build().evaluate(s, now);
        assertThat(drf.plan().decisions()).extracting(PriorityDecision::priority).hasSize(2).containsOnly(drf.plan().decisions().get(0).priority());
    }
}
