package io.wdrf.learned;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityPolicyProvider;

/**
 * Registers {@code learned} (weighted pointwise features inside class bands). Select it with
 * {@code wdrf.policy = learned} and {@code wdrf.policy-options."learned.weights" = "fairness=…,age=…"} (the
 * fragment {@code wdrf train} writes); without weights it orders like {@code wdrf}. Put this jar in
 * {@code wdrf.plugin-path}.
 */
public final class LearnedPolicyProvider implements PriorityPolicyProvider {

    @Override
    public String name() {
        return LearnedPolicy.NAME;
    }

    @Override
    public PriorityPolicy create(PolicyConfig config) {
        String raw = config.options().get(LearnedWeights.OPTION);
        LearnedWeights w = raw == null || raw.isBlank()
                ? LearnedWeights.wdrfEquivalent(config.agingCoefficient())
                : LearnedWeights.parse(raw);
        return new LearnedPolicy(config, w);
    }
}
