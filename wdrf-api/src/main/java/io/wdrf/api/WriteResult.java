package io.wdrf.api;

import java.util.List;
import java.util.Objects;

/**
 * Per-item outcome of {@link PriorityWriter#apply(List)}, in the order of the request.
 *
 * <p>Promises: one item per update, in request order.
 */
public record WriteResult(List<Item> items) {

    public WriteResult {
        items = List.copyOf(items);
    }

    /** Outcome of one update. */
    public record Item(WorkloadId workloadId, WriteOutcome outcome, int attempts, String message) {
        public Item {
            Objects.requireNonNull(workloadId, "workloadId");
            Objects.requireNonNull(outcome, "outcome");
            message = message == null ? "" : message;
        }
    }

    /** Number of items with the given outcome. */
    public long count(WriteOutcome outcome) {
        return items.stream().filter(i -> i.outcome() == outcome).count();
    }
}
