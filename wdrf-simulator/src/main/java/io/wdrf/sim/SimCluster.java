package io.wdrf.sim;

import io.wdrf.api.Node;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The simulated cluster: one ClusterQueue {@code sim} (flavor {@code default}) with {@code quota}, one LocalQueue
 * {@code lq} per team namespace, optional nodes (HAMi register annotations), and the capacity used by metrics.
 *
 * @param quota       ClusterQueue nominal quota per resource (Kubernetes quantities)
 * @param capacity    capacity per resource in the units of {@link SimJob#usage()} (metrics: shares, allocation)
 * @param gpuResource key of {@code capacity}/{@code usage} that counts GPUs (allocation rate)
 * @param nodes       nodes shown to the engine (may be empty: capacity then comes from the quota)
 * @param hami        whether the engine uses HAMi GPU-fraction accounting ({@code io.wdrf.hami.HamiDemandModel})
 * @param excludeFromAdmission resource name prefixes Kueue's admission ignores (Kueue {@code excludeResourcePrefixes})
 * @param teamWeights tenant weights (missing = 1)
 * @param description one line, for reports
 */
public record SimCluster(Map<String, String> quota, Map<String, Double> capacity, String gpuResource, List<Node> nodes,
                         boolean hami, List<String> excludeFromAdmission, Map<String, Double> teamWeights,
                         String description) {

    public SimCluster {
        quota = Collections.unmodifiableMap(new TreeMap<>(quota));
        capacity = Collections.unmodifiableMap(new TreeMap<>(capacity));
        Objects.requireNonNull(gpuResource, "gpuResource");
        nodes = List.copyOf(nodes);
        excludeFromAdmission = List.copyOf(excludeFromAdmission);
        teamWeights = Collections.unmodifiableMap(new TreeMap<>(teamWeights));
        description = description == null ? "" : description;
        if (!(capacity.getOrDefault(gpuResource, 0.0) > 0)) {
            throw new IllegalArgumentException("cluster: capacity of " + gpuResource + " must be positive");
        }
    }

    /** GPU capacity (allocation-rate denominator). */
    public double gpuCapacity() {
        return capacity.get(gpuResource);
    }

    /** Weight of a team (1 when not configured). */
    public double weight(String team) {
        return teamWeights.getOrDefault(team, 1.0);
    }
}
