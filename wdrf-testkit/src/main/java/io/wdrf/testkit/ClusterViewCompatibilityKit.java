package io.wdrf.testkit;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility kit for {@link ClusterView} implementations. Subclass it in the backend's tests and implement
 * {@link #createFixture()} (usually with a {@link FakeServerFixture}); every test gets a fresh fixture.
 *
 * <p>Checks: every kind of object is projected with the fields that were written; creates, updates and deletes
 * after start are reflected; change listeners fire and can be removed; and, with a {@link FakeKubeApiServer}, the
 * view converges after watch compaction (410) and dropped watches, autodetects a v1beta1-only Kueue, and reports
 * malformed objects in {@link ClusterSnapshot#invalid()} with a specific reason while serving everything else.
 */
public abstract class ClusterViewCompatibilityKit extends FixtureKit {

    /** Raw API path of v1beta2 Workloads in namespace team-a (the fake server serves both versions by default). */
    private static final String WORKLOADS_A = "/apis/kueue.x-k8s.io/v1beta2/namespaces/team-a/workloads";


    private ClusterSnapshot awaitSnapshot(String what, Predicate<ClusterSnapshot> condition) {
        return Eventually.await(timeout(), what, () -> fixture().view().snapshot(), condition);
    }

    private Workload awaitWorkload(WorkloadId id, Predicate<Workload> condition) {
        return awaitSnapshot("workload " + id, s -> KitAssertions.find(s, id).filter(condition).isPresent())
                .workloads().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
    }

    private FakeKubeApiServer requireFakeServer() {
        Optional<FakeKubeApiServer> server = fixture().fakeServer();
        Assumptions.assumeTrue(server.isPresent(), "needs a FakeKubeApiServer fixture()");
        return server.get();
    }

    @Test
    void initialListProjectsEveryKindWithTheWrittenFields() {
        KitScenario.upsertAll(fixture());
        ClusterView view = fixture().view();
        Eventually.await(timeout(), "view synced", view::hasSynced);
        ClusterSnapshot s = awaitSnapshot("whole scenario", x -> x.workloads().size() == 4 && x.nodes().size() == 2
                && x.pods().size() == 1 && x.clusterQueues().size() == 1 && x.localQueues().size() == 2
                && x.flavors().size() == 2 && x.namespaces().size() >= 2);
        for (Workload expected : KitScenario.workloads()) {
            KitAssertions.assertSameWorkload(expected, KitAssertions.find(s, expected.id()).orElseThrow());
        }
        assertThat(s.nodes()).containsExactlyInAnyOrder(KitScenario.NODE_1, KitScenario.NODE_2);
        PodInfo pod = s.pods().get(0);
        assertThat(pod.uid()).isNotEmpty();
        assertThat(new PodInfo(pod.namespace(), pod.name(), "", pod.nodeName(), pod.phase(), pod.labels(),
                pod.annotations(), pod.initContainers())).isEqualTo(KitScenario.POD);
        KitAssertions.assertSameClusterQueue(KitScenario.CLUSTER_QUEUE, s.clusterQueues().get(0));
        assertThat(s.localQueues()).containsExactlyInAnyOrder(KitScenario.LQ_A, KitScenario.LQ_B);
        assertThat(s.flavors()).containsExactlyInAnyOrder(KitScenario.DEFAULT_FLAVOR, KitScenario.GPU_FLAVOR);
        assertThat(s.namespaces()).contains(KitScenario.TEAM_A, KitScenario.TEAM_B);
        assertThat(s.invalid()).as("invalid objects in a valid cluster").isEmpty();
        assertThat(s.workloads().stream().map(Workload::id).distinct().count()).isEqualTo(4);
    }

    @Test
    void objectsCreatedAfterStartAppear() {
        Eventually.await(timeout(), "view synced", fixture().view()::hasSynced);
        assertThat(fixture().view().snapshot().workloads()).isEmpty();
        KitScenario.upsertAll(fixture());
        ClusterSnapshot s = awaitSnapshot("whole scenario", x -> x.workloads().size() == 4 && x.nodes().size() == 2
                && x.pods().size() == 1 && x.clusterQueues().size() == 1 && x.localQueues().size() == 2
                && x.flavors().size() == 2 && x.namespaces().size() >= 2);
        for (Workload expected : KitScenario.workloads()) {
            KitAssertions.assertSameWorkload(expected, KitAssertions.find(s, expected.id()).orElseThrow());
        }
        KitAssertions.assertSameClusterQueue(KitScenario.CLUSTER_QUEUE, s.clusterQueues().get(0));
        assertThat(s.nodes()).containsExactlyInAnyOrder(KitScenario.NODE_1, KitScenario.NODE_2);
    }

    @Test
    void updatesAreReflected() {
        KitScenario.upsertAll(fixture());
        Workload before = awaitWorkload(KitScenario.PENDING.id(), w -> true);
        Workload changed = KitScenario.PENDING.toBuilder().uid(before.uid()).priority(77)
                .labels(Map.of("kueue.x-k8s.io/queue-name", "lq-a", "extra", "yes"))
                .condition(Workload.QUOTA_RESERVED, true)
                .admission(KitScenario.ADMITTED.admission()).build();
        fixture().upsert(changed);
        Workload after = awaitWorkload(changed.id(), w -> Integer.valueOf(77).equals(w.priority())
                && w.phase() == io.wdrf.api.Phase.ADMITTED);
        KitAssertions.assertSameWorkload(changed, after);
        assertThat(after.isAdmissible()).isFalse();

        Node notReady = new Node("node-1", KitScenario.NODE_1.labels(), KitScenario.NODE_1.annotations(),
                Map.of("cpu", "16", "memory", "64Gi"), false, true);
        fixture().upsert(notReady);
        awaitSnapshot("node-1 updated", s -> s.nodes().contains(notReady));
        ClusterQueueInfo cq = new ClusterQueueInfo("cq-main", null, List.of(
                io.wdrf.api.ResourceQuota.of("default-flavor", "cpu", "20")), ClusterQueueInfo.STRICT_FIFO,
                ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, 1.0);
        fixture().upsert(cq);
        ClusterSnapshot s = awaitSnapshot("cq-main updated", x -> x.clusterQueues().size() == 1
                && ClusterQueueInfo.STRICT_FIFO.equals(x.clusterQueues().get(0).queueingStrategy()));
        KitAssertions.assertSameClusterQueue(cq, s.clusterQueues().get(0));
        fixture().setPriorityExternally(KitScenario.ADMITTED.id(), null);
        awaitWorkload(KitScenario.ADMITTED.id(), w -> w.priority() == null);
    }

    @Test
    void deletesAreReflected() {
        KitScenario.upsertAll(fixture());
        awaitSnapshot("4 workloads", s -> s.workloads().size() == 4);
        fixture().deleteWorkload(KitScenario.PENDING.id());
        fixture().deleteWorkload(KitScenario.FINISHED.id());
        ClusterSnapshot s = awaitSnapshot("2 workloads left", x -> x.workloads().size() == 2);
        assertThat(s.workloads()).extracting(Workload::id)
                .containsExactlyInAnyOrder(KitScenario.ADMITTED.id(), KitScenario.INACTIVE.id());
        fixture().upsert(KitScenario.PENDING);
        awaitSnapshot("re-created workload", x -> KitAssertions.find(x, KitScenario.PENDING.id()).isPresent());
    }

    @Test
    void changeListenersFireAndCanBeRemoved() throws Exception {
        Eventually.await(timeout(), "view synced", fixture().view()::hasSynced);
        AtomicInteger calls = new AtomicInteger();
        AutoCloseable handle = fixture().view().addChangeListener(calls::incrementAndGet);
        fixture().upsert(KitScenario.pending("team-a", "w1", "lq-a", "1"));
        Eventually.await(timeout(), "listener called for a new workload", () -> calls.get() > 0);
        int seen = calls.get();
        fixture().upsert(KitScenario.pending("team-a", "w1", "lq-a", "1").toBuilder().priority(3).build());
        Eventually.await(timeout(), "listener called for an update", () -> calls.get() > seen);
        handle.close();
        awaitWorkload(new WorkloadId("team-a", "w1"), w -> Integer.valueOf(3).equals(w.priority()));
        Thread.sleep(100); // let callbacks already in flight finish
        int afterRemoval = calls.get();
        fixture().upsert(KitScenario.pending("team-a", "w2", "lq-a", "1"));
        awaitSnapshot("w2 visible", s -> s.workloads().size() == 2);
        Thread.sleep(100);
        assertThat(calls.get()).as("listener calls after its handle was closed").isEqualTo(afterRemoval);
    }

    @Test
    void closeIsIdempotentAndSilencesListeners() throws Exception {
        fixture().upsert(KitScenario.pending("team-a", "w1", "lq-a", "1"));
        awaitSnapshot("w1", s -> s.workloads().size() == 1);
        AtomicInteger calls = new AtomicInteger();
        fixture().view().addChangeListener(calls::incrementAndGet);
        fixture().view().close();
        fixture().view().close();
        int atClose = calls.get();
        fixture().upsert(KitScenario.pending("team-a", "w2", "lq-a", "1"));
        fixture().upsert(KitScenario.pending("team-a", "w3", "lq-a", "1"));
        Thread.sleep(300); // long enough for a still-running watch to deliver the events
        assertThat(calls.get()).as("listener calls after close()").isEqualTo(atClose);
    }

    @Test
    void convergesUnderChurn() {
        Eventually.await(timeout(), "view synced", fixture().view()::hasSynced);
        java.util.Random random = new java.util.Random(20260301);
        Map<WorkloadId, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            WorkloadId id = new WorkloadId(random.nextBoolean() ? "team-a" : "team-b", "c" + random.nextInt(40));
            if (random.nextInt(5) == 0 && expected.containsKey(id)) {
                fixture().deleteWorkload(id);
                expected.remove(id);
            } else {
                int priority = random.nextInt(2001) - 1000;
                fixture().upsert(KitScenario.pending(id.namespace(), id.name(), "lq", "1").toBuilder()
                        .priority(priority).build());
                expected.put(id, priority);
            }
            if (i % 25 == 0) {
                assertThat(fixture().view().snapshot().workloads()).extracting(Workload::id)
                        .as("snapshot during churn").doesNotHaveDuplicates();
            }
        }
        List<String> differences = Eventually.await(timeout(), expected.size()
                + " workloads with their last priorities (value: differences)", () -> {
                    List<String> diff = new java.util.ArrayList<>();
                    Map<WorkloadId, Integer> seen = new TreeMap<>();
                    for (Workload w : fixture().view().snapshot().workloads()) {
                        if (seen.put(w.id(), w.priority()) != null) {
                            diff.add("duplicate " + w.id());
                        }
                    }
                    expected.forEach((id, p) -> {
                        if (!seen.containsKey(id)) {
                            diff.add("missing " + id);
                        } else if (!p.equals(seen.get(id))) {
                            diff.add(id + " priority " + seen.get(id) + " instead of " + p);
                        }
                    });
                    seen.keySet().stream().filter(id -> !expected.containsKey(id)).forEach(id -> diff.add("deleted " + id
                            + " still present"));
                    return diff;
                }, List::isEmpty);
        assertThat(differences).isEmpty();
    }

    @Test
    void convergesAfterWatchCompaction() {
        FakeKubeApiServer server = requireFakeServer();
        Set<WorkloadId> expected = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Workload w = KitScenario.pending("team-a", "w" + i, "lq-a", "1");
            fixture().upsert(w);
            expected.add(w.id());
        }
        awaitSnapshot("5 workloads", s -> s.workloads().size() == 5);
        Eventually.await(timeout(), "watch open", () -> server.openWatches() > 0);
        server.compact();
        for (int i = 5; i < 8; i++) {
            Workload w = KitScenario.pending("team-b", "w" + i, "lq-b", "2");
            fixture().upsert(w);
            expected.add(w.id());
        }
        fixture().setPriorityExternally(new WorkloadId("team-a", "w1"), 11);
        fixture().deleteWorkload(new WorkloadId("team-a", "w2"));
        expected.remove(new WorkloadId("team-a", "w2"));
        ClusterSnapshot s = awaitSnapshot("converged after 410", x ->
                x.workloads().stream().map(Workload::id).collect(Collectors.toSet()).equals(expected)
                        && KitAssertions.find(x, new WorkloadId("team-a", "w1"))
                        .map(w -> Integer.valueOf(11).equals(w.priority())).orElse(false));
        assertThat(s.workloads()).as("no duplicates").hasSize(expected.size());
        // and it keeps watching after the relist
        fixture().upsert(KitScenario.pending("team-a", "late", "lq-a", "1"));
        awaitSnapshot("late workload", x -> x.workloads().size() == expected.size() + 1);
    }

    @Test
    void convergesAfterDroppedWatches() {
        FakeKubeApiServer server = requireFakeServer();
        fixture().upsert(KitScenario.pending("team-a", "w0", "lq-a", "1"));
        awaitSnapshot("w0", s -> s.workloads().size() == 1);
        Eventually.await(timeout(), "watch open", () -> server.openWatches() > 0);
        server.faults().dropWatches();
        fixture().upsert(KitScenario.pending("team-a", "w1", "lq-a", "1"));
        fixture().setPriorityExternally(new WorkloadId("team-a", "w0"), 4);
        ClusterSnapshot s = awaitSnapshot("converged after dropped watches", x -> x.workloads().size() == 2
                && KitAssertions.find(x, new WorkloadId("team-a", "w0"))
                .map(w -> Integer.valueOf(4).equals(w.priority())).orElse(false));
        assertThat(s.workloads()).extracting(Workload::id).doesNotHaveDuplicates();
    }

    @Test
    void detectsKueueServingOnlyV1beta1() {
        FakeKubeApiServer server = requireFakeServer();
        server.serveKueueVersions("v1beta1");
        KitScenario.upsertAll(fixture());
        ClusterSnapshot s = awaitSnapshot("scenario over v1beta1", x -> x.workloads().size() == 4
                && x.clusterQueues().size() == 1 && x.localQueues().size() == 2 && x.flavors().size() == 2);
        for (Workload expected : KitScenario.workloads()) {
            KitAssertions.assertSameWorkload(expected, KitAssertions.find(s, expected.id()).orElseThrow());
        }
        KitAssertions.assertSameClusterQueue(KitScenario.CLUSTER_QUEUE, s.clusterQueues().get(0));
        assertThat(server.requests()).as("no request to the unserved v1beta2 API")
                .noneMatch(r -> r.path().startsWith("/apis/kueue.x-k8s.io/v1beta2/"));
    }

    @Test
    void malformedObjectsAreReportedAndDoNotBreakTheView() {
        FakeKubeApiServer server = requireFakeServer();
        Workload good = KitScenario.pending("team-a", "good", "lq-a", "1");
        fixture().upsert(good);
        server.put(WORKLOADS_A, raw("bad-quantity", Map.of("queueName", "lq-a", "podSets", List.of(podSet("1x")))));
        server.put(WORKLOADS_A, raw("no-podsets", Map.of("queueName", "lq-a")));
        server.put(WORKLOADS_A, raw("text-priority", Map.of("queueName", "lq-a", "priority", "high",
                "podSets", List.of(podSet("1")))));
        server.put(WORKLOADS_A, raw("podsets-not-list", Map.of("queueName", "lq-a", "podSets", Map.of("name", "main"))));
        server.put("/apis/kueue.x-k8s.io/v1beta2/clusterqueues", Map.of("metadata", Map.of("name", "bad-cq"),
                "spec", Map.of("resourceGroups", List.of(Map.of("coveredResources", List.of("cpu"),
                        "flavors", List.of(Map.of("name", "f", "resources",
                                List.of(Map.of("name", "cpu", "nominalQuota", "lots")))))))));
        server.put(WORKLOADS_A, raw("text-count", Map.of("queueName", "lq-a",
                "podSets", List.of(Map.of("name", "main", "count", "two", "template", Map.of())))));
        server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "bad-node"), "status", Map.of("allocatable", "lots")));
        fixture().upsert(KitScenario.CLUSTER_QUEUE);
        fixture().upsert(KitScenario.NODE_1);

        ClusterSnapshot s = awaitSnapshot("good objects served, bad ones reported", x ->
                KitAssertions.find(x, good.id()).isPresent() && x.nodes().contains(KitScenario.NODE_1)
                        && x.clusterQueues().stream().anyMatch(q -> q.name().equals("cq-main"))
                        && invalidNamed(x, "no-podsets").isPresent() && invalidNamed(x, "text-priority").isPresent()
                        && invalidNamed(x, "podsets-not-list").isPresent() && invalidNamed(x, "bad-cq").isPresent()
                        && invalidNamed(x, "text-count").isPresent() && invalidNamed(x, "bad-node").isPresent()
                        && (invalidNamed(x, "bad-quantity").isPresent()
                        || KitAssertions.find(x, new WorkloadId("team-a", "bad-quantity")).isPresent()));
        KitAssertions.assertSameWorkload(good, KitAssertions.find(s, good.id()).orElseThrow());
        assertReason(s, "no-podsets", "Workload", "podSets");
        assertReason(s, "text-priority", "Workload", "priority");
        assertReason(s, "podsets-not-list", "Workload", "podSets");
        assertReason(s, "bad-cq", "ClusterQueue", "nominalQuota");
        assertReason(s, "text-count", "Workload", "count");
        assertReason(s, "bad-node", "Node", "allocatable");
        assertThat(s.nodes()).extracting(io.wdrf.api.Node::name).doesNotContain("bad-node");
        Optional<Workload> badQuantity = KitAssertions.find(s, new WorkloadId("team-a", "bad-quantity"));
        if (badQuantity.isPresent()) {
            assertThat(badQuantity.get().podSets().get(0).containers().get(0).requests())
                    .as("a projected bad quantity keeps its raw string so the engine can reject it")
                    .containsEntry("cpu", "1x");
        } else {
            InvalidObject bad = invalidNamed(s, "bad-quantity").orElseThrow();
            assertThat(bad.reason()).as("reason for cpu '1x'").containsAnyOf("cpu", "1x");
        }
        for (String name : List.of("no-podsets", "text-priority", "podsets-not-list", "text-count")) {
            assertThat(KitAssertions.find(s, new WorkloadId("team-a", name))).as(name + " not projected").isEmpty();
        }
        // fixing an object moves it from invalid to the workloads
        server.put(WORKLOADS_A, raw("no-podsets", Map.of("queueName", "lq-a", "podSets", List.of(podSet("2")))));
        awaitSnapshot("fixed workload", x -> KitAssertions.find(x, new WorkloadId("team-a", "no-podsets")).isPresent()
                && invalidNamed(x, "no-podsets").isEmpty());
        // deleting a bad object clears its report
        server.delete(WORKLOADS_A + "/text-priority");
        awaitSnapshot("deleted bad workload", x -> invalidNamed(x, "text-priority").isEmpty());
    }

    private static Optional<InvalidObject> invalidNamed(ClusterSnapshot s, String name) {
        return s.invalid().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    private static void assertReason(ClusterSnapshot s, String name, String kind, String field) {
        InvalidObject i = invalidNamed(s, name).orElseThrow();
        assertThat(i.kind()).as("kind of invalid " + name).isEqualTo(kind);
        assertThat(i.reason()).as("reason for invalid " + name + " names the field").contains(field);
    }

    private static Map<String, Object> raw(String name, Map<String, Object> spec) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", "kueue.x-k8s.io/v1beta2");
        o.put("kind", "Workload");
        o.put("metadata", Map.of("name", name, "namespace", "team-a"));
        o.put("spec", new TreeMap<>(spec));
        return o;
    }

    private static Map<String, Object> podSet(String cpu) {
        return Map.of("name", "main", "count", 1, "template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "c", "image", KueueObjects.IMAGE, "resources", Map.of("requests", Map.of("cpu", cpu)))))));
    }
}
