package io.wdrf.sim;

/** Receives replay progress (called on the replay thread, every few thousand events and at the end). */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (policy, finished, total, simSeconds) -> { };

    /**
     * @param policy     policy label
     * @param finished   jobs finished so far
     * @param total      jobs in the trace
     * @param simSeconds simulated time
     */
    void update(String policy, long finished, long total, double simSeconds);
}
