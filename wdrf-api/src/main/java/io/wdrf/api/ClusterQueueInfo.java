package io.wdrf.api;

import java.util.List;
import java.util.Objects;

/**
 * A Kueue ClusterQueue as far as ordering, quota and preemption go.
 *
 * <p>Promises: {@code quotas} is unmodifiable, in the order of {@code spec.resourceGroups[].flavors[]} (flavor
 * order matters to Kueue's flavor assignment); {@code cohort} may be null; strings for policies use Kueue's
 * spelling ({@code BestEffortFIFO}, {@code StrictFIFO}; {@code Never}, {@code LowerPriority},
 * {@code LowerOrNewerEqualPriority}, {@code Any}).
 *
 * @param name                       ClusterQueue name
 * @param cohort                     {@code spec.cohortName} (v1beta1 {@code spec.cohort}), or null
 * @param quotas                     nominal quotas per flavor and resource
 * @param queueingStrategy           {@code BestEffortFIFO} (default) or {@code StrictFIFO}
 * @param withinClusterQueue         {@code spec.preemption.withinClusterQueue} (default {@code Never})
 * @param reclaimWithinCohort        {@code spec.preemption.reclaimWithinCohort} (default {@code Never})
 * @param borrowWithinCohort         {@code spec.preemption.borrowWithinCohort.policy} (default {@code Never})
 * @param fairSharingWeight          {@code spec.fairSharing.weight} (default 1)
 */
public record ClusterQueueInfo(String name, String cohort, List<ResourceQuota> quotas, String queueingStrategy,
                               String withinClusterQueue, String reclaimWithinCohort, String borrowWithinCohort,
                               double fairSharingWeight) {

    public static final String BEST_EFFORT_FIFO = "BestEffortFIFO";
    public static final String STRICT_FIFO = "StrictFIFO";
    public static final String NEVER = "Never";

    public ClusterQueueInfo {
        Objects.requireNonNull(name, "name");
        quotas = Records.listCopy(quotas);
        queueingStrategy = queueingStrategy == null || queueingStrategy.isEmpty() ? BEST_EFFORT_FIFO : queueingStrategy;
        withinClusterQueue = withinClusterQueue == null || withinClusterQueue.isEmpty() ? NEVER : withinClusterQueue;
        reclaimWithinCohort = reclaimWithinCohort == null || reclaimWithinCohort.isEmpty() ? NEVER : reclaimWithinCohort;
        borrowWithinCohort = borrowWithinCohort == null || borrowWithinCohort.isEmpty() ? NEVER : borrowWithinCohort;
        if (fairSharingWeight < 0 || Double.isNaN(fairSharingWeight)) {
            throw new IllegalArgumentException("ClusterQueue " + name + " has invalid fairSharing weight " + fairSharingWeight);
        }
    }

    /** {@link #queueingStrategy()} as a type, or null when this version of WDRF does not know the value. */
    public KueuePolicies.QueueingStrategy strategy() {
        return KueuePolicies.QueueingStrategy.parse(queueingStrategy);
    }

    /** {@link #withinClusterQueue()} as a type, or null when unknown. */
    public KueuePolicies.WithinClusterQueue withinClusterQueuePolicy() {
        return KueuePolicies.WithinClusterQueue.parse(withinClusterQueue);
    }

    /** {@link #reclaimWithinCohort()} as a type, or null when unknown. */
    public KueuePolicies.CohortPreemption reclaimWithinCohortPolicy() {
        return KueuePolicies.CohortPreemption.parse(reclaimWithinCohort);
    }

    /** {@link #borrowWithinCohort()} as a type, or null when unknown. */
    public KueuePolicies.CohortPreemption borrowWithinCohortPolicy() {
        return KueuePolicies.CohortPreemption.parse(borrowWithinCohort);
    }

    /** A ClusterQueue with default strategy and no preemption, in no cohort. */
    public static ClusterQueueInfo of(String name, List<ResourceQuota> quotas) {
        return new ClusterQueueInfo(name, null, quotas, BEST_EFFORT_FIFO, NEVER, NEVER, NEVER, 1.0);
    }

    /** Sum of nominal quotas per resource over all flavors. */
    public ResourceVector nominalTotal() {
        java.util.TreeMap<String, Double> m = new java.util.TreeMap<>();
        for (ResourceQuota q : quotas) {
            m.merge(q.resource(), q.nominal().doubleValue(), Double::sum);
        }
        return ResourceVector.of(m);
    }
}
