package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Workload.Builder wl() {
        return Workload.builder("ns", "w", T0).addPodSet(PodSet.of("main", 1, Map.of("cpu", "1")));
    }

    @Test
    void phaseFollowsKueueStatusOrder() {
        assertThat(wl().build().phase()).isEqualTo(Phase.PENDING);
        assertThat(wl().condition(Workload.QUOTA_RESERVED, true).build().phase()).isEqualTo(Phase.ADMITTED);
        assertThat(wl().condition(Workload.QUOTA_RESERVED, true).condition(Workload.FINISHED, true).build().phase())
                .isEqualTo(Phase.FINISHED);
    }

    @Test
    void admissiblePredicateMatchesKueue() {
        assertThat(wl().build().isAdmissible()).isTrue();
        assertThat(wl().active(false).build().isAdmissible()).isFalse();
        assertThat(wl().condition(Workload.QUOTA_RESERVED, true).build().isAdmissible()).isFalse();
        assertThat(wl().condition(Workload.FINISHED, true).build().isAdmissible()).isFalse();
        assertThat(wl().annotations(Map.of(Workload.ADMISSION_GATED_BY, "x")).build().isAdmissible()).isFalse();
        assertThat(wl().condition(Workload.WAITING_FOR_REPLACEMENT_PODS, true).build().isAdmissible()).isFalse();
    }

    @Test
    void effectivePriorityAddsBoostAndSaturates() {
        assertThat(wl().build().effectivePriority()).isZero();
        assertThat(wl().priority(10).priorityBoost(-3).build().effectivePriority()).isEqualTo(7);
        assertThat(wl().priority(Integer.MAX_VALUE).priorityBoost(5).build().effectivePriority()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void queueOrderTimeUsesLastEviction() {
        Instant later = T0.plusSeconds(60);
        assertThat(wl().build().queueOrderTime()).isEqualTo(T0);
        assertThat(wl().lastEvictionTime(later).build().queueOrderTime()).isEqualTo(later);
    }

    @Test
    void workloadIdParsesAndRejects() {
        assertThat(WorkloadId.parse("a/b")).isEqualTo(new WorkloadId("a", "b"));
        assertThatThrownBy(() -> WorkloadId.parse("ab")).hasMessageContaining("'ab'");
        assertThatThrownBy(() -> WorkloadId.parse("a/b/c")).hasMessageContaining("'a/b/c'");
        assertThatThrownBy(() -> WorkloadId.parse("/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void podSetValidatesCounts() {
        assertThatThrownBy(() -> new PodSet("p", -1, null, null, null, null, null)).hasMessageContaining("negative count");
        assertThatThrownBy(() -> new PodSet("p", 2, 3, null, null, null, null)).hasMessageContaining("minCount 3");
    }

    @Test
    void policyConfigRejectsBadValuesWithKeyNames() {
        assertThatThrownBy(() -> PolicyConfig.builder().tenantKey("team").build()).hasMessageContaining("tenantKey");
        assertThatThrownBy(() -> PolicyConfig.builder().agingCoefficient(-1).build()).hasMessageContaining("agingCoefficient");
        assertThatThrownBy(() -> PolicyConfig.builder().maxAgingTime(java.time.Duration.ZERO).build()).hasMessageContaining("maxAgingTime");
        assertThatThrownBy(() -> PolicyConfig.builder().tenantWeights(Map.of("a", 0.0)).build()).hasMessageContaining("tenantWeights.a");
        assertThatThrownBy(() -> PolicyConfig.builder().resourceWeights(Map.of("cpu", -1.0)).build()).hasMessageContaining("resourceWeights.cpu");
        assertThatThrownBy(() -> PolicyConfig.builder().priorityWeights(Map.of("normal", 1L, "urgent", 1L)).build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> PolicyConfig.builder().capacitySource("cloud").build()).hasMessageContaining("capacitySource");
        assertThatThrownBy(() -> PolicyConfig.builder().preemption("sometimes").build()).hasMessageContaining("preemption");
        assertThatThrownBy(() -> PolicyConfig.builder().priorityClassToClass(Map.of("high", "vip")).build()).hasMessageContaining("vip");
    }
}
