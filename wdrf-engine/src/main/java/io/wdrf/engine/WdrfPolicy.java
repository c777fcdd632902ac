package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.TenantState;

import java.util.List;

/**
 * Weighted DRF with aging and classes ({@code wdrf}); with {@code aging=false, classes=false} it is plain weighted
 * DRF ({@code drf}). See {@link Points} for the formulas.
 */
final class WdrfPolicy implements BuiltInPolicy {

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
        List<PendingWorkload> pending = context.pending();
        PriorityDecision[] out = new PriorityDecision[pending.size()];
        String cls = PolicyConfig.NORMAL;
        long classPts = classes ? points.classPoints(cls) : 0;
        TenantState t = null;
        for (int i = 0; i < out.length; i++) {
            PendingWorkload p = pending.get(i);
            if (t == null || !t.name().equals(p.tenant())) { // pending is by id: a tenant's workloads mostly follow each other
                t = context.tenants().get(p.tenant());
            }
            long fairness = points.fairness(p.level());
            double ageFactor = aging ? points.ageFactor(p.waited()) : 0.0;
            long agingPts = aging ? points.aging(ageFactor) : 0;
            if (classes && !cls.equals(p.workloadClass())) {
                cls = p.workloadClass();
                classPts = points.classPoints(cls);
            }
            long score = classPts + agingPts + fairness;
            Explanation e = new Explanation(name, p.tenant(), cls, t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), ageFactor, classPts, agingPts, fairness, score, null, null);
            out[i] = new PriorityDecision(p.id(), points.toPriority(score), e);
        }
        return new PriorityPlan(name, context.now(), PlanOrder.byPriority(out));
    }
}
