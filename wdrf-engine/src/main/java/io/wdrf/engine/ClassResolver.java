package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Workload;

import java.util.Set;

/**
 * Resolves a workload's priority class from its markers, honouring the namespace allow-lists.
 *
 * <p>Precedence: {@code wdrf.x-k8s.io/priority-override} (value = class name), then {@code wdrf.x-k8s.io/urgent},
 * then {@code wdrf.x-k8s.io/approved} (value {@code "true"}, label or annotation), then the configured mapping of the
 * workload's priority class name, else {@code normal}. A class not allowed in the workload's namespace, or an
 * unknown override, falls back to {@code normal} with a note.
 */
final class ClassResolver {

    static final String URGENT_KEY = "wdrf.x-k8s.io/urgent";
    static final String APPROVED_KEY = "wdrf.x-k8s.io/approved";
    static final String OVERRIDE_KEY = "wdrf.x-k8s.io/priority-override";

    private final PolicyConfig config;

    ClassResolver(PolicyConfig config) {
        this.config = config;
    }

    record Resolved(String workloadClass, String note) {
    }

    Resolved resolve(Workload w) {
        String requested = null;
        String override = marker(w, OVERRIDE_KEY);
        if (override != null && !override.isEmpty()) {
            if (!config.priorityWeights().containsKey(override)) {
                return new Resolved(PolicyConfig.NORMAL, "unknown class '" + override + "' in " + OVERRIDE_KEY);
            }
            requested = override;
        } else if ("true".equalsIgnoreCase(marker(w, URGENT_KEY)) && config.priorityWeights().containsKey(PolicyConfig.URGENT)) {
            requested = PolicyConfig.URGENT;
        } else if ("true".equalsIgnoreCase(marker(w, APPROVED_KEY)) && config.priorityWeights().containsKey(PolicyConfig.APPROVED)) {
            requested = PolicyConfig.APPROVED;
        } else if (w.priorityClassName() != null) {
            requested = config.priorityClassToClass().get(w.priorityClassName());
        }
        if (requested == null || requested.equals(PolicyConfig.NORMAL)) {
            return new Resolved(PolicyConfig.NORMAL, null);
        }
        Set<String> allowed = config.classNamespaces().get(requested);
        if (allowed != null && !allowed.contains("*") && !allowed.contains(w.id().namespace())) {
            return new Resolved(PolicyConfig.NORMAL,
                    "class " + requested + " not allowed in namespace " + w.id().namespace());
        }
        return new Resolved(requested, null);
    }

    private static String marker(Workload w, String key) {
        String v = w.labels().get(key);
        return v != null ? v : w.annotations().get(key);
    }
}
