package io.wdrf.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fabric8 (HTTP watches) and client-java against the fake server: CRUD, merge patch, informers, 410 relist. */
class RealClientSmokeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta2").withPlural("workloads").withKind("Workload")
            .withNamespaced(true).build();

    private FakeKubeApiServer server;

    @BeforeEach
    void start() {
        server = FakeKubeApiServer.builder().bookmarkInterval(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> workload(String name) {
        return Map.of("metadata", Map.of("name", name, "namespace", "team-a"),
                "spec", Map.of("queueName", "lq", "podSets", List.of(Map.of("name", "main", "count", 1))));
    }

    private KubernetesClient fabric8() {
        Config config = new ConfigBuilder().withMasterUrl(server.url()).withOnlyHttpWatches(true)
                .withRequestRetryBackoffLimit(0).withNamespace("default").build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Test
    void fabric8CrudPatchInformAndRelist() {
        server.put("/apis/kueue.x-k8s.io/v1beta2/workloads", workload("w1"));
        try (KubernetesClient client = fabric8()) {
            assertThat(client.getApiResources("kueue.x-k8s.io/v1beta2").getResources())
                    .anySatisfy(r -> assertThat(r.getName()).isEqualTo("workloads"));
            var ops = client.genericKubernetesResources(WORKLOADS);
            GenericKubernetesResource w2 = new GenericKubernetesResourceBuilder().withApiVersion("kueue.x-k8s.io/v1beta2")
                    .withKind("Workload").withNewMetadata().withName("w2").withNamespace("team-a").endMetadata().build();
            w2.setAdditionalProperty("spec", Map.of("queueName", "lq", "priority", 1));
            ops.inNamespace("team-a").resource(w2).create();
            assertThatThrownBy(() -> ops.inNamespace("team-a").resource(w2).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
            assertThat(ops.inAnyNamespace().list().getItems()).hasSize(2);
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
            assertThat(client.nodes().list().getItems()).hasSize(1);

            List<String> seen = new CopyOnWriteArrayList<>();
            SharedIndexInformer<GenericKubernetesResource> informer = ops.inAnyNamespace().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    seen.add("add " + obj.getMetadata().getName());
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    seen.add("update " + newObj.getMetadata().getName() + " " + newObj.get("spec", "priority"));
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                    seen.add("delete " + obj.getMetadata().getName());
                }
            }, 0);
            try {
                Eventually.await(WAIT, "fabric8 informer synced", () -> informer.hasSynced() && server.openWatches() == 1);
                GenericKubernetesResource cached = informer.getStore().getByKey("team-a/w1");
                server.clearRequests();
                ops.inNamespace("team-a").resource(cached).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"priority\":42}}");
                assertThat(server.requests()).extracting(RecordedRequest::method).containsExactly("PATCH");
                assertThat(server.requests().get(0).contentType()).startsWith("application/merge-patch+json");
                Eventually.await(WAIT, "update seen", () -> seen.contains("update w1 42"));
                assertThat(server.requests()).anySatisfy(r -> assertThat(r.isWatch()).isFalse());

                server.compact();
                server.put("/apis/kueue.x-k8s.io/v1beta2/workloads", workload("w3"));
                server.delete("/apis/kueue.x-k8s.io/v1beta2/namespaces/team-a/workloads/w2");
                Eventually.await(WAIT, "fabric8 relisted after 410", () -> informer.getStore().list().size() == 2
                        && informer.getStore().getByKey("team-a/w3") != null
                        && seen.contains("add w3") && seen.contains("delete w2"));
                Eventually.await(WAIT, "fabric8 re-watched with bookmarks", () -> server.requests().stream()
                        .anyMatch(r -> r.isWatch() && r.query().contains("allowWatchBookmarks=true")));
            } finally {
                informer.close();
            }
        }
    }

    /** Random creates, patches, deletes and re-creates; returns the expected name → priority at the end. */
    private Map<String, Integer> churn(long seed) {
        java.util.Random random = new java.util.Random(seed);
        Map<String, Integer> expected = new java.util.TreeMap<>();
        String base = "/apis/kueue.x-k8s.io/v1beta2/namespaces/team-a/workloads";
        for (int i = 0; i < 300; i++) {
            String name = "c" + random.nextInt(30);
            if (random.nextInt(4) == 0 && expected.containsKey(name)) {
                server.delete(base + "/" + name);
                expected.remove(name);
            } else {
                int priority = random.nextInt(1000);
                server.put(base, Map.of("metadata", Map.of("name", name), "spec", Map.of("priority", priority)));
                expected.put(name, priority);
            }
        }
        return expected;
    }

    @Test
    void bothInformersConvergeUnderChurn() throws Exception {
        ApiClient api = new ClientBuilder().setBasePath(server.url()).setReadTimeout(Duration.ZERO).build();
        DynamicKubernetesApi workloads = new DynamicKubernetesApi("kueue.x-k8s.io", "v1beta2", "workloads", api);
        SharedInformerFactory factory = new SharedInformerFactory(api);
        var official = factory.sharedIndexInformerFor(workloads, DynamicKubernetesObject.class, 0);
        factory.startAllRegisteredInformers();
        try (KubernetesClient client = fabric8()) {
            SharedIndexInformer<GenericKubernetesResource> f8 = client.genericKubernetesResources(WORKLOADS)
                    .inAnyNamespace().inform();
            try {
                Eventually.await(WAIT, "both synced", () -> official.hasSynced() && f8.hasSynced()
                        && server.openWatches() == 2);
                Map<String, Integer> expected = churn(7);
                Eventually.await(WAIT, "client-java informer converged", () -> {
                    Map<String, Integer> seen = new java.util.TreeMap<>();
                    official.getIndexer().list().forEach(o -> seen.put(o.getMetadata().getName(),
                            o.getRaw().getAsJsonObject("spec").get("priority").getAsInt()));
                    return seen.equals(expected);
                });
                Eventually.await(WAIT, "fabric8 informer converged", () -> {
                    Map<String, Integer> seen = new java.util.TreeMap<>();
                    f8.getStore().list().forEach(o -> seen.put(o.getMetadata().getName(),
                            ((Number) o.get("spec", "priority")).intValue()));
                    return seen.equals(expected);
                });
            } finally {
                f8.close();
                factory.stopAllRegisteredInformers();
            }
        }
    }

    @Test
    void clientJavaCrudPatchWatchAndRelist() throws Exception {
        server.put("/apis/kueue.x-k8s.io/v1beta2/workloads", workload("w1"));
        server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "n1")));
        ApiClient api = new ClientBuilder().setBasePath(server.url()).setVerifyingSsl(false)
                .setReadTimeout(Duration.ZERO).build();
        assertThat(new CoreV1Api(api).listNode().execute().getItems()).hasSize(1);
        DynamicKubernetesApi workloads = new DynamicKubernetesApi("kueue.x-k8s.io", "v1beta2", "workloads", api);
        assertThat(workloads.list("team-a").getObject().getItems()).hasSize(1);
        KubernetesApiResponse<DynamicKubernetesObject> patched = workloads.patch("team-a", "w1",
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch("{\"spec\":{\"priority\":7}}"));
        assertThat(patched.isSuccess()).isTrue();
        assertThat(patched.getObject().getRaw().getAsJsonObject("spec").get("priority").getAsInt()).isEqualTo(7);
        KubernetesApiResponse<DynamicKubernetesObject> missing = workloads.get("team-a", "nope");
        assertThat(missing.getHttpStatusCode()).isEqualTo(404);
        assertThat(missing.getStatus().getReason()).isEqualTo("NotFound");

        SharedInformerFactory factory = new SharedInformerFactory(api);
        var informer = factory.sharedIndexInformerFor(workloads, DynamicKubernetesObject.class, 0);
        List<String> seen = new CopyOnWriteArrayList<>();
        informer.addEventHandler(new io.kubernetes.client.informer.ResourceEventHandler<>() {
            @Override
            public void onAdd(DynamicKubernetesObject obj) {
                seen.add("add " + obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(DynamicKubernetesObject oldObj, DynamicKubernetesObject newObj) {
                seen.add("update " + newObj.getMetadata().getName());
            }

            @Override
            public void onDelete(DynamicKubernetesObject obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        factory.startAllRegisteredInformers();
        try {
            Eventually.await(WAIT, "client-java informer synced", () -> informer.hasSynced() && server.openWatches() == 1);
            server.put("/apis/kueue.x-k8s.io/v1beta1/workloads", workload("w2"));
            Eventually.await(WAIT, "watch add", () -> seen.contains("add w2"));
            server.compact();
            server.put("/apis/kueue.x-k8s.io/v1beta2/workloads", workload("w3"));
            server.delete("/apis/kueue.x-k8s.io/v1beta2/namespaces/team-a/workloads/w1");
            Eventually.await(WAIT, "client-java relisted after 410", () -> informer.getIndexer().list().size() == 2
                    && informer.getIndexer().getByKey("team-a/w3") != null
                    && seen.contains("add w3") && seen.contains("delete w1"));
        } finally {
            factory.stopAllRegisteredInformers();
        }
    }
}
