package io.wdrf.engine;

/** Receives the report of every reconcile cycle (metrics, logs, demo output). Must not throw or block long. */
@FunctionalInterface
public interface CycleListener {

    /** Called after each cycle, on the reconciler thread. */
    void onCycle(CycleReport report);
}
