package io.wdrf.api;

import java.util.List;

/**
 * Write side of a backend.
 *
 * <p>Promises: writes the updates in list order (the engine sends the most important first); each write is
 * idempotent and touches only the target field (and the explanation annotation when given); transient errors
 * (409, 429, 5xx, I/O) are retried with backoff within the writer's limits; a workload that disappeared is
 * reported {@link WriteOutcome#GONE}, not an error; never throws for one bad item.
 */
public interface PriorityWriter {

    /** Applies the updates and reports every one. */
    WriteResult apply(List<PriorityUpdate> updates);

    /**
     * Records a Kubernetes Event on the workload (best effort; default: does nothing).
     *
     * @param workloadId workload the event is about
     * @param reason     CamelCase reason, e.g. {@code PriorityChanged}
     * @param message    human-readable message
     */
    default void recordEvent(WorkloadId workloadId, String reason, String message) {
    }
}
