package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.PodSet;
import io.wdrf.api.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored workload of {@link InMemoryCluster} with the state Kueue keeps beside the object (when quota was
 * reserved, accumulated execution time) and the admission model's parse caches. Mutable, guarded by the cluster's
 * lock; the caches are keyed by object identity (records are immutable), so an unchanged workload is never
 * re-parsed and a changed one is parsed once.
 */
final class WorkloadSlot {
    static final byte NONE = 0;
    static final byte HOLDING = 1;
    static final byte QUEUED = 2;

    Workload workload;
    /** WRITTEN priority writes to this workload (the cluster adds them to its per-id count on delete). */
    int writes;
    /** Set when the workload was deleted (the cluster's snapshot order drops the slot at its next build). */
    boolean deleted;
    /** Which of the cluster's admission indexes holds this slot: {@link #NONE}, {@link #HOLDING}, {@link #QUEUED}. */
    byte indexed = NONE;
    Instant reservedAt;
    /** {@code InMemoryCluster.project} result, valid while {@code projectedFor} is the LocalQueue version. */
    Workload projected;
    long projectedFor = -1;
    /** Kueue's {@code status.accumulatedPastExecutionTimeSeconds}: admitted time of earlier admissions. */
    Duration accumulated = Duration.ZERO;

    /** Work saved at checkpoints over earlier admissions (what a restart resumes from). */
    Duration savedProgress = Duration.ZERO;
    /** Work lost by evictions (run time since the last checkpoint), and the GPU-hours it held. */
    Duration lostWork = Duration.ZERO;
    double lostGpuHours;

    /** Parsed pod-set requests (or the parse error) of {@code requestsFor}. */
    List<PodSet> requestsFor;
    List<Requests.PodSetRequest> requests;
    String requestError;
    /** Flavor-resource usage of the admission {@code usageFor}. */
    Admission usageFor;
    Map<FlavorResource, Double> usage;
    /**
     * What this workload is charged with in the admission model's persistent quota tree: ClusterQueue and usage,
     * or null when it charges nothing there.
     */
    String chargedCq;
    /**
     * LocalQueue key ({@code namespace/queueName}) of {@code lqKeyFor} (kept for a later version with the very same id
     * and queue-name objects), and the last queue entry built.
     */
    Workload lqKeyFor;
    String lqKey;
    Requests.Queued queued;
    /** Cycle marks of the admission model's sort input (queued this cycle / already added). */
    long queuedEpoch;
    long orderEpoch;
    Map<FlavorResource, Double> charged;
    /** The entry filed for this workload in the admission model's persistent queues, and the queue (or nulls). */
    Requests.Queued filed;
    PendingQueue filedIn;

    WorkloadSlot(Workload workload, Instant reservedAt) {
        this.workload = workload;
        this.reservedAt = reservedAt;
    }
}
