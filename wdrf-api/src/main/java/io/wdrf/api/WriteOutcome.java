package io.wdrf.api;

/** What happened to one {@link PriorityUpdate}. */
public enum WriteOutcome {
    /** The value is now on the server. */
    WRITTEN,
    /** The workload is gone (404) or no longer has the expected uid; nothing written. */
    GONE,
    /** Not attempted (rate limit reached, writer closed, not leader, dry run). */
    SKIPPED,
    /** Attempted and failed after the configured retries. */
    FAILED
}
