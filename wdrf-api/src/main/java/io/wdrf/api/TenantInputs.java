package io.wdrf.api;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which inputs that tenants control WDRF honours (issue 13.7: a tenant must not be able to raise its own priority).
 *
 * <p>Promises: immutable, validated at construction; every input it turns off is ignored with a note in the
 * explanation of each affected pending workload that starts with {@link Ignored#marker()} (so tools and metrics can
 * count it), never with an error.
 *
 * @param openPriorityClassMapping false (default): a class reached only through {@code priorityClassToClass} (the
 *                                 WorkloadPriorityClass / PriorityClass name any user may name) applies only in the
 *                                 namespaces that {@code classNamespaces} grants that class explicitly (the namespace
 *                                 or {@code *}); elsewhere the workload is {@code normal}. True: the mapping applies
 *                                 wherever the class is allowed (classes without an entry: everywhere)
 * @param namespaceWeights         true: the namespace annotation {@link NamespaceInfo#WEIGHT_ANNOTATION} overrides the
 *                                 configured tenant weight (bounded to [0.01, 100]); false (default): it is ignored
 * @param labelTenants             with {@code tenantKey = label:<key>}: the label values that are tenants, besides the
 *                                 keys of {@code tenantWeights}; any other value (and a missing label) counts as the
 *                                 one tenant {@link #UNLISTED}. {@code *} accepts every value (no validation)
 */
public record TenantInputs(boolean openPriorityClassMapping, boolean namespaceWeights, Set<String> labelTenants) {

    /** The tenant of every workload whose tenant label names no configured tenant. */
    public static final String UNLISTED = "(unlisted)";

    /** The inputs that can be ignored, each with the prefix of its explanation note. */
    public enum Ignored {
        /** A priority-class mapping to a class the namespace is not granted explicitly. */
        PRIORITY_CLASS_MAPPING("ignored priority-class-mapping: "),
        /** A namespace weight annotation while {@code namespaceWeights} is off. */
        NAMESPACE_WEIGHT("ignored namespace weight: "),
        /** A tenant label value that is not a configured tenant. */
        LABEL_TENANT("unlisted tenant label: ");

        private final String marker;

        Ignored(String marker) {
            this.marker = marker;
        }

        /** The text every note about this input starts with. */
        public String marker() {
            return marker;
        }
    }

    public TenantInputs {
        TreeSet<String> t = new TreeSet<>();
        if (labelTenants != null) {
            for (String s : labelTenants) {
                if (s == null || s.isBlank() || s.length() > 63) {
                    throw new SettingException("tenantInputs.labelTenants", "'" + s
                            + "' must be a label value of 1 to 63 characters (or *)");
                }
                t.add(s.strip());
            }
        }
        labelTenants = Collections.unmodifiableSet(t);
    }

    /** Operator-controlled: mapping restricted to granted namespaces, namespace weights ignored, label tenants listed. */
    public static TenantInputs defaults() {
        return new TenantInputs(false, false, Set.of());
    }

    /** True when {@code value} of the tenant label is a tenant, given the configured tenant weights. */
    public boolean isLabelTenant(String value, java.util.Map<String, Double> tenantWeights) {
        return labelTenants.contains("*") || labelTenants.contains(value) || tenantWeights.containsKey(value);
    }
}
