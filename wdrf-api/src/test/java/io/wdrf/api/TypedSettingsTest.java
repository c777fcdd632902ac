package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedSettingsTest {

    @Test
    void tenantKeysRoundTripTheirSpelling() {
        for (String k : List.of("namespace", "localQueue", "clusterQueue", "label:team")) {
            assertThat(TenantKey.parse(k).configName()).isEqualTo(k);
        }
        assertThat(TenantKey.parse("label:team")).isEqualTo(new TenantKey.Label("team"));
        assertThatThrownBy(() -> TenantKey.parse("label:")).isInstanceOf(SettingException.class)
                .satisfies(e -> assertThat(((SettingException) e).setting()).isEqualTo("tenantKey"));
        assertThatThrownBy(() -> PolicyConfig.builder().tenantKey("team").build()).isInstanceOf(SettingException.class)
                .hasMessage("tenantKey: 'team' is not one of namespace, localQueue, clusterQueue, label:<key>");
    }

    @Test
    void capacitySourceAndKueuePoliciesParseTheirSpellings() {
        assertThat(PolicyConfig.builder().capacitySource("quota").build().typedCapacitySource()).isEqualTo(CapacitySource.QUOTA);
        SettingException e = org.junit.jupiter.api.Assertions.assertThrows(SettingException.class,
                () -> CapacitySource.parse("gpus"));
        assertThat(e.setting()).isEqualTo("capacitySource");
        assertThat(e.reason()).isEqualTo("'gpus' is not one of nodes, quota, auto");
        ClusterQueueInfo cq = new ClusterQueueInfo("cq", "co", List.of(), "StrictFIFO", "LowerOrNewerEqualPriority",
                "Any", "SomethingNewer", 1);
        assertThat(cq.strategy()).isEqualTo(KueuePolicies.QueueingStrategy.STRICT_FIFO);
        assertThat(cq.withinClusterQueuePolicy()).isEqualTo(KueuePolicies.WithinClusterQueue.LOWER_OR_NEWER_EQUAL_PRIORITY);
        assertThat(cq.reclaimWithinCohortPolicy()).isEqualTo(KueuePolicies.CohortPreemption.ANY);
        assertThat(cq.borrowWithinCohortPolicy()).as("unknown value of a newer Kueue").isNull();
        assertThat(ClusterQueueInfo.of("d", List.of()).strategy()).isEqualTo(KueuePolicies.QueueingStrategy.BEST_EFFORT_FIFO);
    }
}
