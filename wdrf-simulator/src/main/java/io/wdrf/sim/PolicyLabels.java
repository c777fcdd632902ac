package io.wdrf.sim;

import io.wdrf.api.PriorityPolicyProvider;
import io.wdrf.engine.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The policy labels {@code simulate} accepts: the built-in engine policies, {@code wdrf-noaging}, and every plugin. */
final class PolicyLabels {

    /** wdrf with aging coefficient 0. */
    static final String WDRF_NOAGING = "wdrf-noaging";

    private PolicyLabels() {
    }

    /** Built-ins in {@link Policies#BUILT_IN} order, then {@code wdrf-noaging}, then plugin names in load order. */
    static List<String> known(ClassLoader loader) {
        List<String> out = new ArrayList<>(Policies.BUILT_IN);
        out.add(WDRF_NOAGING);
        for (PriorityPolicyProvider p : ServiceLoader.load(PriorityPolicyProvider.class, loader)) {
            if (!out.contains(p.name())) {
                out.add(p.name());
            }
        }
        return out;
    }
}
