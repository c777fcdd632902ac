/**
 * WDRF's stable SPI: immutable records describing a Kueue cluster, and the interfaces a backend
 * ({@link io.wdrf.api.ClusterView}, {@link io.wdrf.api.PriorityWriter}), a demand model
 * ({@link io.wdrf.api.DemandModel}) or a priority policy ({@link io.wdrf.api.PriorityPolicy},
 * {@link io.wdrf.api.PriorityPolicyProvider}) implements. No third-party dependencies.
 */
package io.wdrf.api;
