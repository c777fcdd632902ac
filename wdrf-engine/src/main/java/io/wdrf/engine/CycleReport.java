package io.wdrf.engine;

import io.wdrf.api.InvalidObject;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.TenantState;
import io.wdrf.api.WriteResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one reconcile cycle saw and did; the source of every metric.
 *
 * @param startedAt         clock instant of the cycle
 * @param duration          wall time the cycle took
 * @param policy            policy name
 * @param pending           admissible pending workloads evaluated
 * @param admitted          workloads holding quota
 * @param tenants           tenant states
 * @param invalid           objects skipped, with reasons
 * @param plan              the plan (null when the cycle failed before planning)
 * @param updates           writes intended this cycle (most important first)
 * @param writeResult       outcome of the writes (null when nothing was sent: dry run, not leader, nothing to do)
 * @param overridesDetected priorities WDRF had written that someone else changed
 * @param suppressed        writes withheld because a workload's priority keeps being overwritten (fight guard)
 * @param deferred          writes left for the next cycle by the per-cycle limit
 * @param dryRun            dry-run mode
 * @param leader            whether this replica was allowed to write
 * @param error             the failure, or null
 * @param capped            pending decisions the preemption mode lowered ({@code wdrf_priority_capped_total})
 * @param protections       protection priorities sent to admitted workloads this cycle (modes classes, fair)
 * @param evictionsCaused   evictions of workloads mode {@code fair} had made preemptible, since start (cumulative)
 * @param fairShares        tenant → demand-aware fair dominant share ({@link FairShares#of}); empty when the cycle
 *                          failed
 */
public record CycleReport(Instant startedAt, Duration duration, String policy, int pending, int admitted,
                          Map<String, TenantState> tenants, List<InvalidObject> invalid, PriorityPlan plan,
                          List<PriorityUpdate> updates, WriteResult writeResult, int overridesDetected, int suppressed,
                          int deferred, boolean dryRun, boolean leader, String error, int capped, int protections,
                          long evictionsCaused, Map<String, Double> fairShares) {

    /** A report without preemption-mode counts and fair shares. */
    public CycleReport(Instant startedAt, Duration duration, String policy, int pending, int admitted,
                       Map<String, TenantState> tenants, List<InvalidObject> invalid, PriorityPlan plan,
                       List<PriorityUpdate> updates, WriteResult writeResult, int overridesDetected, int suppressed,
                       int deferred, boolean dryRun, boolean leader, String error) {
        this(startedAt, duration, policy, pending, admitted, tenants, invalid, plan, updates, writeResult,
                overridesDetected, suppressed, deferred, dryRun, leader, error, 0, 0, 0, Map.of());
    }

    public CycleReport {
        fairShares = fairShares == null ? Map.of() : fairShares;
        tenants = tenants == null ? Map.of() : tenants;
        invalid = invalid == null ? List.of() : List.copyOf(invalid);
        updates = updates == null ? List.of() : List.copyOf(updates);
    }

    /** True when the cycle completed. */
    public boolean ok() {
        return error == null;
    }
}
