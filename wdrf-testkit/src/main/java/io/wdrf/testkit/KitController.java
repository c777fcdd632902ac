package io.wdrf.testkit;

/**
 * A controller under test for {@link ReconcileCompatibilityKit}: typically the engine's reconciler wired to the
 * backend's view and writer. {@link #runOnce()} runs one full cycle (snapshot, decide, write) and returns when the
 * writes of that cycle were applied.
 *
 * <pre>{@code
 * @Override protected KitController startController(ClusterView view, PriorityWriter writer) {
 *     Reconciler r = new Reconciler(view, writer, config, Clock.fixed(...)); // a fixed clock keeps decisions stable
 *     return r::runOnce;
 * }
 * }</pre>
 */
public interface KitController extends AutoCloseable {

    /** One reconcile cycle. */
    void runOnce();

    /** Stops the controller; must not throw (default: nothing to stop, so a lambda can be a controller). */
    @Override
    default void close() {
    }
}
