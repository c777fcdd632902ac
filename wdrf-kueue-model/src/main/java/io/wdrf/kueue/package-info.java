/**
 * An in-memory Kueue cluster for tests, demos and simulations.
 *
 * <p>{@link io.wdrf.kueue.InMemoryCluster} is both a {@link io.wdrf.api.ClusterView} and a
 * {@link io.wdrf.api.PriorityWriter} (so the engine's reconciler runs against it unchanged) and models Kueue's quota
 * reservation deterministically ({@link io.wdrf.kueue.InMemoryCluster#admissionCycle()}, reporting an
 * {@link io.wdrf.kueue.AdmissionResult}). {@link io.wdrf.engine.ManualClock} drives creation times,
 * snapshots, admissions and evictions. The in-memory backend passes the testkit's ClusterView, PriorityWriter and
 * reconcile compatibility kits (checks that need the fake API server are skipped).
 *
 * <h2>The model, cut like Kueue</h2>
 * Each rule lives once, in the javadoc and code of the class that follows the Kueue file named here. Kueue version
 * followed: the {@code main} branch after v0.19 ({@code v0.20.0-devel}, commit {@code ff69552e}, 2026-08), whose
 * v1beta2 API and file layout this table uses.
 * <table>
 *   <caption>Model classes and the Kueue code they follow</caption>
 *   <tr><th>Class</th><th>Kueue file</th><th>What</th></tr>
 *   <tr><td>{@code KueueAdmissionModel}</td><td>{@code pkg/cache/queue/manager.go},
 *       {@code pkg/cache/scheduler/cache.go}, {@code pkg/workload/workload.go} ({@code IsAdmissible})</td>
 *       <td>snapshot → queues and quota usage; which workloads are queued</td></tr>
 *   <tr><td>{@code Scheduler}</td><td>{@code pkg/scheduler/scheduler.go}</td>
 *       <td>the admission cycle: heads, classical cross-queue order, admit / preempt / requeue</td></tr>
 *   <tr><td>{@code ClusterQueueHeap}</td><td>{@code pkg/cache/queue/cluster_queue.go}</td>
 *       <td>heap order, StrictFIFO / BestEffortFIFO, scheduling equivalence</td></tr>
 *   <tr><td>{@code QuotaTree}</td><td>{@code pkg/cache/scheduler/resource_node.go}</td>
 *       <td>hierarchical cohorts, nominal / borrowingLimit / lendingLimit, {@code available()}, borrowing level</td></tr>
 *   <tr><td>{@code FlavorAssigner}</td><td>{@code pkg/scheduler/flavorassigner/flavorassigner.go}</td>
 *       <td>first fitting flavor per resource group in quota order</td></tr>
 *   <tr><td>{@code Preemptor}</td><td>{@code pkg/scheduler/preemption/preemption.go},
 *       {@code preemption/common/ordering.go}, {@code preemption/classical/candidate_generator.go}</td>
 *       <td>withinClusterQueue, reclaimWithinCohort, borrowWithinCohort; candidate order; minimal set</td></tr>
 *   <tr><td>{@code InMemoryCluster} (workload controller part)</td>
 *       <td>{@code pkg/controller/core/workload_controller.go}</td>
 *       <td>{@code spec.active=false} evicts; {@code reconcileMaxExecutionTime}; admission gate</td></tr>
 *   <tr><td>{@link io.wdrf.kueue.CohortInfo}</td><td>{@code apis/kueue/v1beta2/cohort_types.go}</td>
 *       <td>a Cohort object: parent and quotas</td></tr>
 * </table>
 *
 * <p>Not modelled: admission checks, topology-aware scheduling, partial admission, {@code flavorFungibility}
 * (preferring preemption over borrowing), {@code PrioritizePreemptorWorkloads}, hierarchical advantage in
 * preemption (cohort candidates are reclaimed by the flat classical rules), {@code maxPriorityThreshold}.
 */
package io.wdrf.kueue;
