package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.common.ResourceKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wdrf.testkit.Eventually.untilPasses;
import static org.assertj.core.api.Assertions.assertThat;

/** fabric8 backend against fabric8's CRUD mock server (WebSocket watches, merge patch). */
@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8MockServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesMockServer server;
    KubernetesClient client;

    private Fabric8Backend backend;

    @BeforeEach
    void setUp() {
        for (ResourceKind k : ResourceKind.values()) {
            if (k.isKueue()) {
                server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                        .withGroup(k.group()).withVersion("v1beta1").withPlural(k.plural()).withKind(k.kind())
                        .withScope(k.namespaced() ? "Namespaced" : "Cluster").build());
            }
        }
    }

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
    }

    private Fabric8Backend startBackend(BackendConfig cfg) throws InterruptedException {
        backend = Fabric8Backend.builder().client(client).requestRetryBackoffLimit(0)
                .config(cfg.withRetries(5, Duration.ofMillis(1), Duration.ofMillis(20)).withRateLimit(1000, 100))
                .build().start();
        assertThat(backend.awaitSynced(WAIT)).as("informers synced").isTrue();
        return backend;
    }

    private ResourceDefinitionContext ctx(ResourceKind k) {
        return new ResourceDefinitionContext.Builder().withGroup(k.group()).withVersion(k.version("v1beta1"))
                .withPlural(k.plural()).withKind(k.kind()).withNamespaced(k.namespaced()).build();
    }

    private GenericKubernetesResource create(ResourceKind k, String json) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class);
        var ops = client.genericKubernetesResources(ctx(k));
        return k.namespaced() ? ops.inNamespace(r.getMetadata().getNamespace()).resource(r).create()
                : ops.resource(r).create();
    }

    static String workloadJson(String ns, String name, String priority) {
        return "{\"apiVersion\":\"kueue.x-k8s.io/v1beta1\",\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + ns + "\",\"creationTimestamp\":\"2026-11-24T00:00:00Z\"},"
                + "\"spec\":{\"queueName\":\"lq\",\"priority\":" + priority + ",\"podSets\":[{\"name\":\"main\","
                + "\"count\":2,\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
                + "{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}}]}}";
    }

    private Optional<Workload> viewed(String ns, String name) {
        return backend.snapshot().workloads().stream().filter(w -> w.id().equals(new WorkloadId(ns, name))).findFirst();
    }

    private Object serverPriority(String ns, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(ctx(ResourceKind.WORKLOAD)).inNamespace(ns)
                .withName(name).get();
        return r.get("spec", "priority");
    }

    @Test
    void projectsAllKindsAndFollowsChanges() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("team-a", "w1", "1"));
        create(ResourceKind.LOCAL_QUEUE, "{\"apiVersion\":\"kueue.x-k8s.io/v1beta1\",\"kind\":\"LocalQueue\","
                + "\"metadata\":{\"name\":\"lq\",\"namespace\":\"team-a\"},\"spec\":{\"clusterQueue\":\"cq\"}}");
        create(ResourceKind.CLUSTER_QUEUE, "{\"apiVersion\":\"kueue.x-k8s.io/v1beta1\",\"kind\":\"ClusterQueue\","
                + "\"metadata\":{\"name\":\"cq\"},\"spec\":{\"cohort\":\"c\",\"resourceGroups\":[{\"coveredResources\":"
                + "[\"cpu\"],\"flavors\":[{\"name\":\"default\",\"resources\":[{\"name\":\"cpu\",\"nominalQuota\":8}]}]}]}}");
        create(ResourceKind.RESOURCE_FLAVOR, "{\"apiVersion\":\"kueue.x-k8s.io/v1beta1\",\"kind\":\"ResourceFlavor\","
                + "\"metadata\":{\"name\":\"default\"},\"spec\":{}}");
        create(ResourceKind.NODE, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"},"
                + "\"status\":{\"allocatable\":{\"cpu\":\"16\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        create(ResourceKind.NAMESPACE, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\","
                + "\"annotations\":{\"wdrf.x-k8s.io/weight\":\"3\"}}}");
        create(ResourceKind.POD, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":"
                + "\"team-a\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]},"
                + "\"status\":{\"phase\":\"Running\"}}");

        startBackend(BackendConfig.defaults());
        assertThat(backend.kueueApiVersion()).isEqualTo("v1beta1");
        AtomicInteger changes = new AtomicInteger();
        backend.addChangeListener(changes::incrementAndGet);

        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).singleElement().satisfies(w -> {
            assertThat(w.priority()).isEqualTo(1);
            assertThat(w.podSets().get(0).count()).isEqualTo(2);
            assertThat(w.uid()).isNotEmpty();
        });
        assertThat(s.localQueues()).singleElement().satisfies(q -> assertThat(q.clusterQueue()).isEqualTo("cq"));
        assertThat(s.clusterQueues()).singleElement().satisfies(q -> assertThat(q.cohort()).isEqualTo("c"));
        assertThat(s.flavors()).hasSize(1);
        assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.ready()).isTrue());
        assertThat(s.namespaces()).singleElement().satisfies(n -> assertThat(n.annotations()).containsKey("wdrf.x-k8s.io/weight"));
        assertThat(s.pods()).singleElement().satisfies(p -> assertThat(p.nodeName()).isEqualTo("n1"));
        assertThat(s.invalid()).isEmpty();

        // a workload created while running appears, and is patched
        create(ResourceKind.WORKLOAD, workloadJson("team-a", "w2", "0"));
        untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2")).isPresent());
        Workload w2 = viewed("team-a", "w2").orElseThrow();
        WriteResult r = backend.apply(List.of(new PriorityUpdate(w2.id(), w2.uid(), PriorityTarget.SPEC_PRIORITY,
                500, 0, "why \"quoted\"")));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(r.items().get(0).attempts()).isEqualTo(1);
        assertThat(((Number) serverPriority("team-a", "w2")).intValue()).isEqualTo(500);
        untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(500));
        assertThat(viewed("team-a", "w2").orElseThrow().annotations())
                .containsEntry(PriorityUpdate.EXPLANATION_ANNOTATION, "why \"quoted\"");

        // someone else overwrites spec.priority: the view shows it
        client.genericKubernetesResources(ctx(ResourceKind.WORKLOAD)).inNamespace("team-a").withName("w2")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":{\"priority\":7}}");
        untilPasses(WAIT, () -> assertThat(viewed("team-a", "w2").orElseThrow().priority()).isEqualTo(7));

        // deletion removes it
        client.genericKubernetesResources(ctx(ResourceKind.WORKLOAD)).inNamespace("team-a").withName("w1").delete();
        untilPasses(WAIT, () -> assertThat(viewed("team-a", "w1")).isEmpty());
        assertThat(changes.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void malformedWorkloadIsReportedWhileOthersAreServed() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("ns", "good", "3"));
        create(ResourceKind.WORKLOAD, workloadJson("ns", "bad", "\"high\""));
        startBackend(BackendConfig.defaults());
        ClusterSnapshot s = backend.snapshot();
        assertThat(s.workloads()).extracting(w -> w.id().name()).containsExactly("good");
        assertThat(s.invalid()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("Workload");
            assertThat(i.name()).isEqualTo("bad");
            assertThat(i.reason()).isEqualTo("spec.priority: is not an integer (got 'high')");
        });
        // fixing the object turns it valid
        client.genericKubernetesResources(ctx(ResourceKind.WORKLOAD)).inNamespace("ns").withName("bad")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":{\"priority\":4}}");
        untilPasses(WAIT, () -> assertThat(backend.snapshot().invalid()).isEmpty());
        assertThat(viewed("ns", "bad").orElseThrow().priority()).isEqualTo(4);
    }

    @Test
    void boostTargetWritesTheAnnotation() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("ns", "w", "10"));
        startBackend(BackendConfig.defaults().withTarget(PriorityTarget.PRIORITY_BOOST));
        Workload w = viewed("ns", "w").orElseThrow();
        WriteResult r = backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.PRIORITY_BOOST,
                -4, null, null)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        untilPasses(WAIT, () -> assertThat(viewed("ns", "w").orElseThrow().effectivePriority()).isEqualTo(6));
        assertThat(((Number) serverPriority("ns", "w")).intValue()).isEqualTo(10);
    }

    @Test
    void goneAndUidMismatch() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("ns", "w", "10"));
        startBackend(BackendConfig.defaults());
        WriteResult r = backend.apply(List.of(
                new PriorityUpdate(new WorkloadId("ns", "w"), "other-uid", PriorityTarget.SPEC_PRIORITY, 1, null, null),
                new PriorityUpdate(new WorkloadId("ns", "nope"), "", PriorityTarget.SPEC_PRIORITY, 1, null, null)));
        assertThat(r.items()).extracting(WriteResult.Item::outcome).containsExactly(WriteOutcome.GONE, WriteOutcome.GONE);
        assertThat(((Number) serverPriority("ns", "w")).intValue()).isEqualTo(10);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilWritten() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("ns", "w", "10"));
        startBackend(BackendConfig.defaults());
        String path = "/apis/kueue.x-k8s.io/v1beta1/namespaces/ns/workloads/w?fieldManager=wdrf";
        server.expect().patch().withPath(path).andReturn(429, new StatusBuilder().withCode(429)
                .withNewDetails().withRetryAfterSeconds(0).endDetails().withMessage("slow down").build()).once();
        server.expect().patch().withPath(path).andReturn(500, new StatusBuilder().withCode(500)
                .withMessage("etcd hiccup").build()).times(2);
        Workload w = viewed("ns", "w").orElseThrow();
        WriteResult r = backend.apply(List.of(new PriorityUpdate(w.id(), w.uid(), PriorityTarget.SPEC_PRIORITY,
                77, 10, null)));
        int patches = 0;
        int gets = 0;
        for (int i = server.getRequestCount(); i > 0; i--) {
            var req = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
            if (req == null) {
                break;
            }
            if ("PATCH".equals(req.getMethod())) {
                patches++;
            } else if ("GET".equals(req.getMethod()) && req.getPath().startsWith("/apis/kueue.x-k8s.io/v1beta1/namespaces/ns/workloads/w")) {
                gets++;
            }
        }
        assertThat(patches).as("one PATCH per attempt").isEqualTo(4);
        assertThat(gets).as("no GET before PATCH").isZero();
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(r.items().get(0).attempts()).isEqualTo(4);
        assertThat(((Number) serverPriority("ns", "w")).intValue()).isEqualTo(77);
    }

    @Test
    void recordsEvents() throws Exception {
        create(ResourceKind.WORKLOAD, workloadJson("ns", "w", "10"));
        startBackend(BackendConfig.defaults());
        backend.recordEvent(new WorkloadId("ns", "w"), "PriorityChanged", "10 -> 77");
        var events = client.v1().events().inNamespace("ns").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("PriorityChanged");
            assertThat(e.getMessage()).isEqualTo("10 -> 77");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Workload");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("w");
            assertThat(e.getInvolvedObject().getUid()).isNotEmpty();
        });
    }

    @Test
    void discoveryPrefersV1beta2() throws Exception {
        server.expect().get().withPath("/apis/kueue.x-k8s.io").andReturn(200, Map.of("kind", "APIGroup",
                "apiVersion", "v1", "name", "kueue.x-k8s.io", "versions", List.of(
                        Map.of("groupVersion", "kueue.x-k8s.io/v1beta2", "version", "v1beta2"),
                        Map.of("groupVersion", "kueue.x-k8s.io/v1beta1", "version", "v1beta1")))).always();
        backend = Fabric8Backend.builder().client(client).config(BackendConfig.defaults()).build().start();
        assertThat(backend.kueueApiVersion()).isEqualTo("v1beta2");
        backend.close();
        backend = Fabric8Backend.builder().client(client).config(BackendConfig.defaults().withKueueApiVersion("v1beta1"))
                .build().start();
        assertThat(backend.kueueApiVersion()).isEqualTo("v1beta1");
    }
}
