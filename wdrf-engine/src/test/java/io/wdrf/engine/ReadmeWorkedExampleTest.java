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
import static org.assertj.core.data.Offset.offset;

/** The numbers of the README's worked example; if this fails, the README is no longer true. */
class ReadmeWorkedExampleTest {

    private static ClusterSnapshot.Builder drfPaper() {
        ClusterSnapshot.Builder b = Fixtures.snapshot();
        for (int i = 0; i < 4; i++) {
            b.workload(pending("a", "a-" + i, T0, "1", "4Gi"));
            b.workload(pending("b", "b-" + i, T0, "3", "1Gi"));
        }
        return b;
    }

    private static final WdrfEngine ENGINE = WdrfEngine.builder()
            .config(PolicyConfig.builder().capacitySource("quota").build()).build();

    @Test
    void workedExampleTable() {
        Evaluation now = ENGINE.evaluate(drfPaper().build(), T0);
        Evaluation later = ENGINE.evaluate(drfPaper().build(), T0.plus(Duration.ofHours(12)));
        // name, level, priority now, priority at 12 h
        Object[][] rows = {
            {"a-0", 0.0, 30_001, 35_001}, {"b-0", 0.0, 30_001, 35_001},
            {"a-1", 4.0 / 9, 26_924, 31_924}, {"b-1", 2.0 / 3, 26_001, 31_001},
            {"a-2", 8.0 / 9, 25_295, 30_295}, {"a-3", 4.0 / 3, 24_286, 29_286}, {"b-2", 4.0 / 3, 24_286, 29_286},
            {"b-3", 2.0, 23_334, 28_334},
        };
        for (Object[] r : rows) {
            String name = (String) r[0];
            PriorityDecision d = now.plan().find(new WorkloadId(name.substring(0, 1), name)).orElseThrow();
            assertThat(d.explanation().level()).as(name).isCloseTo((Double) r[1], offset(1e-12));
            assertThat(d.priority()).as(name).isEqualTo(r[2]);
            assertThat(priority(later, name.substring(0, 1), name)).as(name).isEqualTo(r[3]);
        }
        PriorityDecision d = later.plan().find(new WorkloadId("a", "a-1")).orElseThrow();
        assertThat(d.explanation().summary()).isEqualTo(
                "wdrf: class=normal tenant=a weight=1.00 share=0.0000 level=0.4444 wait=43200s age=0.50 points=20001+5000+6923=31924");
    }

    @Test
    void urgentHotfixTakesItsTenantsFirstSlotAboveEverything() {
        Workload urgent = pending("b", "hotfix", T0, "3", "1Gi").toBuilder().labels(Map.of("wdrf.x-k8s.io/urgent", "true")).build();
        Evaluation now = ENGINE.evaluate(drfPaper().workload(urgent).build(), T0);
        assertThat(priority(now, "b", "hotfix")).isEqualTo(20_011_000);
        assertThat(priority(now, "b", "b-0")).isEqualTo(26_001);
        assertThat(priority(ENGINE.evaluate(drfPaper().workload(urgent).build(), T0.plus(Duration.ofHours(12))), "b", "hotfix"))
                .isEqualTo(20_016_000);
    }

    private static int priority(Evaluation e, String ns, String name) {
        return e.plan().find(new WorkloadId(ns, name)).orElseThrow().priority();
    }
}
