package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.TenantState;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slurm-style multifactor priority ({@code multifactor}).
 *
 * <pre>
 *   D_t ← (1 − α)·D_t + α·share_t,   α = 1 − 0.5^(Δt / halfLife)   (decayed unweighted dominant share)
 *   S_t = w_t / Σ w                                                   (normalised shares of active tenants)
 *   F_t = 2^(−D_t / S_t)                                              (Slurm's classic fair-share factor, in (0, 1])
 *   score = class(c) + aging(wait) + floor(R · F_t)
 * </pre>
 * {@code D_t / S_t} is already entitlement-relative (1.0 = decayed usage at the tenant's share among the tenants with
 * work), the same normalisation as the level of {@link Points}; {@code PendingWorkload.level} is reported as for
 * {@code wdrf}. Unlike {@code wdrf} it does not fill progressively: all workloads of a tenant, class and age step tie, and Kueue
 * breaks the tie by queue-order time. The decayed usage is state of this policy instance; it advances only when
 * the evaluation instant advances, so re-evaluating the same instant gives the same plan.
 */
final class MultifactorPolicy implements BuiltInPolicy {

    private final PolicyConfig config;
    private final Points points;
    private final Map<String, Double> decayed = new HashMap<>();
    private Instant last;

    MultifactorPolicy(PolicyConfig config) {
        this.config = config;
        this.points = new Points(config);
    }

    @Override
    public String name() {
        return "multifactor";
    }

    @Override
    public synchronized PriorityPlan evaluate(PolicyContext context) {
        Instant now = context.now();
        double alpha = 1.0;
        if (last != null) {
            double dt = Math.max(0, Duration.between(last, now).toMillis());
            alpha = 1.0 - Math.pow(0.5, dt / config.usageHalfLife().toMillis());
        }
        Map<String, Double> next = new HashMap<>();
        double totalWeight = 0;
        for (TenantState t : context.tenants().values()) {
            double share = t.weightedDominantShare() * t.weight();
            double prev = decayed.getOrDefault(t.name(), last == null ? share : 0.0);
            next.put(t.name(), (1 - alpha) * prev + alpha * share);
            totalWeight += t.weight();
        }
        if (!now.equals(last)) {
            decayed.clear();
            decayed.putAll(next);
            last = now;
        }
        List<PendingWorkload> pending = context.pending();
        PriorityDecision[] out = new PriorityDecision[pending.size()];
        for (int i = 0; i < out.length; i++) {
            PendingWorkload p = pending.get(i);
            TenantState t = context.tenants().get(p.tenant());
            double normShare = t.weight() / totalWeight;
            double d = decayed.getOrDefault(t.name(), 0.0);
            double factor = Math.pow(2.0, -d / normShare);
            long fairness = Points.exactFloor(points.resolution() * factor);
            double ageFactor = points.ageFactor(p.waited());
            long agingPts = points.aging(ageFactor);
            long classPts = points.classPoints(p.workloadClass());
            long score = classPts + agingPts + fairness;
            Explanation e = new Explanation(name(), p.tenant(), p.workloadClass(), t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), ageFactor, classPts, agingPts, fairness, score,
                    Map.of("decayedUsage", d, "fairShareFactor", factor, "normalizedShares", normShare), null);
            out[i] = new PriorityDecision(p.id(), points.toPriority(score), e);
        }
        return PriorityPlan.ofPending(name(), context, java.util.Arrays.asList(out));
    }
}
