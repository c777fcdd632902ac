package io.wdrf.learned;

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
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code learned}: a weighted sum of the pointwise features, placed inside the workload's class band.
 *
 * <pre>
 *   score    = Σ_i w_i · f_i              f = {@link Features#pointwise} row, each f_i ∈ [0, 1]
 *   unit     = (score − Σ min(0, w_i)) / (Σ max(0, w_i) − Σ min(0, w_i))     ∈ [0, 1]
 *   priority = base + class(c) + round(unit · (band − 1))                        ({@link ClassBand})
 * </pre>
 * Classes keep their order; the engine's preemption guard still applies.
 */
final class LearnedPolicy implements PriorityPolicy {

    static final String NAME = "learned";

    private final LearnedWeights weights;
    private final ClassBand band;

    LearnedPolicy(PolicyConfig config, LearnedWeights weights) {
        this.weights = weights;
        this.band = new ClassBand(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        List<PriorityDecision> out = new ArrayList<>(context.pending().size());
        for (PendingWorkload p : context.pending()) {
            double[] f = Features.pointwise(p, context);
            double score = weights.score(f);
            double unit = weights.unit(score);
            int priority = band.priority(p.workloadClass(), unit);
            TenantState t = context.tenants().get(p.tenant());
            Map<String, Double> factors = new TreeMap<>();
            for (int i = 0; i < f.length; i++) {
                if (weights.get(i) != 0) {
                    factors.put(Features.POINTWISE_COLUMNS.get(i), f[i]);
                }
            }
            factors.put("unit", unit);
            double classPts = band.classPoints(p.workloadClass());
            Explanation e = new Explanation(NAME, p.tenant(), p.workloadClass(), t == null ? 1 : t.weight(),
                    t == null ? 0 : t.weightedDominantShare(), t == null ? "" : t.dominantResource(), p.level(),
                    p.waited(), f[1], classPts, 0, 0, classPts + band.inBand(p.workloadClass(), priority), factors, null);
            out.add(new PriorityDecision(p.id(), priority, e));
        }
        return new PriorityPlan(NAME, context.now(), out);
    }
}
