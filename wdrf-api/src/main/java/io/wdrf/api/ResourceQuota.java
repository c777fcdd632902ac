package io.wdrf.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Quota of one resource in one flavor of a ClusterQueue ({@code spec.resourceGroups[].flavors[].resources[]}).
 *
 * @param flavor         ResourceFlavor name
 * @param resource       resource name
 * @param nominal        nominalQuota in base units
 * @param borrowingLimit borrowingLimit, or null for unlimited (only meaningful in a cohort)
 * @param lendingLimit   lendingLimit, or null for "all of nominal is lendable"
 */
public record ResourceQuota(String flavor, String resource, BigDecimal nominal, BigDecimal borrowingLimit,
                            BigDecimal lendingLimit) {

    public ResourceQuota {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(nominal, "nominal");
        if (nominal.signum() < 0) {
            throw new IllegalArgumentException("nominalQuota of " + resource + " in flavor " + flavor + " is negative: " + nominal);
        }
    }

    /** A quota without borrowing or lending limits. */
    public static ResourceQuota of(String flavor, String resource, String nominal) {
        return new ResourceQuota(flavor, resource, Quantity.parse(nominal), null, null);
    }
}
