package io.wdrf.testkit;

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

import java.util.Optional;

/**
 * What a compatibility kit needs from a backend under test: the backend's {@link ClusterView} and
 * {@link PriorityWriter}, and a way to change the cluster in WDRF record terms. One fixture per test; the kit closes it.
 *
 * <p>Most backends extend {@link FakeServerFixture}, which implements everything over a {@link FakeKubeApiServer}.
 * Upserts take effect on the server immediately; the view sees them asynchronously (kits poll).
 */
public interface KitFixture extends AutoCloseable {

    /** The backend's view, started (watching) on first call. */
    ClusterView view();

    /** The backend's writer, created on first call. */
    PriorityWriter writer();

    /** Creates or replaces a Workload (an empty uid lets the server assign one). */
    void upsert(Workload workload);

    void upsert(Node node);

    void upsert(ClusterQueueInfo clusterQueue);

    void upsert(LocalQueueInfo localQueue);

    void upsert(NamespaceInfo namespace);

    void upsert(ResourceFlavorInfo flavor);

    void upsert(PodInfo pod);

    /** Deletes a Workload (no-op when absent). */
    void deleteWorkload(WorkloadId id);

    /** Sets (or with null removes) {@code spec.priority} as Kueue or a user would, bypassing the backend. */
    void setPriorityExternally(WorkloadId id, Integer priority);

    /** {@code spec.priority} on the server, or null when absent (or no such workload). */
    Integer serverPriority(WorkloadId id);

    /** An annotation of the workload on the server, or null when absent (or no such workload). */
    String serverAnnotation(WorkloadId id, String key);

    /** The fake server behind this fixture, for raw objects, faults and compaction; empty for other servers. */
    default Optional<FakeKubeApiServer> fakeServer() {
        return Optional.empty();
    }

    /** Closes the backend and the server; must not throw. */
    @Override
    void close();
}
