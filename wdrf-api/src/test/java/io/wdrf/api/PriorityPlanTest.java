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
            PriorityPlan plan = PriorityPlan.ofPending("t", ctx, in);
            assertThat(plan).isEqualTo(new PriorityPlan("t", T, in));
            for (int k = 0; k < plan.decisions().size(); k++) { // each decision's position is its pending workload's
                assertThat(ctx.pending().get(plan.pendingPosition(k)).id()).isSameAs(plan.decisions().get(k).workloadId());
            }
            if (!in.isEmpty()) { // a plan made by the constructor knows no positions
                assertThat(new PriorityPlan("t", T, in).pendingPosition(0)).isEqualTo(-1);
            }
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

    @Test
    void decisionsReusedFromTheLastPlanArePairedByIdentityAndNothingElseIs() {
        List<WorkloadId> ids = List.of(new WorkloadId("ns", "a"), new WorkloadId("ns", "b"), new WorkloadId("ns", "c"));
        PolicyContext first = context(ids);
        List<PriorityDecision> firstDecisions = new ArrayList<>();
        for (PendingWorkload p : first.pending()) {
            firstDecisions.add(new PriorityDecision(p.id(), p.id().name().charAt(0), Explanation.builder("t").build()));
        }
        PriorityPlan last = PriorityPlan.ofPending("t", first, firstDecisions);
        // the next cycle: b left, d came; a and c are the very same pending objects with the very same decisions
        List<PendingWorkload> next = new ArrayList<>(List.of(first.pending().get(0), first.pending().get(2)));
        Workload d = Workload.builder("ns", "d", T).queueName("q").build();
        next.add(new PendingWorkload(d, "ns", PolicyConfig.NORMAL, ResourceVector.empty(), 0, java.time.Duration.ZERO));
        PolicyContext second = new PolicyContext(ClusterSnapshot.builder(T).build(), T, PolicyConfig.defaults(),
                ResourceVector.empty(), java.util.Map.of(), next);
        List<PriorityDecision> reused = List.of(firstDecisions.get(0), firstDecisions.get(2), d("ns", "d", 50));
        assertThat(PriorityPlan.ofPending("t", second, reused, last)).isEqualTo(new PriorityPlan("t", T, reused));
        // a reused decision at the wrong position is still caught: identity pairs only the same object with its own
        List<PriorityDecision> swapped = List.of(firstDecisions.get(2), firstDecisions.get(0), d("ns", "d", 50));
        assertThatThrownBy(() -> PriorityPlan.ofPending("t", second, swapped, last)).isInstanceOf(IllegalArgumentException.class);
        // a plan not built by ofPending vouches for nothing: every pair is checked
        PriorityPlan forged = new PriorityPlan("t", T, firstDecisions);
        assertThat(PriorityPlan.ofPending("t", second, reused, forged)).isEqualTo(new PriorityPlan("t", T, reused));
        assertThatThrownBy(() -> PriorityPlan.ofPending("t", second, swapped, forged)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overCyclesThatKeepDropAndAddWorkloadsThePlanWithItsPredecessorEqualsTheConstructors() {
        Random rnd = new Random(9);
        for (int seq = 0; seq < 40; seq++) {
            java.util.TreeMap<WorkloadId, PendingWorkload> live = new java.util.TreeMap<>();
            java.util.Map<PendingWorkload, PriorityDecision> decided = new java.util.IdentityHashMap<>();
            PriorityPlan last = null;
            int next = 0;
            for (int cycle = 0; cycle < 30; cycle++) {
                int changes = cycle == 0 ? 40 : rnd.nextInt(6);
                for (int c = 0; c < changes; c++) {
                    int op = live.isEmpty() ? 0 : rnd.nextInt(4);
                    if (op == 0) {
                        WorkloadId id = new WorkloadId("ns" + rnd.nextInt(3), "w" + next++);
                        Workload w = Workload.builder(id.namespace(), id.name(), T).queueName("q").build();
                        live.put(id, new PendingWorkload(w, id.namespace(), PolicyConfig.NORMAL, ResourceVector.empty(), 0,
                                java.time.Duration.ZERO));
                    } else {
                        WorkloadId id = new ArrayList<>(live.keySet()).get(rnd.nextInt(live.size()));
                        if (op == 1) {
                            live.remove(id);
                        } else if (op == 2) { // a new pending object for the same workload
                            PendingWorkload p = live.get(id);
                            live.put(id, new PendingWorkload(p.workload(), p.tenant(), p.workloadClass(), p.demand(), 1, p.waited()));
                        } else { // the same pending object, a new decision
                            decided.remove(live.get(id));
                        }
                    }
                }
                PolicyContext ctx = new PolicyContext(ClusterSnapshot.builder(T).build(), T, PolicyConfig.defaults(),
                        ResourceVector.empty(), java.util.Map.of(), new ArrayList<>(live.values()));
                List<PriorityDecision> ds = new ArrayList<>();
                for (PendingWorkload p : ctx.pending()) {
                    ds.add(decided.computeIfAbsent(p, k -> new PriorityDecision(k.id(), rnd.nextInt(9) - 4,
                            Explanation.builder("t").build())));
                }
                PriorityPlan plan = PriorityPlan.ofPending("t", ctx, ds, last);
                assertThat(plan).as("seq %d cycle %d", seq, cycle).isEqualTo(new PriorityPlan("t", T, ds));
                for (int k = 0; k < plan.decisions().size(); k++) { // merged or sorted: the positions are the pairing
                    assertThat(ds.get(plan.pendingPosition(k))).isSameAs(plan.decisions().get(k));
                }
                last = plan;
            }
        }
    }
}
