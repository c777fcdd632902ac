package io.wdrf.standalone;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import io.wdrf.testkit.FakeKubeApiServer;
import io.wdrf.testkit.FakeServerFixture;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The testkit's fake API server seeded with the demo scenario (Kueue objects, HAMi nodes, pending workloads). */
final class FakeCluster implements AutoCloseable {

    final FakeServerFixture fixture = new FakeServerFixture() {
        @Override
        protected ClusterView createView(String url) {
            throw new UnsupportedOperationException("the controller under test has its own backend");
        }

        @Override
        protected PriorityWriter createWriter(String url) {
            throw new UnsupportedOperationException("the controller under test has its own backend");
        }
    };
    final List<Workload> workloads;

    FakeCluster() {
        InMemoryCluster demo = DemoScenario.cluster(new ManualClock(DemoScenario.START), true);
        ClusterSnapshot s = demo.snapshot();
        for (NamespaceInfo ns : s.namespaces()) {
            fixture.upsert(ns);
        }
        fixture.upsert(new NamespaceInfo("wdrf-system", Map.of(), Map.of()));
        for (ResourceFlavorInfo f : s.flavors()) {
            fixture.upsert(f);
        }
        for (ClusterQueueInfo cq : s.clusterQueues()) {
            fixture.upsert(cq);
        }
        for (LocalQueueInfo lq : s.localQueues()) {
            fixture.upsert(lq);
        }
        for (Node n : s.nodes()) {
            fixture.upsert(n);
        }
        for (Workload w : s.workloads()) {
            fixture.upsert(w);
        }
        workloads = s.workloads();
        demo.close();
    }

    FakeKubeApiServer server() {
        return fixture.fakeServer().orElseThrow();
    }

    String url() {
        return fixture.url();
    }

    Integer priority(WorkloadId id) {
        return fixture.serverPriority(id);
    }

    String explanation(WorkloadId id) {
        return fixture.serverAnnotation(id, "wdrf.x-k8s.io/explanation");
    }

    boolean allPrioritized() {
        return workloads.stream().allMatch(w -> priority(w.id()) != null && explanation(w.id()) != null);
    }

    int workloadPatches() {
        return workloads.stream().mapToInt(w -> server().patchCount("workloads", w.id().namespace(), w.id().name())).sum();
    }

    Optional<String> leaseHolder(String namespace, String name) {
        return server().get(FakeKubeApiServer.path("coordination.k8s.io", "v1", "leases", namespace, name))
                .map(o -> o.get("spec") instanceof Map<?, ?> spec ? spec.get("holderIdentity") : null)
                .map(h -> h == null ? "" : h.toString());
    }

    /** The Lease's spec, or an empty map. */
    Map<?, ?> leaseSpec(String namespace, String name) {
        return server().get(FakeKubeApiServer.path("coordination.k8s.io", "v1", "leases", namespace, name))
                .map(o -> o.get("spec") instanceof Map<?, ?> spec ? (Map<?, ?>) spec : Map.of()).orElse(Map.of());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> http(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls every 100 ms. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("wdrf-reconciler")) {
                threads.append("\n").append(t.getName()).append(" ").append(t.getState());
                for (StackTraceElement e : stack) {
                    threads.append("\n  at ").append(e);
                }
            }
        });
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what + threads, last);
    }

    @Override
    public void close() {
        fixture.close();
    }
}
