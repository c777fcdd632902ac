package io.wdrf.standalone;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityPolicyProvider;

import java.util.ArrayList;
import java.util.List;

/** Test-only plugin policy (registered in META-INF/services): every pending workload gets {@code value} (option). */
public class ConstantPolicyProvider implements PriorityPolicyProvider {

    @Override
    public String name() {
        return "test-constant";
    }

    @Override
    public PriorityPolicy create(PolicyConfig config) {
        int value;
        try {
            value = Integer.parseInt(config.options().getOrDefault("value", "7"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy-options.value: '" + config.options().get("value")
                    + "' is not an integer");
        }
        return new PriorityPolicy() {
            @Override
            public String name() {
                return "test-constant";
            }

            @Override
            public PriorityPlan evaluate(PolicyContext context) {
                List<PriorityDecision> out = new ArrayList<>();
                for (PendingWorkload p : context.pending()) {
                    out.add(new PriorityDecision(p.id(), value, Explanation.builder("test-constant")
                            .tenant(p.tenant()).workloadClass(p.workloadClass()).tenantWeight(1).level(p.level())
                            .waited(p.waited()).score(value).build()));
                }
                return new PriorityPlan("test-constant", context.now(), out);
            }
        };
    }
}
