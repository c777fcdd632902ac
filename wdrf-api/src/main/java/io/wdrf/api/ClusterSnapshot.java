package io.wdrf.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything WDRF reads from the cluster, at one instant.
 *
 * <p>Promises: immutable; lists are unmodifiable and never null; the order of the lists carries no meaning
 * (the engine's results never depend on it); {@code invalid} lists objects the backend could not project, each
 * with a specific reason, so callers can count and report them while the rest of the cluster is served.
 */
public record ClusterSnapshot(Instant takenAt, List<Workload> workloads, List<Node> nodes, List<PodInfo> pods,
                              List<ClusterQueueInfo> clusterQueues, List<LocalQueueInfo> localQueues,
                              List<ResourceFlavorInfo> flavors, List<NamespaceInfo> namespaces,
                              List<InvalidObject> invalid) {

    public ClusterSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        workloads = Records.listCopy(workloads);
        nodes = Records.listCopy(nodes);
        pods = Records.listCopy(pods);
        clusterQueues = Records.listCopy(clusterQueues);
        localQueues = Records.listCopy(localQueues);
        flavors = Records.listCopy(flavors);
        namespaces = Records.listCopy(namespaces);
        invalid = Records.listCopy(invalid);
    }

    /** A builder for a snapshot taken at {@code takenAt}. */
    public static Builder builder(Instant takenAt) {
        return new Builder(takenAt);
    }

    /** Mutable builder. */
    public static final class Builder {
        private final Instant takenAt;
        private final List<Workload> workloads = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final List<PodInfo> pods = new ArrayList<>();
        private final List<ClusterQueueInfo> clusterQueues = new ArrayList<>();
        private final List<LocalQueueInfo> localQueues = new ArrayList<>();
        private final List<ResourceFlavorInfo> flavors = new ArrayList<>();
        private final List<NamespaceInfo> namespaces = new ArrayList<>();
        private final List<InvalidObject> invalid = new ArrayList<>();

        private Builder(Instant takenAt) {
            this.takenAt = takenAt;
        }

        public Builder workload(Workload w) { workloads.add(w); return this; }
        public Builder workloads(List<Workload> w) { workloads.addAll(w); return this; }
        public Builder node(Node n) { nodes.add(n); return this; }
        public Builder nodes(List<Node> n) { nodes.addAll(n); return this; }
        public Builder pod(PodInfo p) { pods.add(p); return this; }
        public Builder pods(List<PodInfo> p) { pods.addAll(p); return this; }
        public Builder clusterQueue(ClusterQueueInfo c) { clusterQueues.add(c); return this; }
        public Builder clusterQueues(List<ClusterQueueInfo> c) { clusterQueues.addAll(c); return this; }
        public Builder localQueue(LocalQueueInfo l) { localQueues.add(l); return this; }
        public Builder localQueues(List<LocalQueueInfo> l) { localQueues.addAll(l); return this; }
        public Builder flavor(ResourceFlavorInfo f) { flavors.add(f); return this; }
        public Builder flavors(List<ResourceFlavorInfo> f) { flavors.addAll(f); return this; }
        public Builder namespace(NamespaceInfo n) { namespaces.add(n); return this; }
        public Builder namespaces(List<NamespaceInfo> n) { namespaces.addAll(n); return this; }
        public Builder invalid(InvalidObject i) { invalid.add(i); return this; }
        public Builder invalid(List<InvalidObject> i) { invalid.addAll(i); return this; }

        public ClusterSnapshot build() {
            return new ClusterSnapshot(takenAt, workloads, nodes, pods, clusterQueues, localQueues, flavors,
                    namespaces, invalid);
        }
    }
}
