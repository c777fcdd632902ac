package io.wdrf.standalone;

import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The writer the reconcile loop sees: every single write (priority patch or Event) is sent only when the fence is
 * open at that moment; once it is closed the rest of the batch is {@link WriteOutcome#SKIPPED}. Checking per write,
 * not per cycle, means a replica that lost the Lease mid-batch (paused, partitioned, slow renewals) stops within
 * one request, and a shutdown that waits for the cycle cannot write behind a new leader. Each completed write is
 * reported to {@code progress} (liveness counts writes, not only finished cycles).
 */
final class FencedWriter implements PriorityWriter {

    private final PriorityWriter delegate;
    private final BooleanSupplier fence;
    private final String closedReason;
    private final Runnable progress;

    /**
     * @param delegate     the backend's writer
     * @param fence        true when a write may be sent now
     * @param closedReason why a write is skipped when the fence is closed
     * @param progress     called after every write that was sent
     */
    FencedWriter(PriorityWriter delegate, BooleanSupplier fence, String closedReason, Runnable progress) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.fence = Objects.requireNonNull(fence, "fence");
        this.closedReason = Objects.requireNonNull(closedReason, "closedReason");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public WriteResult apply(List<PriorityUpdate> updates) {
        List<WriteResult.Item> items = new ArrayList<>(updates.size());
        boolean open = true;
        for (PriorityUpdate u : updates) {
            open = open && fence.getAsBoolean();
            if (!open) {
                items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, 0, closedReason));
                continue;
            }
            items.addAll(delegate.apply(List.of(u)).items());
            progress.run();
        }
        return new WriteResult(items);
    }

    @Override
    public void recordEvent(WorkloadId workloadId, String reason, String message) {
        if (fence.getAsBoolean()) {
            delegate.recordEvent(workloadId, reason, message);
            progress.run();
        }
    }
}
