package io.wdrf.kueue;

import io.wdrf.engine.ManualClock;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterView;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.testkit.KitFixture;

/** Runs the testkit's compatibility kits against {@link InMemoryCluster}: the cluster is view, writer and "server". */
final class InMemoryKitFixture implements KitFixture {

    private final InMemoryCluster cluster = InMemoryCluster.create(ManualClock.at("2026-03-01T10:00:00Z"));

    InMemoryCluster cluster() {
        return cluster;
    }

    @Override
    public ClusterView view() {
        return cluster;
    }

    @Override
    public PriorityWriter writer() {
        return cluster;
    }

    /** Create, or replace keeping the stored uid when none is given (what a PUT to the API server does). */
    @Override
    public void upsert(Workload workload) {
        if (cluster.workload(workload.id()).isEmpty()) {
            cluster.submit(workload);
            return;
        }
        cluster.updateWorkload(workload.id(), old -> workload.uid().isEmpty()
                ? workload.toBuilder().uid(old.uid()).build() : workload);
    }

    @Override
    public void upsert(Node node) {
        cluster.putNode(node);
    }

    @Override
    public void upsert(ClusterQueueInfo clusterQueue) {
        cluster.putClusterQueue(clusterQueue);
    }

    @Override
    public void upsert(LocalQueueInfo localQueue) {
        cluster.putLocalQueue(localQueue);
    }

    @Override
    public void upsert(NamespaceInfo namespace) {
        cluster.putNamespace(namespace);
    }

    @Override
    public void upsert(ResourceFlavorInfo flavor) {
        cluster.putFlavor(flavor);
    }

    @Override
    public void upsert(PodInfo pod) {
        cluster.putPod(pod);
    }

    @Override
    public void deleteWorkload(WorkloadId id) {
        cluster.delete(id);
    }

    @Override
    public void setPriorityExternally(WorkloadId id, Integer priority) {
        cluster.setPriority(id, priority);
    }

    @Override
    public Integer serverPriority(WorkloadId id) {
        return cluster.workload(id).map(Workload::priority).orElse(null);
    }

    @Override
    public String serverAnnotation(WorkloadId id, String key) {
        return cluster.workload(id).map(w -> w.annotations().get(key)).orElse(null);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
