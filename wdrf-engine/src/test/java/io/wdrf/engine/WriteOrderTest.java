package io.wdrf.engine;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-computed admission windows. cq-a: 4 CPU nominal, 2 used by an admitted workload, so 2 free; cq-b: 3 CPU, none
 * used. Plan: a1 900 (1 CPU), b1 800 (2), a2 700 (1), b2 600 (2), a3 500 (1), b3 400 (1).
 * cq-a window: a1 (1 ≤ 2), a2 (2 ≤ 2); a3 would make 3 &gt; 2. cq-b StrictFIFO: b1 (2 ≤ 3), b2 makes 4 &gt; 3 and closes
 * the window; BestEffortFIFO: b3 still fits (2 + 1 = 3).
 */
class WriteOrderTest {

    private static Workload wl(String name) {
        return Fixtures.pending("team", name, T0, "1", "1Gi");
    }

    private WriteOrder order(String strategyB) {
        ClusterQueueInfo a = new ClusterQueueInfo("cq-a", null, List.of(ResourceQuota.of("default", "cpu", "4")),
                ClusterQueueInfo.BEST_EFFORT_FIFO, "Never", "Never", "Never", 1);
        ClusterQueueInfo b = new ClusterQueueInfo("cq-b", null, List.of(ResourceQuota.of("default", "cpu", "3")),
                strategyB, "Never", "Never", "Never", 1);
        Workload running = Fixtures.admitted("team", "run", "2", "1Gi").toBuilder()
                .admission(new Admission("cq-a", List.of(new PodSetAssignment("main", Map.of(),
                        ResourceVector.of(Map.of("cpu", 2.0)), 1)))).build();
        String[][] plan = {{"a1", "cq-a", "900", "1"}, {"b1", "cq-b", "800", "2"}, {"a2", "cq-a", "700", "1"},
                {"b2", "cq-b", "600", "2"}, {"a3", "cq-a", "500", "1"}, {"b3", "cq-b", "400", "1"}};
        List<PendingWorkload> pending = new ArrayList<>();
        List<PriorityDecision> decisions = new ArrayList<>();
        Map<WorkloadId, String> queueOf = new HashMap<>();
        Map<WorkloadId, PendingWorkload> byId = new HashMap<>();
        ClusterSnapshot.Builder s = ClusterSnapshot.builder(T0).clusterQueue(a).clusterQueue(b).workload(running);
        for (String[] row : plan) {
            Workload w = wl(row[0]);
            s.workload(w);
            PendingWorkload p = new PendingWorkload(w, "team", "normal",
                    ResourceVector.of(Map.of("cpu", Double.parseDouble(row[3]))), 0, Duration.ZERO);
            pending.add(p);
            byId.put(w.id(), p);
            queueOf.put(w.id(), row[1]);
            decisions.add(new PriorityDecision(w.id(), Integer.parseInt(row[2]), Explanation.builder("test").build()));
        }
        ClusterSnapshot snapshot = s.build();
        PolicyContext ctx = new PolicyContext(snapshot, T0, PolicyConfig.defaults(), ResourceVector.empty(), Map.of(), pending);
        Evaluation ev = new Evaluation(ctx, new PriorityPlan("test", T0, decisions), List.of(), queueOf);
        return new WriteOrder(snapshot, ev, byId);
    }

    private static WorkloadId id(String name) {
        return new WorkloadId("team", name);
    }

    @Test
    void windowIsWhatFitsInFreeQuotaAndStrictFifoStopsAtTheFirstMisfit() {
        WriteOrder o = order(ClusterQueueInfo.STRICT_FIFO);
        assertThat(o.window()).containsExactly(id("a1"), id("b1"), id("a2"));
        List<WorkloadId> all = new ArrayList<>(List.of(id("b3"), id("a3"), id("b2"), id("a2"), id("b1"), id("a1")));
        all.sort(o.comparator());
        // window by rank (heads of both queues first), then the rest by rank in their queue, then plan order
        assertThat(all).containsExactly(id("a1"), id("b1"), id("a2"), id("b2"), id("a3"), id("b3"));
    }

    @Test
    void bestEffortFifoKeepsLookingForWorkloadsThatFit() {
        assertThat(order(ClusterQueueInfo.BEST_EFFORT_FIFO).window()).containsExactly(id("a1"), id("b1"), id("a2"), id("b3"));
    }

    @Test
    void outsideTheWindowOnlyWritesThatReachTheWindowMatter() {
        WriteOrder o = order(ClusterQueueInfo.STRICT_FIFO);
        // cq-a's lowest window target is a2's 700
        assertThat(o.orderMatters(id("a3"), 100, 500)).isFalse();
        assertThat(o.orderMatters(id("a3"), 700, 500)).as("currently ties the window: must be lowered").isTrue();
        assertThat(o.orderMatters(id("a3"), 100, 750)).as("should join the window's order").isTrue();
        assertThat(o.orderMatters(id("a1"), 899, 900)).as("window members always matter").isTrue();
    }
}
