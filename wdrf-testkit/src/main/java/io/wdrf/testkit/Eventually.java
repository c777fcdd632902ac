package io.wdrf.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling assertions for asynchronous code: wait until a condition holds or fail with a message after a timeout.
 * Polls every 10 ms; exceptions thrown by the condition count as "not yet" and the last one is attached to the failure.
 *
 * <pre>{@code
 * Eventually.await(Duration.ofSeconds(10), "workload visible", () -> view.snapshot().workloads().size() == 1);
 * Workload w = Eventually.await(Duration.ofSeconds(10), "w1 priority", () -> find(view, id), x -> x.priority() == 5);
 * }</pre>
 */
public final class Eventually {

    private static final long POLL_MILLIS = 10;
    /** Poll interval of {@link #untilPasses} (as the backends' former private helper). */
    private static final long UNTIL_PASSES_POLL_MILLIS = 20;

    private Eventually() {
    }

    /** Waits until {@code condition} is true. */
    public static void await(Duration timeout, BooleanSupplier condition) {
        await(timeout, "condition", condition);
    }

    /**
     * Waits until {@code condition} is true.
     *
     * @param what described in the failure message
     * @throws AssertionError when the condition did not hold within the timeout
     */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        await(timeout, what, () -> condition.getAsBoolean(), b -> b);
    }

    /**
     * Waits until {@code accept} holds for the value {@code supplier} returns, and returns that value.
     *
     * @throws AssertionError with the last value seen when it did not happen within the timeout
     */
    public static <T> T await(Duration timeout, String what, Supplier<T> supplier, Predicate<? super T> accept) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = supplier.get();
                lastError = null;
                if (accept.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError err = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + (lastError != null ? " (last attempt threw " + lastError + ")" : "; last value: " + last));
                if (lastError != null) {
                    err.initCause(lastError);
                }
                throw err;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Runs {@code assertion} until it passes (returns without an {@link AssertionError}); after the timeout, or
     * when interrupted, the last {@link AssertionError} is rethrown. Other exceptions propagate at once.
     */
    public static void untilPasses(Duration timeout, Runnable assertion) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(UNTIL_PASSES_POLL_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
