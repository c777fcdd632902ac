package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.TenantState;

import java.util.ArrayList;
import java.util.List;

/**
 * Weighted DRF with aging and classes ({@code wdrf}); with {@code aging=false, classes=false} it is plain weighted
 * DRF ({@code drf}). See {@link Points} for the formulas.
 */
final class WdrfPolicy implements PriorityPolicy {

    private final String name;
    private final Points points;
    private final boolean aging;
    private final boolean classes;

    WdrfPolicy(String name, PolicyConfig config, boolean aging, boolean classes) {
        this.name = name;
        this.points = new Points(config);
        this.aging = aging;
        this.classes = classes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        List<PriorityDecision> out = new ArrayList<>(context.pending().size());
        for (PendingWorkload p : context.pending()) {
            TenantState t = context.tenants().get(p.tenant());
            long fairness = points.fairness(p.level());
            double ageFactor = aging ? points.ageFactor(p.waited()) : 0.0;
            long agingPts = aging ? points.aging(ageFactor) : 0;
            String cls = classes ? p.workloadClass() : PolicyConfig.NORMAL;
            long classPts = classes ? points.classPoints(cls) : 0;
            long score = classPts + agingPts + fairness;
            Explanation e = new Explanation(name, p.tenant(), cls, t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), ageFactor, classPts, agingPts, fairness, score, null, null);
            out.add(new PriorityDecision(p.id(), points.toPriority(score), e));
        }
        return new PriorityPlan(name, context.now(), out);
    }
}
