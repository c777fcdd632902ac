package io.wdrf.examples.plugin;

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
 * Shortest expected job first, fair within equal lengths: the job's expected run time comes from the annotation
 * {@code example.wdrf.io/expected-minutes} (default from {@code policy-options."sjf.default-minutes"}), bucketed in
 * powers of two so small differences do not matter; inside a bucket the engine's progressive-filling level breaks
 * ties (lower level first).
 *
 * <pre>score = 1,000 · (20 − bucket) + floor(999 / (1 + level)),  bucket = min(19, floor(log2(minutes)))</pre>
 */
final class ShortestJobFirstPolicy implements PriorityPolicy {

    static final String EXPECTED_MINUTES = "example.wdrf.io/expected-minutes";

    private final PolicyConfig config;
    private final long defaultMinutes;

    ShortestJobFirstPolicy(PolicyConfig config, long defaultMinutes) {
        this.config = config;
        this.defaultMinutes = defaultMinutes;
    }

    @Override
    public String name() {
        return "sjf";
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        List<PriorityDecision> decisions = new ArrayList<>();
        for (PendingWorkload p : context.pending()) {
            long minutes = expectedMinutes(p);
            int bucket = (int) Math.min(19, 63 - Long.numberOfLeadingZeros(Math.max(1, minutes)));
            long lengthPoints = 1_000L * (20 - bucket);
            long fairness = (long) Math.floor(999 / (1 + p.level()));
            long score = lengthPoints + fairness;
            TenantState t = context.tenants().get(p.tenant());
            Explanation e = Explanation.builder(name()).tenant(p.tenant()).workloadClass(p.workloadClass())
                    .tenantWeight(t.weight()).dominantShare(t.weightedDominantShare())
                    .dominantResource(t.dominantResource()).level(p.level()).waited(p.waited())
                    .fairnessPoints(fairness).score(score)
                    .factor("expectedMinutes", minutes).factor("lengthPoints", lengthPoints).build();
            decisions.add(new PriorityDecision(p.id(), (int) (config.priorityBase() + score), e));
        }
        return new PriorityPlan(name(), context.now(), decisions);
    }

    private long expectedMinutes(PendingWorkload p) {
        String raw = p.workload().annotations().get(EXPECTED_MINUTES);
        if (raw == null) {
            return defaultMinutes;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return v > 0 ? v : defaultMinutes;
        } catch (NumberFormatException e) {
            // a bad hint is not fatal: fall back to the default, the explanation shows which value was used
            return defaultMinutes;
        }
    }
}
