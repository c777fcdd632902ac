package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plan's order and its one-decision-per-workload promise, for input in id order (fast path) and in any order. */
class PriorityPlanTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static PriorityDecision d(String ns, String name, int priority) {
        return new PriorityDecision(new WorkloadId(ns, name), priority, Explanation.builder("t").build());
    }

    @Test
    void anyInputOrderGivesPriorityDescendingThenIdAscending() {
        Random rnd = new Random(3);
        for (int round = 0; round < 200; round++) {
            List<PriorityDecision> in = new ArrayList<>();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                int p = rnd.nextInt(5) == 0 ? Integer.MIN_VALUE + rnd.nextInt(2)
                        : rnd.nextInt(5) == 0 ? Integer.MAX_VALUE - rnd.nextInt(2) : rnd.nextInt(7) - 3;
                in.add(d("ns" + rnd.nextInt(4), "w" + i, p));
            }
            List<PriorityDecision> byId = new ArrayList<>(in);
            byId.sort((a, b) -> a.workloadId().compareTo(b.workloadId()));
            List<PriorityDecision> shuffled = new ArrayList<>(in);
            Collections.shuffle(shuffled, rnd);
            List<PriorityDecision> want = new ArrayList<>(in);
            want.sort(PriorityPlan.ORDER);
            assertThat(new PriorityPlan("t", T, byId).decisions()).containsExactlyElementsOf(want);
            assertThat(new PriorityPlan("t", T, shuffled).decisions()).containsExactlyElementsOf(want);
        }
    }

    @Test
    void aRepeatedIdIsRejectedWhateverTheOrder() {
        PriorityDecision a = d("ns", "a", 1);
        PriorityDecision b = d("ns", "b", 2);
        PriorityDecision a2 = d("ns", "a", 5);
        assertThatThrownBy(() -> new PriorityPlan("t", T, List.of(a, a2, b))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriorityPlan("t", T, List.of(a, b, a2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriorityPlan("t", T, List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PriorityPlan("t", T, List.of(a, b)).decisions()).containsExactly(b, a);
    }

    private static PolicyContext context(List<WorkloadId> ids) {
        List<PendingWorkload> pending = new ArrayList<>();
        for (WorkloadId id : ids) {
            Workload w = Workload.builder(id.namespace(), id.name(), T).queueName("q").build();
            pending.add(new PendingWorkload(w, id.namespace(), PolicyConfig.NORMAL, ResourceVector.empty(), 0, java.time.Duration.ZERO));
        }
        return new PolicyContext(ClusterSnapshot.builder(T).build(), T, PolicyConfig.defaults(), ResourceVector.empty(),
                java.util.Map.of(), pending);
    }

    @Test
    void decisionsInTheirContextsPendingOrderGiveTheSamePlanAsTheConstructor() {
        Random rnd = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<WorkloadId> ids = new ArrayList<>();
            int n = rnd.nextInt(50);
            for (int i = 0; i < n; i++) {
                ids.add(new WorkloadId("ns" + rnd.nextInt(4), "w" + i));
            }
            ids.sort(null);
            PolicyContext ctx = context(ids);
            List<PriorityDecision> in = new ArrayList<>();
            for (PendingWorkload p : ctx.pending()) {
                in.add(new PriorityDecision(p.id(), rnd.nextInt(7) - 3, Explanation.builder("t").build()));
            }
            assertThat(PriorityPlan.ofPending("t", ctx, in)).isEqualTo(new PriorityPlan("t", T, in));
        }
    }

    @Test
    void decisionsNotPairedWithTheContextsPendingWorkloadsAreRejected() {
        PolicyContext ctx = context(List.of(new WorkloadId("ns", "a"), new WorkloadId("ns", "b")));
        PriorityDecision a = d("ns", "a", 1);
        PriorityDecision b = d("ns", "b", 2);
        assertThat(PriorityPlan.ofPending("t", ctx, List.of(a, b)).decisions()).containsExactly(b, a); // equal ids pair too
        assertThatThrownBy(() -> PriorityPlan.ofPending("t", ctx, List.of(b, a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decision 0 is for ns/b");
        assertThatThrownBy(() -> PriorityPlan.ofPending("t", ctx, List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PriorityPlan.ofPending("t", ctx, List.of(a))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 decisions for 2 pending");
    }
}
