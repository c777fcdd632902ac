package io.wdrf.learned;

import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.WorkloadId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-ranking the head of a plan (the {@code skrueue-67} way of acting): the first {@link Skrueue67#QUEUE} decisions
 * of a base plan are re-ordered by per-slot scores, <em>within each class</em>: the slots of one class swap the
 * priorities they had, so the class bands and every other workload keep their base priority.
 */
public final class Ranking {

    private Ranking() {
    }

    /** The first {@code k} workload ids of {@code plan} (priority descending, then id). */
    public static List<WorkloadId> head(PriorityPlan plan, int k) {
        List<WorkloadId> ids = new ArrayList<>(Math.min(k, plan.decisions().size()));
        for (PriorityDecision d : plan.decisions()) {
            if (ids.size() == k) {
                break;
            }
            ids.add(d.workloadId());
        }
        return ids;
    }

    /**
     * Re-orders {@code slots} (ids present in {@code base}) by {@code scores} (higher first; ties and NaN keep the base
     * order) and returns the new plan named {@code policy}; each moved decision gets {@code note}.
     *
     * @param classOf workload id → class (slots of different classes never swap)
     */
    public static PriorityPlan rerank(PriorityPlan base, List<WorkloadId> slots, double[] scores,
                                      Map<WorkloadId, String> classOf, String policy, String note) {
        Map<WorkloadId, PriorityDecision> byId = new HashMap<>();
        for (PriorityDecision d : base.decisions()) {
            byId.put(d.workloadId(), d);
        }
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < slots.size(); i++) {
            groups.computeIfAbsent(classOf.getOrDefault(slots.get(i), ""), c -> new ArrayList<>()).add(i);
        }
        Map<WorkloadId, Integer> assigned = new HashMap<>();
        for (List<Integer> g : groups.values()) {
            List<Integer> priorities = new ArrayList<>();
            for (int i : g) {
                priorities.add(byId.get(slots.get(i)).priority());
            }
            priorities.sort(Comparator.reverseOrder());
            List<Integer> order = new ArrayList<>(g);
            order.sort((a, b) -> {
                double sa = a < scores.length && !Double.isNaN(scores[a]) ? scores[a] : Double.NEGATIVE_INFINITY;
                double sb = b < scores.length && !Double.isNaN(scores[b]) ? scores[b] : Double.NEGATIVE_INFINITY;
                int c = Double.compare(sb, sa);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int r = 0; r < order.size(); r++) {
                assigned.put(slots.get(order.get(r)), priorities.get(r));
            }
        }
        List<PriorityDecision> out = new ArrayList<>(base.decisions().size());
        for (PriorityDecision d : base.decisions()) {
            Integer p = assigned.get(d.workloadId());
            out.add(p == null ? d : new PriorityDecision(d.workloadId(), p, d.explanation().withNote(note)));
        }
        return new PriorityPlan(policy, base.evaluatedAt(), out);
    }
}
