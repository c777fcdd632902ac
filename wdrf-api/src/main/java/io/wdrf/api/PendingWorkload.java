package io.wdrf.api;

import java.time.Duration;
import java.util.Objects;

/**
 * An admissible pending workload with everything the engine derived for it, ready for a policy.
 *
 * <p>{@code level} is the entitlement-relative progressive-filling level: the tenant's dominant share with the
 * demands of the tenant's pending workloads that come before this one (class desc, queue-order time asc, name asc)
 * added, but not this one's, divided by the tenant's weighted entitlement among the tenants with work:
 * {@code level = share · Σ_active w / w_t}. 1.0 means "exactly at entitlement", below 1 under-served, above 1
 * over-served; it is comparable across cycles with different numbers of active tenants. Sorting all pending
 * workloads by level ascending reproduces weighted DRF progressive filling (the factor Σ_active w is the same for
 * every tenant of a cycle).
 *
 * @param workload      the workload
 * @param tenant        tenant key value
 * @param workloadClass honoured class ({@code normal} unless a marker is present and allowed)
 * @param demand        total demand (all pod sets), per share key: a resource offered in several flavors is charged
 *                      to the flavor Kueue would assign first ({@code resource@flavor}, see {@link PolicyContext#capacity()})
 * @param level         entitlement-relative progressive-filling level (≥ 0; 1.0 = at entitlement)
 * @param waited          time since the queue-order timestamp (creation or last eviction), never negative
 */
public record PendingWorkload(Workload workload, String tenant, String workloadClass, ResourceVector demand,
                              double level, Duration waited) {

    public PendingWorkload {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(workloadClass, "workloadClass");
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(waited, "waited");
    }

    /** Shortcut for {@code workload().id()}. */
    public WorkloadId id() {
        return workload.id();
    }
}
