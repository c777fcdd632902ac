package io.wdrf.kueue;

import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The parsed shapes the scheduler works on (Kueue {@code workload.Info} and its pod-set requests). */
final class Requests {

    private Requests() {
    }

    /** A pod set's total request (count × pod request), positive amounts only. */
    record PodSetRequest(String name, int count, TreeMap<String, Double> total, Map<String, String> nodeSelector) {
    }

    /**
     * A pending, admissible workload reached through its LocalQueue, with its parsed pod sets (and the cluster's
     * slot it came from, for the admission model's bookkeeping; compared by identity).
     */
    record Queued(Workload workload, String localQueue, List<PodSetRequest> podSets, WorkloadSlot slot) {
    }

    /** A workload holding quota in a ClusterQueue: what it charges, and since when. */
    record Held(Workload workload, String clusterQueue, Map<FlavorResource, Double> usage, Instant reservedAt) {
    }
}
