/**
 * WDRF backend on the official Kubernetes client-java 27:
 * {@link io.wdrf.backend.official.OfficialBackend} (ClusterView + PriorityWriter) and
 * {@link io.wdrf.backend.official.OfficialLeaderElection} (a small Lease elector, since client-java-extended is not
 * published for 27).
 */
package io.wdrf.backend.official;
