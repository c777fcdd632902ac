package io.wdrf.examples.plugin;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShortestJobFirstPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Workload job(String ns, String name, String minutes) {
        Workload.Builder b = Workload.builder(ns, name, T0).queueName("q").addPodSet(PodSet.of("main", 1, Map.of("cpu", "1")));
        if (minutes != null) {
            b.annotations(Map.of(ShortestJobFirstPolicy.EXPECTED_MINUTES, minutes));
        }
        return b.build();
    }

    @Test
    void isFoundByNameThroughServiceLoaderAndOrdersShortJobsFirst() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0)
                .clusterQueue(ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("default", "cpu", "10"))))
                .workload(job("a", "long", "600")).workload(job("b", "short", "5")).workload(job("c", "unknown", null))
                .workload(job("d", "garbage", "soon")).build();
        WdrfEngine engine = WdrfEngine.builder().policy("sjf").config(PolicyConfig.builder().capacitySource("quota").build()).build();
        Evaluation ev = engine.evaluate(s, T0);
        assertThat(engine.policy().name()).isEqualTo("sjf");
        assertThat(ev.plan().decisions()).extracting(d -> d.workloadId().name()).first().isEqualTo("short");
        assertThat(ev.plan().decisions()).extracting(d -> d.workloadId().name()).last().isEqualTo("long");
        assertThat(ev.plan().find(new io.wdrf.api.WorkloadId("d", "garbage")).orElseThrow().explanation().factors())
                .containsEntry("expectedMinutes", 60.0);
    }

    @Test
    void badOptionIsRejectedWithItsKey() {
        PolicyConfig cfg = PolicyConfig.builder().options(Map.of("sjf.default-minutes", "an hour")).build();
        assertThatThrownBy(() -> WdrfEngine.builder().policy("sjf").config(cfg).build())
                .hasMessageContaining("sjf.default-minutes").hasMessageContaining("'an hour'");
    }
}
