/**
 * WDRF backend on the fabric8 kubernetes-client (7.x/8.x; no Jackson types used):
 * {@link io.wdrf.backend.fabric8.Fabric8Backend} (ClusterView + PriorityWriter) and
 * {@link io.wdrf.backend.fabric8.Fabric8LeaderElection} (Lease).
 */
package io.wdrf.backend.fabric8;
