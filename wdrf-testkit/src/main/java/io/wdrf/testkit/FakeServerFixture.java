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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A ready {@link KitFixture} over a fresh {@link FakeKubeApiServer}: records are written with {@link KueueObjects} in
 * the newest Kueue version the server serves (so a test can switch the server to v1beta1 before the backend starts).
 * A backend only says how to build its view and writer for a server URL:
 *
 * <pre>{@code
 * class Fabric8ViewKitTest extends ClusterViewCompatibilityKit {
 *     @Override protected KitFixture createFixture() {
 *         return new FakeServerFixture() {
 *             @Override protected ClusterView createView(String url) { return Fabric8Backend.connect(url).view(); }
 *             @Override protected PriorityWriter createWriter(String url) { return Fabric8Backend.connect(url).writer(); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * or, when one backend object is both view and writer, {@code FakeServerFixture.of(url -> MyBackend.start(url))}.
 *
 * <p>The view and writer are created on first use; {@link #close()} closes the view, the writer when it is
 * {@link AutoCloseable}, then calls {@link #closeBackend()} and stops the server.
 */
public abstract class FakeServerFixture implements KitFixture {

    private final FakeKubeApiServer server;
    private ClusterView view;
    private PriorityWriter writer;

    /** A fixture over a server with default options. */
    protected FakeServerFixture() {
        this(FakeKubeApiServer.builder().bookmarkInterval(Duration.ofMillis(200)));
    }

    /** A fixture over a server built from {@code server} (e.g. only v1beta1 served). */
    protected FakeServerFixture(FakeKubeApiServer.Builder server) {
        this.server = server.start();
    }

    /**
     * A fixture for a backend object that is both view and writer, built once (on first use) from the server URL:
     * {@code FakeServerFixture.of(url -> MyBackend.builder().masterUrl(url).build().start())}.
     */
    public static <B extends ClusterView & PriorityWriter> FakeServerFixture of(Function<String, B> backend) {
        return of(FakeKubeApiServer.builder().bookmarkInterval(Duration.ofMillis(200)), backend);
    }

    /** Like {@link #of(Function)} over a server built from {@code server}. */
    public static <B extends ClusterView & PriorityWriter> FakeServerFixture of(FakeKubeApiServer.Builder server,
                                                                               Function<String, B> backend) {
        Objects.requireNonNull(backend, "backend");
        return new FakeServerFixture(server) {
            private B instance;

            private synchronized B instance(String url) {
                if (instance == null) {
                    instance = backend.apply(url);
                }
                return instance;
            }

            @Override
            protected ClusterView createView(String url) {
                return instance(url);
            }

            @Override
            protected PriorityWriter createWriter(String url) {
                return instance(url);
            }
        };
    }

    /** Builds and starts the backend's view against the server at {@code url} (plain HTTP, no auth). */
    protected abstract ClusterView createView(String url);

    /** Builds the backend's writer against the server at {@code url}. */
    protected abstract PriorityWriter createWriter(String url);

    /** Releases anything else the backend holds (clients, executors); called by {@link #close()}. */
    protected void closeBackend() {
    }

    /** The server URL. */
    public String url() {
        return server.url();
    }

    /** The Kueue version used for writes and reads: the newest one the server serves. */
    public String kueueVersion() {
        List<String> served = server.servedKueueVersions();
        return served.get(served.size() - 1);
    }

    @Override
    public synchronized ClusterView view() {
        if (view == null) {
            view = createView(server.url());
        }
        return view;
    }

    @Override
    public synchronized PriorityWriter writer() {
        if (writer == null) {
            writer = createWriter(server.url());
        }
        return writer;
    }

    @Override
    public Optional<FakeKubeApiServer> fakeServer() {
        return Optional.of(server);
    }

    @Override
    public void upsert(Workload w) {
        server.put(kueuePath("workloads", w.id().namespace()), KueueObjects.workload(w, kueueVersion()));
    }

    @Override
    public void upsert(Node node) {
        server.put("/api/v1/nodes", KueueObjects.node(node));
    }

    @Override
    public void upsert(ClusterQueueInfo cq) {
        server.put(kueuePath("clusterqueues", null), KueueObjects.clusterQueue(cq, kueueVersion()));
    }

    @Override
    public void upsert(LocalQueueInfo lq) {
        server.put(kueuePath("localqueues", lq.namespace()), KueueObjects.localQueue(lq, kueueVersion()));
    }

    @Override
    public void upsert(NamespaceInfo ns) {
        server.put("/api/v1/namespaces", KueueObjects.namespace(ns));
    }

    @Override
    public void upsert(ResourceFlavorInfo flavor) {
        server.put(kueuePath("resourceflavors", null), KueueObjects.resourceFlavor(flavor, kueueVersion()));
    }

    @Override
    public void upsert(PodInfo pod) {
        server.put("/api/v1/namespaces/" + pod.namespace() + "/pods", KueueObjects.pod(pod));
    }

    @Override
    public void deleteWorkload(WorkloadId id) {
        server.delete(workloadPath(id));
    }

    @Override
    public void setPriorityExternally(WorkloadId id, Integer priority) {
        Map<String, Object> current = server.get(workloadPath(id))
                .orElseThrow(() -> new IllegalArgumentException("no workload " + id + " on the server"));
        Map<String, Object> spec = Json.child(current, "spec");
        if (priority == null) {
            spec.remove("priority");
        } else {
            spec.put("priority", priority);
        }
        server.put(workloadPath(id), current);
    }

    @Override
    public Integer serverPriority(WorkloadId id) {
        Object p = server.get(workloadPath(id)).map(o -> Json.at(o, "spec", "priority")).orElse(null);
        return p instanceof Number n ? n.intValue() : null;
    }

    @Override
    public String serverAnnotation(WorkloadId id, String key) {
        Object a = server.get(workloadPath(id)).map(o -> Json.at(o, "metadata", "annotations", key)).orElse(null);
        return a instanceof String s ? s : null;
    }

    @Override
    public void close() {
        ClusterView v;
        PriorityWriter w;
        synchronized (this) {
            v = view;
            w = writer;
        }
        try {
            if (v != null) {
                v.close();
            }
            if (w instanceof AutoCloseable c && w != v) {
                c.close();
            }
            closeBackend();
        } catch (Exception e) {
            throw new IllegalStateException("closing the backend failed", e);
        } finally {
            server.close();
        }
    }

    private String kueuePath(String plural, String namespace) {
        return FakeKubeApiServer.path(KueueObjects.GROUP, kueueVersion(), plural, namespace, null);
    }

    private String workloadPath(WorkloadId id) {
        return FakeKubeApiServer.path(KueueObjects.GROUP, kueueVersion(), "workloads", id.namespace(), id.name());
    }
}
