package io.wdrf.api;

import java.util.Objects;

/**
 * A Kueue LocalQueue: the namespaced queue a Workload names in {@code spec.queueName}, backed by one ClusterQueue.
 *
 * @param namespace    namespace of the queue
 * @param name         queue name
 * @param clusterQueue {@code spec.clusterQueue}
 */
public record LocalQueueInfo(String namespace, String name, String clusterQueue) {

    public LocalQueueInfo {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clusterQueue, "clusterQueue");
    }
}
