package io.wdrf.learn;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.WorkloadId;
import io.wdrf.learned.ClassBand;
import io.wdrf.learned.Ranking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The environment's policy: {@code wdrf}, changed by the agent's current {@link Action}. */
final class ActionPolicy implements PriorityPolicy {

    private final PriorityPolicy base;
    private final ClassBand band;
    private Action action = new Action.Keep();
    private List<WorkloadId> targets = List.of();

    ActionPolicy(PriorityPolicy base, ClassBand band) {
        this.base = base;
        this.band = band;
    }

    void set(Action action, List<WorkloadId> targets) {
        this.action = action;
        this.targets = targets;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        PriorityPlan plan = base.evaluate(context);
        if (action instanceof Action.Scores s) {
            Map<WorkloadId, Double> score = new HashMap<>();
            for (int i = 0; i < Math.min(targets.size(), s.scores().length); i++) {
                score.put(targets.get(i), s.scores()[i]);
            }
            Map<WorkloadId, String> cls = classes(context);
            List<PriorityDecision> out = new ArrayList<>();
            for (PriorityDecision d : plan.decisions()) {
                Double v = score.get(d.workloadId());
                if (v == null || Double.isNaN(v)) {
                    out.add(d);
                } else {
                    double unit = 1.0 / (1.0 + Math.exp(-v));
                    out.add(new PriorityDecision(d.workloadId(), band.priority(cls.get(d.workloadId()), unit),
                            d.explanation().withNote("agent score " + v)));
                }
            }
            return new PriorityPlan(name(), plan.evaluatedAt(), out);
        }
        if (action instanceof Action.Rank r) {
            return Ranking.rerank(plan, targets, r.slotScores(), classes(context), name(), "agent rank");
        }
        return plan;
    }

    static Map<WorkloadId, String> classes(PolicyContext context) {
        Map<WorkloadId, String> m = new HashMap<>();
        for (PendingWorkload p : context.pending()) {
            m.put(p.id(), p.workloadClass());
        }
        return m;
    }
}
