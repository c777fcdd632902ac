package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.wdrf.engine.Fixtures.T0;
import static io.wdrf.engine.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

/** The numbers of the README's worked example; if this fails, the README is no longer true. */
class ReadmeWorkedExampleTest {

    @Test
    void workedExampleNumbers() {
        ClusterSnapshot.Builder b = Fixtures.snapshot();
        for (int i = 0; i < 4; i++) {
            b.workload(pending("a", "a-" + i, T0, "1", "4Gi"));
            b.workload(pending("b", "b-" + i, T0, "3", "1Gi"));
        }
        Workload urgent = pending("b", "hotfix", T0, "3", "1Gi").toBuilder().labels(Map.of("wdrf.x-k8s.io/urgent", "true")).build();
        b.workload(urgent);
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota").build()).build();
        Evaluation now = engine.evaluate(b.build(), T0);
        assertThat(priority(now, "a", "a-0")).isEqualTo(30_001);
        assertThat(priority(now, "a", "a-1")).isEqualTo(28_182);
        assertThat(priority(now, "a", "a-2")).isEqualTo(26_924);
        assertThat(priority(now, "a", "a-3")).isEqualTo(26_001);
        // b's urgent workload takes b's first slot of progressive filling
        assertThat(priority(now, "b", "hotfix")).isEqualTo(20_001_000 + 10_000);
        assertThat(priority(now, "b", "b-0")).isEqualTo(27_501);
        Evaluation later = engine.evaluate(b.build(), T0.plus(Duration.ofHours(12)));
        assertThat(priority(later, "a", "a-0")).isEqualTo(35_001);
        PriorityDecision d = later.plan().find(new WorkloadId("a", "a-1")).orElseThrow();
        assertThat(d.explanation().summary()).isEqualTo(
                "wdrf: class=normal tenant=a weight=1.00 share=0.0000 level=0.2222 wait=43200s age=0.50 points=20001+5000+8181=33182");
    }

    private static int priority(Evaluation e, String ns, String name) {
        return e.plan().find(new WorkloadId(ns, name)).orElseThrow().priority();
    }
}
