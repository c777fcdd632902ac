package io.wdrf.backend.official;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.wdrf.backend.official.Eventually.eventually;
import static io.wdrf.backend.official.Fixtures.KUEUE;
import static org.assertj.core.api.Assertions.assertThat;

/** client-java backend against the testkit fake API server (HTTP chunked watches, 410, fault injection). */
class OfficialFakeServerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private FakeKubeApiServer server;
    private OfficialBackend backend;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        server = FakeKubeApiServer.builder().bookmarkInterval(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
        server.close();
    }

    private OfficialBackend start(BackendConfig cfg) throws InterruptedException {
        backend = OfficialBackend.builder().basePath(server.url()).verifyingSsl(false)
                .config(cfg.withRetries(6, Duration.ofMillis(5), Duration.ofSeconds(2)).withRateLimit(1000, 100))
                .sleeper(sleeps::add).build().start();
        assertThat(backend.awaitSynced(WAIT)).as("synced").isTrue();
        return backend;
    }

    private Optional<Workload> viewed(String ns, String name) {
        return backend.snapshot().workloads().stream().filter(w -> w.id().equals(new WorkloadId(ns, name))).findFirst();
    }

    private int serverPriority(String ns, String name) {
        Map<String, Object> w = server.get(KUEUE + "/namespaces/" + ns + "/workloads/" + name).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) w.get("spec");
        return ((Number) spec.get("priority")).intValue();
    }

    @Test
    void projectsWithV1beta2AndFollowsCreatesPatchesAndOverwrites() throws Exception {
        server.put(KUEUE + "/workloads", Fixtures.workload("team-a", "w1", 1));
        server.put(KUEUE + "/localqueues", Fixtures.localQueue("team-a", "lq", "cq"));
        server.put(KUEUE + "/clusterqueues", Fixtures.clusterQueue("cq", "8"));
        server.put("/api/v1/nodes", Fixtures.node("n1", "16"));
        start(BackendConfig.defaults());
        assertThat(backend.kueueApiVersion()).isEqualTo("v1beta2");
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).singleElement().satisfies(w -> assertThat(w.priority()).isEqualTo(1));
        assertThat(s.clusterQueues()).singleElement().satisfies(c -> assertThat(c.cohort()).isEqualTo("all"));
        assertThat(s.localQueues()).hasSize(1);
        assertThat(s.nodes()).hasSize(1);
        // the informer caches metadata-only stubs, never the raw objects
        assertThat(backend.informerCache(io.wdrf.backend.common.ResourceKind.WORKLOAD)).singleElement().satisfies(o -> {
            com.google.gson.JsonObject raw = ((io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject) o).getRaw();
            assertThat(raw.has("spec")).isFalse();
            assertThat(raw.getAsJsonObject("metadata").keySet())
                    .containsExactlyInAnyOrder("name", "namespace", "uid", "resourceVersion");
        });

        server.put(KUEUE + "/workloads", Fixtures.workload("team-a", "w2", null));
        eventually(WAIT, () -> assertThat(viewed("team-a", "w2")).isPresent());
        Workload w2 = viewed("team-a", "w2").orElseThrow();
        assertThat(w2.priority()).isNull();
        server.clearRequests();
        WriteResult r = backend.apply(List.of(new PriorityUpdate(w2.id(), w2.uid(), PriorityTarget.SPEC_PRIORITY,
                300, null, "level 0.1")));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(server.requests()).filteredOn(q -> !q.isWatch()).singleElement().satisfies(q -> {
            assertThat(q.method()).isEqualTo("PATCH");
            assertThat(q.contentType()).startsWith("application/merge-patch+json");
            assertThat(q.query()).contains("fieldManager=wdrf");
        });
        assertThat(serverPriority("team-a", "w2")).isEqualTo(300);
        eventually(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(300));

        // Kueue (or a user) overwrites spec.priority: the view follows
        Map<String, Object> over = Fixtures.workload("team-a", "w2", 5);
        server.put(KUEUE + "/workloads", over);
        eventually(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(5));
    }

    @Test
    void relistAfter410NeitherLosesNorDuplicates() throws Exception {
        for (int i = 0; i < 20; i++) {
            server.put(KUEUE + "/workloads", Fixtures.workload("ns", "w" + i, i));
        }
        start(BackendConfig.defaults());
        assertThat(backend.snapshot().workloads()).hasSize(20);
        // make sure the watches are open, so that compact() ends them with 410 (not a race with watch start)
        eventually(WAIT, () -> assertThat(server.openWatches()).isGreaterThanOrEqualTo(6));
        server.clearRequests();
        server.compact();
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "new", 1));
        server.delete(KUEUE + "/namespaces/ns/workloads/w0");
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "w1", 99));
        eventually(WAIT, () -> {
            ClusterSnapshot s = backend.snapshot();
            assertThat(s.workloads()).hasSize(20);
            assertThat(s.workloads()).extracting(w -> w.id().name()).doesNotHaveDuplicates()
                    .contains("new").doesNotContain("w0");
            assertThat(viewed("ns", "w1").orElseThrow().priority()).isEqualTo(99);
        });
        // (whether the client relists or resumes from a bookmark newer than the compaction point is its choice;
        // convergence is what counts)
        // the watch resumes after the relist
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "after", 1));
        eventually(WAIT, () -> assertThat(viewed("ns", "after")).isPresent());
    }

    @Test
    void throttlingAndServerErrorBurstsAreRetriedUntilWritten() throws Exception {
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "w", 1));
        start(BackendConfig.defaults());
        server.faults().failNext("PATCH", "/workloads/w$", 429, 2).failNext("PATCH", "/workloads/w$", 500, 2);
        Workload w = viewed("ns", "w").orElseThrow();
        WriteResult r = backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY,
                42, 1, null)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(r.items().get(0).attempts()).isEqualTo(5);
        assertThat(server.patchCount("workloads", "ns", "w")).isEqualTo(5);
        assertThat(serverPriority("ns", "w")).isEqualTo(42);
        assertThat(sleeps).as("Retry-After: 1 honoured for the 429s").contains(Duration.ofSeconds(1));

        server.faults().failNext("PATCH", "/workloads/w$", 503, 10);
        WriteResult failed = backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY,
                43, 42, null)));
        assertThat(failed.items().get(0).outcome()).isEqualTo(WriteOutcome.FAILED);
        assertThat(failed.items().get(0).attempts()).isEqualTo(6);
        assertThat(failed.items().get(0).message()).contains("503");
        server.faults().clear();
    }

    @Test
    void malformedObjectsAreSkippedWithASpecificError() throws Exception {
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "good", 1));
        Map<String, Object> bad = new java.util.LinkedHashMap<>(Fixtures.workload("ns", "bad", 1));
        bad.put("spec", Map.of("queueName", "lq", "podSets", "oops"));
        server.put(KUEUE + "/workloads", bad);
        server.put(KUEUE + "/clusterqueues", Fixtures.clusterQueue("cq", "8x"));
        start(BackendConfig.defaults());
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).extracting(w -> w.id().name()).containsExactly("good");
        assertThat(s.clusterQueues()).isEmpty();
        assertThat(s.invalid()).extracting(Object::toString).containsExactlyInAnyOrder(
                "Workload ns/bad: spec.podSets: is not a list (got 'oops')",
                "ClusterQueue cq: spec.resourceGroups[0].flavors[0].resources[0].nominalQuota: quantity '8x' has unknown"
                        + " suffix 'x' (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)");
    }

    @Test
    void oldKueueServesOnlyV1beta1() throws Exception {
        server.serveKueueVersions("v1beta1");
        server.put("/apis/kueue.x-k8s.io/v1beta1/workloads", Map.of("metadata", Map.of("name", "w", "namespace", "ns"),
                "spec", Map.of("priority", 3, "priorityClassName", "high",
                        "priorityClassSource", "kueue.x-k8s.io/workloadpriorityclass",
                        "podSets", List.of(Map.of("name", "main", "count", 1, "template", Map.of("spec",
                                Map.of("containers", List.of(Map.of("name", "c")))))))));
        start(BackendConfig.defaults());
        assertThat(backend.kueueApiVersion()).isEqualTo("v1beta1");
        Workload w = viewed("ns", "w").orElseThrow();
        assertThat(w.priorityClassName()).isEqualTo("high");
        assertThat(backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY, 9, 3,
                null))).items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        eventually(WAIT, () -> assertThat(viewed("ns", "w").orElseThrow().priority()).isEqualTo(9));
    }

    @Test
    void namespaceFilterAndPodsOff() throws Exception {
        server.put(KUEUE + "/workloads", Fixtures.workload("a", "w", 1));
        server.put(KUEUE + "/workloads", Fixtures.workload("b", "w", 1));
        server.put("/api/v1/pods", Map.of("metadata", Map.of("name", "p", "namespace", "a")));
        start(BackendConfig.defaults().withNamespaces(List.of("a")).withWatchPods(false));
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).extracting(w -> w.id().namespace()).containsExactly("a");
        assertThat(s.pods()).isEmpty();
        assertThat(server.requests()).noneMatch(q -> q.path().contains("/pods"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordEventCreatesACoreEventOnTheWorkload() throws Exception {
        server.put(KUEUE + "/workloads", Fixtures.workload("ns", "w", 1));
        start(BackendConfig.defaults());
        Workload w = viewed("ns", "w").orElseThrow();
        backend.recordEvent(w.id(), "PriorityChanged", "1 -> 42: \"fair\" share");
        List<Map<String, Object>> events = server.list("/api/v1/namespaces/ns/events");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("reason")).isEqualTo("PriorityChanged");
            assertThat(e.get("message")).isEqualTo("1 -> 42: \"fair\" share");
            assertThat(e.get("type")).isEqualTo("Normal");
            Map<String, Object> ref = (Map<String, Object>) e.get("involvedObject");
            assertThat(ref).containsEntry("kind", "Workload").containsEntry("name", "w").containsEntry("uid", w.uid())
                    .containsEntry("apiVersion", "kueue.x-k8s.io/v1beta2");
        });
        // failures are swallowed (best effort)
        server.faults().failNext("POST", "/events", 500, 1);
        backend.recordEvent(w.id(), "PriorityChanged", "again");
        assertThat(server.list("/api/v1/namespaces/ns/events")).hasSize(1);
    }
}
