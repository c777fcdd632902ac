/**
 * Client-neutral backend building blocks shared by the fabric8 and client-java backends.
 *
 * <ul>
 *   <li>{@link io.wdrf.backend.common.KubeProjector}: Kubernetes/Kueue JSON trees (v1beta1 and v1beta2) →
 *       {@code io.wdrf.api} records, or an {@link io.wdrf.api.InvalidObject} naming the JSON path and value;
 *       never throws.</li>
 *   <li>{@link io.wdrf.backend.common.ProjectedStore}: thread-safe records per kind, listener fan-out, consistent
 *       sorted snapshots.</li>
 *   <li>{@link io.wdrf.backend.common.PatchingPriorityWriter}: one JSON merge patch
 *       ({@link io.wdrf.backend.common.MergePatch}) per update through a client's
 *       {@link io.wdrf.backend.common.PatchTransport}, uid check against the store, a
 *       {@link io.wdrf.backend.common.TokenBucketRateLimiter} and a {@link io.wdrf.backend.common.RetryPolicy}.</li>
 *   <li>{@link io.wdrf.backend.common.BackendConfig} and the {@link io.wdrf.backend.common.LeaderElection} SPI.</li>
 * </ul>
 */
package io.wdrf.backend.common;
