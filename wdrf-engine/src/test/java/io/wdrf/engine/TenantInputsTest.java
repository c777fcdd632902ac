package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.TenantInputs;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.wdrf.engine.Fixtures.pending;
import static io.wdrf.engine.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13.7: inputs a tenant controls cannot raise its priority unless the operator says so. Each path: ignored by
 * default with a note that starts with its {@link TenantInputs.Ignored} marker, honoured when switched on.
 */
class TenantInputsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PolicyConfig.Builder base() {
        return PolicyConfig.builder().capacitySource("quota").agingCoefficient(0);
    }

    private static PriorityDecision decision(PolicyConfig cfg, ClusterSnapshot s, Workload w) {
        return WdrfEngine.builder().config(cfg).build().evaluate(s, T0).plan().find(w.id()).orElseThrow();
    }

    private static boolean noted(PriorityDecision d, TenantInputs.Ignored what) {
        return d.explanation().notes().stream().anyMatch(n -> n.contains(what.marker()));
    }

    @Test
    void aMappedPriorityClassReachesItsClassOnlyWhereTheOperatorGrantedIt() {
        Workload mine = pending("team-a", "m", T0, "1", "1Gi").toBuilder().priorityClassName("high").build();
        Workload other = pending("team-x", "x", T0, "1", "1Gi").toBuilder().priorityClassName("high").build();
        ClusterSnapshot s = snapshot().workload(mine).workload(other).build();
        Map<String, String> mapping = Map.of("high", "urgent");
        // mapping with no grant: nobody gets urgent by naming the WorkloadPriorityClass (before: both were urgent)
        PolicyConfig closed = base().priorityClassToClass(mapping).build();
        for (Workload w : List.of(mine, other)) {
            PriorityDecision d = decision(closed, s, w);
            assertThat(d.explanation().workloadClass()).isEqualTo(PolicyConfig.NORMAL);
            assertThat(noted(d, TenantInputs.Ignored.PRIORITY_CLASS_MAPPING)).isTrue();
        }
        // granted to team-a: team-a's job is urgent, team-x's naming the same class is ignored
        PolicyConfig granted = base().priorityClassToClass(mapping).classNamespaces(Map.of("urgent", Set.of("team-a"))).build();
        assertThat(decision(granted, s, mine).explanation().workloadClass()).isEqualTo(PolicyConfig.URGENT);
        assertThat(noted(decision(granted, s, mine), TenantInputs.Ignored.PRIORITY_CLASS_MAPPING)).isFalse();
        assertThat(decision(granted, s, other).explanation().workloadClass()).isEqualTo(PolicyConfig.NORMAL);
        assertThat(noted(decision(granted, s, other), TenantInputs.Ignored.PRIORITY_CLASS_MAPPING)).isTrue();
        // the old behaviour, when the operator opens it
        PolicyConfig open = base().priorityClassToClass(mapping).tenantInputs(new TenantInputs(true, false, Set.of())).build();
        assertThat(decision(open, s, other).explanation().workloadClass()).isEqualTo(PolicyConfig.URGENT);
    }

    @Test
    void theNamespaceWeightAnnotationIsIgnoredUnlessSwitchedOnAndThenStillBounded() {
        Workload w = pending("a", "p", T0, "1", "1Gi");
        ClusterSnapshot s = snapshot().workload(w).workload(pending("b", "q", T0, "1", "1Gi"))
                .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "50"))).build();
        PolicyConfig off = base().tenantWeights(Map.of("a", 2.0)).build();
        var ev = WdrfEngine.builder().config(off).build().evaluate(s, T0);
        assertThat(ev.context().tenants().get("a").weight()).isEqualTo(2.0); // before: 50
        assertThat(noted(ev.plan().find(w.id()).orElseThrow(), TenantInputs.Ignored.NAMESPACE_WEIGHT)).isTrue();
        assertThat(ev.plan().decisions()).filteredOn(d -> d.workloadId().namespace().equals("b"))
                .noneMatch(d -> noted(d, TenantInputs.Ignored.NAMESPACE_WEIGHT));
        PolicyConfig on = off.toBuilder().tenantInputs(new TenantInputs(false, true, Set.of())).build();
        var honoured = WdrfEngine.builder().config(on).build().evaluate(s, T0);
        assertThat(honoured.context().tenants().get("a").weight()).isEqualTo(50.0);
        assertThat(noted(honoured.plan().find(w.id()).orElseThrow(), TenantInputs.Ignored.NAMESPACE_WEIGHT)).isFalse();
        ClusterSnapshot huge = snapshot().workload(w)
                .namespace(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, "1e300"))).build();
        assertThat(WdrfEngine.builder().config(on).build().evaluate(huge, T0).context().tenants().get("a").weight())
                .isEqualTo(2.0);
    }

    @Test
    void labelTenantsAreValidatedAgainstTheConfiguredSet() {
        Workload vision = pending("ns1", "v", T0, "1", "1Gi").toBuilder().labels(Map.of("team", "vision")).build();
        Workload fresh = pending("ns1", "f", T0, "1", "1Gi").toBuilder().labels(Map.of("team", "fresh-7")).build();
        Workload alsoFresh = pending("ns2", "g", T0, "1", "1Gi").toBuilder().labels(Map.of("team", "fresh-8")).build();
        ClusterSnapshot s = snapshot().workload(vision).workload(fresh).workload(alsoFresh).build();
        PolicyConfig cfg = base().tenantKey("label:team").tenantWeights(Map.of("vision", 2.0))
                .tenantInputs(new TenantInputs(false, false, Set.of("nlp"))).build();
        var ev = WdrfEngine.builder().config(cfg).build().evaluate(s, T0);
        // a fresh label value is no fresh zero-usage tenant: every unknown value shares one tenant
        assertThat(ev.context().tenants()).containsOnlyKeys("vision", TenantInputs.UNLISTED);
        assertThat(ev.context().tenants().get(TenantInputs.UNLISTED).pending()).isEqualTo(2);
        assertThat(noted(ev.plan().find(fresh.id()).orElseThrow(), TenantInputs.Ignored.LABEL_TENANT)).isTrue();
        assertThat(noted(ev.plan().find(vision.id()).orElseThrow(), TenantInputs.Ignored.LABEL_TENANT)).isFalse();
        // listed explicitly, or * (no validation)
        Workload nlp = pending("ns1", "n", T0, "1", "1Gi").toBuilder().labels(Map.of("team", "nlp")).build();
        assertThat(WdrfEngine.builder().config(cfg).build().evaluate(snapshot().workload(nlp).build(), T0).context()
                .tenants()).containsOnlyKeys("nlp");
        PolicyConfig any = cfg.toBuilder().tenantInputs(new TenantInputs(false, false, Set.of("*"))).build();
        assertThat(WdrfEngine.builder().config(any).build().evaluate(s, T0).context().tenants())
                .containsOnlyKeys("vision", "fresh-7", "fresh-8");
    }

    @Test
    void badLabelTenantSettingsAreRefused() {
        assertThatThrownBy(() -> new TenantInputs(false, false, Set.of(" "))).hasMessageContaining("labelTenants");
        assertThatThrownBy(() -> new TenantInputs(false, false, Set.of("x".repeat(64)))).hasMessageContaining("labelTenants");
    }
}
