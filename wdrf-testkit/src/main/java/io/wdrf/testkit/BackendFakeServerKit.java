package io.wdrf.testkit;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kit for a Kubernetes backend (one object serving as {@link ClusterView} and {@link PriorityWriter}) against the
 * {@link FakeKubeApiServer}: v1beta2 projection and following creates, patches and overwrites; convergence after
 * a 410 relist; retries of 429/5xx bursts (Retry-After honoured) with a bounded number of attempts; malformed
 * objects reported with a specific error; v1beta1-only Kueue; namespace filter with pods off; core Events.
 *
 * <p>Subclass it in the backend's tests and implement {@link #startBackend}, {@link #awaitSynced} and
 * {@link #kueueApiVersion}; every test gets a fresh server (bookmarks every 200 ms) and a fresh backend.
 *
 * @param <B> the backend type
 */
public abstract class BackendFakeServerKit<B extends ClusterView & PriorityWriter> {

    /** How long to wait for the backend to sync or to reflect a change. */
    protected static final Duration WAIT = Duration.ofSeconds(15);

    /** Raw API path prefix of Kueue v1beta2. */
    protected static final String KUEUE = "/apis/kueue.x-k8s.io/v1beta2";

    /** A Workload JSON tree (queue lq, one pod set of 2 x (1 cpu, 1Gi)); {@code priority} may be null. */
    protected static Map<String, Object> workload(String ns, String name, Object priority) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("queueName", "lq");
        if (priority != null) {
            spec.put("priority", priority);
        }
        spec.put("podSets", List.of(Map.of("name", "main", "count", 2, "template", Map.of("spec", Map.of(
                "containers", List.of(Map.of("name", "c", "resources", Map.of("requests",
                        Map.of("cpu", "1", "memory", "1Gi")))))))));
        return Map.of("metadata", Map.of("name", name, "namespace", ns), "spec", spec);
    }

    /** A LocalQueue JSON tree. */
    protected static Map<String, Object> localQueue(String ns, String name, String cq) {
        return Map.of("metadata", Map.of("name", name, "namespace", ns), "spec", Map.of("clusterQueue", cq));
    }

    /** A ClusterQueue JSON tree in cohort "all" with one flavor quoting {@code cpu}. */
    protected static Map<String, Object> clusterQueue(String name, String cpu) {
        return Map.of("metadata", Map.of("name", name), "spec", Map.of("cohortName", "all", "resourceGroups",
                List.of(Map.of("coveredResources", List.of("cpu"), "flavors", List.of(Map.of("name", "default",
                        "resources", List.of(Map.of("name", "cpu", "nominalQuota", cpu))))))));
    }

    /** A Ready Node JSON tree with {@code cpu} allocatable. */
    protected static Map<String, Object> node(String name, String cpu) {
        return Map.of("metadata", Map.of("name", name), "status", Map.of("allocatable", Map.of("cpu", cpu),
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    }

    private FakeKubeApiServer server;
    private B backend;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    /**
     * Builds and starts (does not await) the backend against {@code url}, with retries (6 attempts, 5 ms .. 2 s
     * backoff), a rate limit of 1000 QPS / burst 100, the given namespace filter (empty = all) and pod watch
     * setting, and {@code sleeper} as the rate limiter's and retries' way of waiting.
     */
    protected abstract B startBackend(String url, List<String> namespaces, boolean watchPods,
                                      Consumer<Duration> sleeper);

    /** Waits until the backend's initial lists are done; false on timeout. */
    protected abstract boolean awaitSynced(B backend, Duration timeout) throws InterruptedException;

    /** The Kueue API version the backend resolved. */
    protected abstract String kueueApiVersion(B backend);

    /** Backend-specific checks after the first sync of the projection test (default: none). */
    protected void checkInitialProjection(B backend) {
    }

    /** The current test's fake API server. */
    protected FakeKubeApiServer server() {
        return server;
    }

    @BeforeEach
    void startFakeServer() {
        server = FakeKubeApiServer.builder().bookmarkInterval(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void closeBackendAndServer() {
        if (backend != null) {
            backend.close();
        }
        server.close();
    }

    private B start(List<String> namespaces, boolean watchPods) throws InterruptedException {
        backend = startBackend(server.url(), namespaces, watchPods, sleeps::add);
        assertThat(awaitSynced(backend, WAIT)).as("synced").isTrue();
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
        server.put(KUEUE + "/workloads", workload("team-a", "w1", 1));
        server.put(KUEUE + "/localqueues", localQueue("team-a", "lq", "cq"));
        server.put(KUEUE + "/clusterqueues", clusterQueue("cq", "8"));
        server.put("/api/v1/nodes", node("n1", "16"));
        start(List.of(), true);
        assertThat(kueueApiVersion(backend)).isEqualTo("v1beta2");
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).singleElement().satisfies(w -> assertThat(w.priority()).isEqualTo(1));
        assertThat(s.clusterQueues()).singleElement().satisfies(c -> assertThat(c.cohort()).isEqualTo("all"));
        assertThat(s.localQueues()).hasSize(1);
        assertThat(s.nodes()).hasSize(1);
        checkInitialProjection(backend);

        server.put(KUEUE + "/workloads", workload("team-a", "w2", null));
        Eventually.untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2")).isPresent());
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
        Eventually.untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(300));

        // Kueue (or a user) overwrites spec.priority: the view follows
        Map<String, Object> over = workload("team-a", "w2", 5);
        server.put(KUEUE + "/workloads", over);
        Eventually.untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(5));
    }

    @Test
    void discoveryFailuresAreRetriedSoAV1beta2OnlyKueueIsFound() throws Exception {
        server.serveKueueVersions("v1beta2");
        server.put(KUEUE + "/workloads", workload("ns", "w", 1));
        server.faults().failNext("GET", "^/apis(/kueue\\.x-k8s\\.io)?/?$", 503, 2);
        start(List.of(), false);
        assertThat(kueueApiVersion(backend)).as("two 503s during discovery do not select v1beta1")
                .isEqualTo("v1beta2");
        assertThat(backend.snapshot().workloads()).hasSize(1);
    }

    @Test
    void discoveryThatNeverAnswersFailsStartUpLoudly() {
        server.faults().failNext("GET", "^/apis(/kueue\\.x-k8s\\.io)?/?$", 503, 1000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend = startBackend(server.url(), List.of(), false,
                        sleeps::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("discovery of the Kueue API group kueue.x-k8s.io failed")
                .hasMessageContaining("kube.kueue-api-version");
        assertThat(sleeps).as("bounded retries, waits through the injected sleeper").isNotEmpty().hasSizeLessThan(10);
    }

    @Test
    void relistAfter410NeitherLosesNorDuplicates() throws Exception {
        for (int i = 0; i < 20; i++) {
            server.put(KUEUE + "/workloads", workload("ns", "w" + i, i));
        }
        start(List.of(), true);
        assertThat(backend.snapshot().workloads()).hasSize(20);
        // make sure the watches are open, so that compact() ends them with 410 (not a race with watch start)
        Eventually.untilPasses(WAIT, () -> assertThat(server.openWatches()).isGreaterThanOrEqualTo(6));
        server.clearRequests();
        server.compact();
        server.put(KUEUE + "/workloads", workload("ns", "new", 1));
        server.delete(KUEUE + "/namespaces/ns/workloads/w0");
        server.put(KUEUE + "/workloads", workload("ns", "w1", 99));
        Eventually.untilPasses(WAIT, () -> {
            ClusterSnapshot s = backend.snapshot();
            assertThat(s.workloads()).hasSize(20);
            assertThat(s.workloads()).extracting(w -> w.id().name()).doesNotHaveDuplicates()
                    .contains("new").doesNotContain("w0");
            assertThat(viewed("ns", "w1").orElseThrow().priority()).isEqualTo(99);
        });
        // (whether the client relists or resumes from a bookmark newer than the compaction point is its choice;
        // convergence is what counts)
        // the watch resumes after the relist
        server.put(KUEUE + "/workloads", workload("ns", "after", 1));
        Eventually.untilPasses(WAIT, () -> assertThat(viewed("ns", "after")).isPresent());
    }

    @Test
    void throttlingAndServerErrorBurstsAreRetriedUntilWritten() throws Exception {
        server.put(KUEUE + "/workloads", workload("ns", "w", 1));
        start(List.of(), true);
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
        server.put(KUEUE + "/workloads", workload("ns", "good", 1));
        Map<String, Object> bad = new LinkedHashMap<>(workload("ns", "bad", 1));
        bad.put("spec", Map.of("queueName", "lq", "podSets", "oops"));
        server.put(KUEUE + "/workloads", bad);
        server.put(KUEUE + "/clusterqueues", clusterQueue("cq", "8x"));
        start(List.of(), true);
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
        start(List.of(), true);
        assertThat(kueueApiVersion(backend)).isEqualTo("v1beta1");
        Workload w = viewed("ns", "w").orElseThrow();
        assertThat(w.priorityClassName()).isEqualTo("high");
        assertThat(backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY, 9, 3,
                null))).items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        Eventually.untilPasses(WAIT, () -> assertThat(viewed("ns", "w").orElseThrow().priority()).isEqualTo(9));
    }

    @Test
    void namespaceFilterAndPodsOff() throws Exception {
        server.put(KUEUE + "/workloads", workload("a", "w", 1));
        server.put(KUEUE + "/workloads", workload("b", "w", 1));
        server.put("/api/v1/pods", Map.of("metadata", Map.of("name", "p", "namespace", "a")));
        start(List.of("a"), false);
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).extracting(w -> w.id().namespace()).containsExactly("a");
        assertThat(s.pods()).isEmpty();
        assertThat(server.requests()).noneMatch(q -> q.path().contains("/pods"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordEventCreatesACoreEventOnTheWorkload() throws Exception {
        server.put(KUEUE + "/workloads", workload("ns", "w", 1));
        start(List.of(), true);
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
