/**
 * Test support for WDRF backends and controllers (use in test scope).
 *
 * <ul>
 *   <li>{@link io.wdrf.testkit.FakeKubeApiServer}: an in-memory Kubernetes API server over HTTP (core nodes, pods,
 *       namespaces, events; Kueue v1beta1/v1beta2 workloads, queues, flavors; leases) with merge patch, status
 *       subresource, chunked watches with replay, bookmarks and 410 compaction, discovery, fault injection
 *       ({@link io.wdrf.testkit.Faults}) and a request log. fabric8 (with {@code onlyHttpWatches}) and client-java
 *       informers both run against it.</li>
 *   <li>{@link io.wdrf.testkit.KueueObjects}: API objects from WDRF records (the inverse of a backend's projection).</li>
 *   <li>Compatibility kits: {@link io.wdrf.testkit.ClusterViewCompatibilityKit},
 *       {@link io.wdrf.testkit.PriorityWriterCompatibilityKit}, {@link io.wdrf.testkit.ReconcileCompatibilityKit}.
 *       A backend passes them by subclassing and returning a {@link io.wdrf.testkit.KitFixture}, usually
 *       {@code FakeServerFixture.of(url -> MyBackend.start(url))}.</li>
 *   <li>{@link io.wdrf.testkit.Eventually} for polling assertions, {@link io.wdrf.testkit.KitScenario} (a populated
 *       cluster) and {@link io.wdrf.testkit.KitAssertions} (record comparisons).</li>
 * </ul>
 */
package io.wdrf.testkit;
