package io.wdrf.sim;

/**
 * The replay's job life-cycle, as the simulator processes it: the hook that feeds the metric classes
 * ({@link Timeline} records it; {@link FairnessSweep} and {@link FinishTimeFairness} read the record). Calls come in
 * processing order with non-decreasing times (milliseconds of simulated time); {@code job} is the index into
 * {@link Trace#jobs()}. Within one instant the order matters: an admission pass reports its evictions first, then its
 * admissions in the order the model reserved quota.
 */
interface ReplayListener {

    /** The job was submitted (pending from now on). */
    void arrived(int job, long t);

    /** The job got quota and runs from now on. */
    void admitted(int job, long t);

    /** The running job was preempted back to pending; its work so far is lost (it restarts from scratch). */
    void evicted(int job, long t);

    /** The running job completed. */
    void finished(int job, long t);

    /**
     * A starvation reservation for the pending {@code job} started: capacity is being held for it. The in-memory model
     * has no reservations yet; once it has, the simulator reports them here and the metrics count them.
     */
    default void reservationStarted(int job, long t) {
    }

    /** The reservation for {@code job} ended (admitted, deleted or timed out). */
    default void reservationEnded(int job, long t) {
    }

    /** Listens to nothing. */
    ReplayListener NONE = new ReplayListener() {
        @Override
        public void arrived(int job, long t) {
        }

        @Override
        public void admitted(int job, long t) {
        }

        @Override
        public void evicted(int job, long t) {
        }

        @Override
        public void finished(int job, long t) {
        }
    };
}
