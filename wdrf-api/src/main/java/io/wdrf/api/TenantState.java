package io.wdrf.api;

import java.util.Objects;

/**
 * A tenant's admitted usage and weighted dominant share at the snapshot instant.
 *
 * <p>{@code weightedDominantShare = max_r (ρ_r · usage_r / capacity_r) / weight} over resources with ρ &gt; 0 and
 * capacity &gt; 0; {@code dominantResource} is the resource attaining the maximum (ties: lexicographically
 * smallest name), or empty when usage is zero.
 *
 * @param name                  tenant key value (e.g. the namespace)
 * @param weight                effective weight (&gt; 0)
 * @param usage                 admitted usage, per share key ({@code resource@flavor} for a resource offered in several
 *                              flavors, see {@link PolicyContext#capacity()})
 * @param weightedDominantShare weighted dominant share
 * @param dominantResource      resource attaining the share, or empty
 * @param admitted              number of admitted workloads
 * @param pending               number of admissible pending workloads
 */
public record TenantState(String name, double weight, ResourceVector usage, double weightedDominantShare,
                          String dominantResource, int admitted, int pending) {

    public TenantState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
        dominantResource = dominantResource == null ? "" : dominantResource;
        if (!(weight > 0)) {
            throw new IllegalArgumentException("tenant " + name + " has non-positive weight " + weight);
        }
    }
}
