package io.wdrf.api;

/**
 * Read side of a backend: a live, compact view of the cluster.
 *
 * <p>Promises: {@link #snapshot()} is cheap (no API calls; backends project objects into records as watch
 * events arrive), thread-safe, and returns an immutable, internally consistent snapshot; listeners are called
 * after the view changed, from a backend thread, must return quickly, and may be called for changes that do not
 * matter to WDRF (callers debounce); after {@link #close()} no listener is called.
 */
public interface ClusterView extends AutoCloseable {

    /** The current state. Objects that could not be projected are listed in {@link ClusterSnapshot#invalid()}. */
    ClusterSnapshot snapshot();

    /**
     * Registers a change listener.
     *
     * @return a handle whose {@code close()} removes the listener
     */
    AutoCloseable addChangeListener(Runnable listener);

    /** True once the initial list of every watched resource has been received. */
    default boolean hasSynced() {
        return true;
    }

    /** Stops watching and releases resources; idempotent. */
    @Override
    void close();
}
