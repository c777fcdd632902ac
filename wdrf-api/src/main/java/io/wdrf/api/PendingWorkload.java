package io.wdrf.api;

import java.time.Duration;
import java.util.Objects;

/**
 * An admissible pending workload with everything the engine derived for it, ready for a policy.
 *
 * <p>{@code level} is the progressive-filling level: the tenant's weighted dominant share with the demands of the
 * tenant's pending workloads that come before this one (class desc, queue-order time asc, name asc) added, but
 * not this one's. Sorting all pending workloads by level ascending reproduces DRF progressive filling.
 *
 * @param workload      the workload
 * @param tenant        tenant key value
 * @param workloadClass honoured class ({@code normal} unless a marker is present and allowed)
 * @param demand        total demand (all pod sets)
 * @param level         progressive-filling level (≥ 0)
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
