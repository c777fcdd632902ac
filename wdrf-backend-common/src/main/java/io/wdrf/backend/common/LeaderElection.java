package io.wdrf.backend.common;

/**
 * Lease-based leader election used by the standalone controller: only the leader writes priorities.
 *
 * <p>Promises: callbacks are called from an elector thread, never concurrently with each other; after
 * {@code onStoppedLeading} the instance is no longer leader; {@link #close()} stops the elector and releases the
 * Lease if held (a standby can take over at once), and is idempotent.
 */
public interface LeaderElection extends AutoCloseable {

    /** Starts campaigning in the background. Must be called at most once. */
    void start(Runnable onStartedLeading, Runnable onStoppedLeading);

    /** True while this instance holds the Lease and its {@code onStartedLeading} callback has returned. */
    boolean isLeader();

    /**
     * True when a write may be sent now: this instance leads and its last successful renewal is recent enough that no
     * other candidate can have taken over (a fence checked immediately before every write). Default:
     * {@link #isLeader()}.
     */
    default boolean mayWrite() {
        return isLeader();
    }

    /** Stops campaigning and releases the Lease if held. */
    @Override
    void close();
}
