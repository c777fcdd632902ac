package io.wdrf.kueue;

import io.wdrf.api.ResourceQuota;

import java.util.List;
import java.util.Objects;

/**
 * A Kueue Cohort object ({@code kueue.x-k8s.io/v1beta2 Cohort}): a node of the cohort tree that may have a parent
 * cohort and quotas of its own, shared by everything below it.
 *
 * <p>Promises: immutable; {@code parent} is null for a root; {@code quotas} keep their order. A cohort named by a
 * ClusterQueue's {@code spec.cohortName} but never defined exists implicitly as a root without quota, as in Kueue.
 * A parent chain that forms a cycle is rejected by {@link InMemoryCluster#admissionCycle()}'s model: every
 * ClusterQueue below such a cohort is treated as if it had no cohort (Kueue marks them inactive).
 *
 * @param name              cohort name
 * @param parent            {@code spec.parentName}, or null
 * @param quotas            {@code spec.resourceGroups} quotas (nominal, borrowingLimit, lendingLimit per flavor)
 * @param fairSharingWeight {@code spec.fairSharing.weight} (default 1)
 */
public record CohortInfo(String name, String parent, List<ResourceQuota> quotas, double fairSharingWeight) {

    public CohortInfo {
        Objects.requireNonNull(name, "name");
        parent = parent == null || parent.isEmpty() ? null : parent;
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
        if (fairSharingWeight < 0 || Double.isNaN(fairSharingWeight)) {
            throw new IllegalArgumentException("Cohort " + name + " has invalid fairSharing weight " + fairSharingWeight);
        }
    }

    /** A cohort with a parent and no quota of its own. */
    public static CohortInfo of(String name, String parent) {
        return new CohortInfo(name, parent, List.of(), 1.0);
    }
}
