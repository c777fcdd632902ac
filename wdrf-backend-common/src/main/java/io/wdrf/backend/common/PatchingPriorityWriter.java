package io.wdrf.backend.common;

import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Workload;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Client-neutral {@link PriorityWriter}: one JSON merge patch per update through a {@link PatchTransport}, with
 * the uid check against the {@link ProjectedStore}, client-side rate limiting and retries.
 *
 * <p>Per update, in list order: when the update names a uid and the store's record is missing or has another
 * uid, the result is {@link WriteOutcome#GONE} without a request; otherwise one token is taken from the rate
 * limiter per attempt, and the patch is sent; 2xx → {@link WriteOutcome#WRITTEN}; 404 → GONE; 409/429/5xx/I/O →
 * retried per the {@link RetryPolicy}; other statuses or exhausted retries → {@link WriteOutcome#FAILED} with the
 * status and server message. After {@link #close()} or an interrupt, the rest are {@link WriteOutcome#SKIPPED}.
 */
public final class PatchingPriorityWriter implements PriorityWriter, AutoCloseable {

    private final PatchTransport transport;
    private final ProjectedStore store;
    private final TokenBucketRateLimiter limiter;
    private final RetryPolicy retry;
    private final TokenBucketRateLimiter.Sleeper sleeper;
    private volatile boolean closed;
    private volatile BooleanSupplier fence = () -> true;

    /**
     * @param transport client-specific single PATCH
     * @param store     projected objects, for the uid check
     * @param limiter   client-side rate limiter (one token per request)
     * @param retry     retry policy
     * @param sleeper   how to wait between retries
     */
    public PatchingPriorityWriter(PatchTransport transport, ProjectedStore store, TokenBucketRateLimiter limiter,
                                  RetryPolicy retry, TokenBucketRateLimiter.Sleeper sleeper) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public WriteResult apply(List<PriorityUpdate> updates) {
        List<WriteResult.Item> items = new ArrayList<>(updates.size());
        boolean interrupted = false;
        for (PriorityUpdate u : updates) {
            if (closed || interrupted) {
                items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, 0,
                        closed ? "writer closed" : "interrupted"));
                continue;
            }
            try {
                items.add(applyOne(u));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = true;
                items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, 0, "interrupted"));
            } catch (RuntimeException e) {
                items.add(new WriteResult.Item(u.workloadId(), WriteOutcome.FAILED, 0,
                        "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return new WriteResult(items);
    }

    private WriteResult.Item applyOne(PriorityUpdate u) throws InterruptedException {
        if (!u.uid().isEmpty()) {
            Workload w = store.workload(u.workloadId());
            if (w == null) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, 0, "not in the watched view");
            }
            if (!u.uid().equals(w.uid())) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, 0,
                        "uid changed from " + u.uid() + " to " + w.uid() + " (object was recreated)");
            }
        }
        String body = MergePatch.forUpdate(u);
        int attempt = 0;
        while (true) {
            attempt++;
            limiter.acquire();
            if (!fence.getAsBoolean()) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, attempt - 1,
                        "write fence closed (not the Lease holder)");
            }
            PatchTransport.Response r;
            try {
                r = transport.patchWorkload(u.workloadId().namespace(), u.workloadId().name(), body);
            } catch (IOException e) {
                r = new PatchTransport.Response(0, null, "I/O error: " + e.getMessage());
            }
            if (r.isSuccess()) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.WRITTEN, attempt, "");
            }
            if (r.status() == 404) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, attempt, "404 Not Found");
            }
            if (!retry.shouldRetry(attempt, r.status())) {
                String why = RetryPolicy.isRetryable(r.status()) ? "gave up after " + attempt + " attempts, last "
                        : "not retryable: ";
                return new WriteResult.Item(u.workloadId(), WriteOutcome.FAILED, attempt,
                        why + "HTTP " + r.status() + " " + r.message());
            }
            if (closed) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.SKIPPED, attempt, "writer closed");
            }
            Duration d = retry.delay(attempt, r.retryAfter());
            sleeper.sleep(d);
        }
    }

    /**
     * Sets the write fence, checked immediately before every attempt (retries included): while it is false nothing
     * is sent and the update is {@link WriteOutcome#SKIPPED}. Default: always open.
     */
    public void fence(BooleanSupplier f) {
        this.fence = Objects.requireNonNull(f, "fence");
    }

    /** Stops writing: later updates (and retries in progress) are reported SKIPPED. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
