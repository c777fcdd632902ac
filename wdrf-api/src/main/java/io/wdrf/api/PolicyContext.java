package io.wdrf.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy sees in one cycle.
 *
 * <p>Promises: immutable; {@code pending} is sorted by {@link WorkloadId} (so a policy that iterates it is
 * deterministic), contains only admissible workloads that the demand model could evaluate; {@code tenants} is
 * sorted by name and contains every tenant with pending or admitted work; {@code now} comes from the engine's
 * {@link java.time.Clock}, never from the wall clock.
 *
 * @param snapshot the raw snapshot
 * @param now      the evaluation instant
 * @param config   shared policy settings
 * @param capacity cluster capacity per resource (from the configured capacity source); a resource the ClusterQueues
 *                 offer in two or more ResourceFlavors is one key per flavor, {@code resource@flavor} (so are the
 *                 tenants' usage and the pending demands)
 * @param tenants  tenant name → state
 * @param pending  admissible pending workloads
 */
public record PolicyContext(ClusterSnapshot snapshot, Instant now, PolicyConfig config, ResourceVector capacity,
                            Map<String, TenantState> tenants, List<PendingWorkload> pending) {

    public PolicyContext {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(capacity, "capacity");
        tenants = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tenants));
        pending = List.copyOf(pending);
    }
}
