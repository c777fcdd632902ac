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
}
