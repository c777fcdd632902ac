package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Workload;

import java.util.Set;

/**
 * Resolves a workload's priority class from its markers, honouring the namespace allow-lists.
 *
 * <p>Precedence: {@code wdrf.x-k8s.io/priority-override}, then {@code wdrf.x-k8s.io/urgent}, then
 * {@code wdrf.x-k8s.io/approved} (value {@code "true"}, label or annotation), then the configured mapping of the
 * workload's priority class name, else {@code normal}.
 *
 * <p>The override takes a class name ({@code approved}) or, as in the seed controller, a boolean: {@code "true"}
 * marks an administrator's override, which the seed calls 긴급 (urgent, "set directly by an administrator"), so it
 * means {@code urgent}; {@code "false"} means no override. An override naming an unknown class is an error reported
 * in the explanation note, and resolution continues with the other markers, so it never hides a valid
 * {@code urgent}/{@code approved} marker. A class not allowed in the workload's namespace falls back to
 * {@code normal} with a note.
 *
 * <p>A class reached only through the priority-class mapping (a WorkloadPriorityClass name, which any user may put
 * on a job) is operator-controlled unless {@code tenantInputs.openPriorityClassMapping}: it applies only in namespaces
 * that {@code classNamespaces} grants that class by name or {@code *}; elsewhere the workload is {@code normal} with a
 * note starting {@link io.wdrf.api.TenantInputs.Ignored#PRIORITY_CLASS_MAPPING} (issue 13.7).
 */
final class ClassResolver {

    static final String URGENT_KEY = "wdrf.x-k8s.io/urgent";
    static final String APPROVED_KEY = "wdrf.x-k8s.io/approved";
    static final String OVERRIDE_KEY = "wdrf.x-k8s.io/priority-override";

    private static final int MAX_SHOWN = 63;

    private final PolicyConfig config;

    ClassResolver(PolicyConfig config) {
        this.config = config;
    }

    record Resolved(String workloadClass, String note) {
    }

    Resolved resolve(Workload w) {
        String requested = null;
        String note = null;
        boolean mapped = false;
        String override = marker(w, OVERRIDE_KEY);
        String ov = override == null ? "" : override.strip();
        if (ov.equalsIgnoreCase("true")) {
            if (config.priorityWeights().containsKey(PolicyConfig.URGENT)) {
                requested = PolicyConfig.URGENT;
            } else {
                note = OVERRIDE_KEY + "=true means class " + PolicyConfig.URGENT + ", which priority-weights does "
                        + "not define";
            }
        } else if (!ov.isEmpty() && !ov.equalsIgnoreCase("false")) {
            if (config.priorityWeights().containsKey(ov)) {
                requested = ov;
            } else {
                note = "unknown class '" + shown(ov) + "' in " + OVERRIDE_KEY + " (expected one of "
                        + config.priorityWeights().keySet() + ", or true/false)";
            }
        }
        if (requested == null) {
            if ("true".equalsIgnoreCase(marker(w, URGENT_KEY))
                    && config.priorityWeights().containsKey(PolicyConfig.URGENT)) {
                requested = PolicyConfig.URGENT;
            } else if ("true".equalsIgnoreCase(marker(w, APPROVED_KEY))
                    && config.priorityWeights().containsKey(PolicyConfig.APPROVED)) {
                requested = PolicyConfig.APPROVED;
            } else if (w.priorityClassName() != null) {
                requested = config.priorityClassToClass().get(w.priorityClassName());
                mapped = requested != null;
            }
        }
        if (requested == null || requested.equals(PolicyConfig.NORMAL)) {
            return new Resolved(PolicyConfig.NORMAL, note);
        }
        Set<String> allowed = config.classNamespaces().get(requested);
        if (mapped && !config.tenantInputs().openPriorityClassMapping()
                && (allowed == null || !(allowed.contains("*") || allowed.contains(w.id().namespace())))) {
            String ignored = io.wdrf.api.TenantInputs.Ignored.PRIORITY_CLASS_MAPPING.marker() + "priority class '"
                    + shown(w.priorityClassName()) + "' maps to " + requested + ", which class-namespaces does not grant "
                    + "to namespace " + w.id().namespace() + " (tenant-inputs.open-priority-class-mapping = false)";
            return new Resolved(PolicyConfig.NORMAL, note == null ? ignored : note + "; " + ignored);
        }
        if (allowed != null && !allowed.contains("*") && !allowed.contains(w.id().namespace())) {
            String denied = "class " + requested + " not allowed in namespace " + w.id().namespace();
            return new Resolved(PolicyConfig.NORMAL, note == null ? denied : note + "; " + denied);
        }
        return new Resolved(requested, note);
    }

    /** A user-written value made safe for logs and annotations: printable ASCII only, bounded length. */
    static String shown(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < MAX_SHOWN; i++) {
            char c = v.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return v.length() > MAX_SHOWN ? b + "..." : b.toString();
    }

    private static String marker(Workload w, String key) {
        String v = w.labels().get(key);
        return v != null ? v : w.annotations().get(key);
    }
}
