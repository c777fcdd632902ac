package io.wdrf.examples.plugin;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityPolicyProvider;

/**
 * Registers the policy {@code sjf} (see {@link ShortestJobFirstPolicy}) through
 * {@code META-INF/services/io.wdrf.api.PriorityPolicyProvider}. Select it with {@code wdrf.policy = sjf} and put
 * this jar on the controller's classpath or in {@code wdrf.plugin-path}.
 */
public final class ShortestJobFirstProvider implements PriorityPolicyProvider {

    @Override
    public String name() {
        return "sjf";
    }

    @Override
    public PriorityPolicy create(PolicyConfig config) {
        String raw = config.options().getOrDefault("sjf.default-minutes", "60");
        long defaultMinutes;
        try {
            defaultMinutes = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy-options.\"sjf.default-minutes\": '" + raw + "' is not a whole number of minutes");
        }
        if (defaultMinutes <= 0) {
            throw new IllegalArgumentException("policy-options.\"sjf.default-minutes\": " + defaultMinutes + " must be positive");
        }
        return new ShortestJobFirstPolicy(config, defaultMinutes);
    }
}
