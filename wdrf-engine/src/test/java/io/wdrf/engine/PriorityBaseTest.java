package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static io.wdrf.engine.Fixtures.admitted;
import static io.wdrf.engine.Fixtures.pending;
import static io.wdrf.engine.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13.8: with the centred base, an unprioritised workload (priority 0, e.g. created while WDRF was down) ranks
 * among WDRF's normal work, not behind all of it; with base 0 it ranks behind every prioritised workload.
 */
class PriorityBaseTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theCentredBaseIsMinusNormalClassPointsAndHalfTheResolution() {
        PolicyConfig d = PolicyConfig.defaults();
        // band = ceil(10000 * 1.25) + 1 = 12501; fairness(1) = 10000 / 2
        assertThat(PriorityBase.centred(d)).isEqualTo(1 - (12_501 + 5_000));
        PolicyConfig other = PolicyConfig.builder().fairnessResolution(1000).agingCoefficient(1).build();
        assertThat(PriorityBase.centred(other)).isEqualTo(1 - (2001 + 500));
        assertThat(PriorityBase.auto("wdrf", d)).isEqualTo(PriorityBase.centred(d));
        assertThat(PriorityBase.auto("multifactor", d)).isEqualTo(PriorityBase.centred(d));
        assertThat(PriorityBase.auto("fifo", d)).isZero();
        assertThat(PriorityBase.auto("my-plugin", d)).isZero();
    }

    @Test
    void anUnprioritisedWorkloadRanksAmongWdrfsNormalWorkNotBehindIt() {
        // tenant a holds 6 of 9 cpu (over its half), tenant b holds nothing, tenant c holds exactly its third
        ClusterSnapshot s = snapshot()
                .workload(admitted("a", "run", "6", "1Gi")).workload(admitted("c", "run", "3", "1Gi"))
                .workload(pending("a", "fresh", T0, "1", "1Gi"))
                .workload(pending("b", "fresh", T0, "1", "1Gi"))
                .workload(pending("b", "old", T0.minus(Duration.ofHours(20)), "1", "1Gi"))
                .build();
        PolicyConfig zero = PolicyConfig.builder().capacitySource("quota").build();
        PolicyConfig centred = zero.toBuilder().priorityBase(PriorityBase.centred(zero)).build();
        List<PriorityDecision> withZero = WdrfEngine.builder().config(zero).build().evaluate(s, T0).plan().decisions();
        List<PriorityDecision> withCentre = WdrfEngine.builder().config(centred).build().evaluate(s, T0).plan().decisions();
        // base 0: every WDRF priority is above an unprioritised workload's 0 (it waits behind all of them)
        assertThat(withZero).allSatisfy(d -> assertThat(d.priority()).isGreaterThan(0));
        // centred: the over-served tenant's fresh work is below 0, the under-served tenant's above
        assertThat(priority(withCentre, "a", "fresh")).isNegative();
        assertThat(priority(withCentre, "b", "fresh")).isPositive();
        assertThat(priority(withCentre, "b", "old")).isGreaterThan(priority(withCentre, "b", "fresh"));
        // the same order as with base 0, shifted uniformly
        assertThat(order(withCentre)).isEqualTo(order(withZero));
        for (PriorityDecision d : withCentre) {
            assertThat(d.priority() - PriorityBase.centred(zero)).isEqualTo(priority(withZero, d.workloadId().namespace(),
                    d.workloadId().name()));
        }
    }

    @Test
    void aFreshWorkloadOfATenantExactlyAtItsEntitlementGetsOneJustAboveUnprioritisedWork() {
        // two active tenants, c holds 4.5 of 9 cpu = exactly its half: level 1
        Workload p = pending("c", "fresh", T0, "1", "1Gi");
        ClusterSnapshot s = snapshot().workload(admitted("c", "run", "4.5", "1Gi")).workload(p)
                .workload(pending("d", "x", T0, "1", "1Gi")).build();
        PolicyConfig zero = PolicyConfig.builder().capacitySource("quota").agingCoefficient(0.25).build();
        PolicyConfig centred = zero.toBuilder().priorityBase(PriorityBase.centred(zero)).build();
        assertThat(WdrfEngine.builder().config(centred).build().evaluate(s, T0).plan().find(p.id()).orElseThrow().priority())
                .isEqualTo(1);
    }

    private static int priority(List<PriorityDecision> ds, String ns, String name) {
        return ds.stream().filter(d -> d.workloadId().namespace().equals(ns) && d.workloadId().name().equals(name))
                .findFirst().orElseThrow().priority();
    }

    private static List<String> order(List<PriorityDecision> ds) {
        return ds.stream().sorted(Comparator.comparingInt(PriorityDecision::priority).reversed()
                        .thenComparing(PriorityDecision::workloadId))
                .map(d -> d.workloadId().toString()).toList();
    }
}
