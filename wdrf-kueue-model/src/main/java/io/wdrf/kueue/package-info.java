/**
 * An in-memory Kueue cluster for tests, demos and simulations.
 *
 * <p>{@link io.wdrf.kueue.InMemoryCluster} is both a {@link io.wdrf.api.ClusterView} and a
 * {@link io.wdrf.api.PriorityWriter} (so the engine's reconciler runs against it unchanged) and models Kueue's quota
 * reservation deterministically ({@link io.wdrf.kueue.InMemoryCluster#admissionCycle()}, reporting an
 * {@link io.wdrf.kueue.AdmissionResult}). {@link io.wdrf.engine.ManualClock} drives creation times,
 * snapshots, admissions and evictions. The in-memory backend passes the testkit's ClusterView, PriorityWriter and
 * reconcile compatibility kits (checks that need the fake API server are skipped).
 */
package io.wdrf.kueue;
