package io.wdrf.backend.official;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WriteOutcome;
import io.wdrf.backend.common.BackendConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-java backend against fabric8's CRUD mock server: initial list projection and merge-patch writes. The
 * mock only serves WebSocket watches, which client-java does not use, so watch-driven behaviour is covered by the
 * fake-server tests instead.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OfficialMockServerTest {

    KubernetesMockServer server;
    KubernetesClient client;
    private OfficialBackend backend;

    private static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withPlural("workloads").withKind("Workload")
            .withNamespaced(true).build();

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void listsProjectsAndPatches() throws Exception {
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("kueue.x-k8s.io")
                .withVersion("v1beta1").withPlural("workloads").withKind("Workload").withScope("Namespaced").build());
        GenericKubernetesResource w = client.getKubernetesSerialization().unmarshal(
                "{\"apiVersion\":\"kueue.x-k8s.io/v1beta1\",\"kind\":\"Workload\",\"metadata\":{\"name\":\"w\","
                        + "\"namespace\":\"ns\",\"creationTimestamp\":\"2026-11-24T00:00:00Z\"},\"spec\":{\"priority\":3,"
                        + "\"podSets\":[{\"name\":\"main\",\"count\":1,\"template\":{\"spec\":{\"containers\":"
                        + "[{\"name\":\"c\"}]}}}]}}", GenericKubernetesResource.class);
        client.genericKubernetesResources(WORKLOADS).inNamespace("ns").resource(w).create();

        backend = OfficialBackend.builder().basePath(client.getMasterUrl().toString()).verifyingSsl(false)
                .config(BackendConfig.defaults().withKueueApiVersion("v1beta1").withWatchPods(false)).build().start();
        assertThat(backend.awaitSynced(Duration.ofSeconds(20))).isTrue();
        Workload seen = backend.snapshot().workloads().stream().filter(x -> x.id().name().equals("w")).findFirst()
                .orElseThrow();
        assertThat(seen.priority()).isEqualTo(3);

        var r = backend.apply(List.of(new PriorityUpdate(seen.id(), seen.uid(), PriorityTarget.SPEC_PRIORITY, 40, 3,
                "from client-java")));
        assertThat(r.items().get(0).outcome()).as(r.items().get(0).message()).isEqualTo(WriteOutcome.WRITTEN);
        GenericKubernetesResource after = client.genericKubernetesResources(WORKLOADS).inNamespace("ns").withName("w").get();
        assertThat(((Number) after.get("spec", "priority")).intValue()).isEqualTo(40);
        assertThat(after.getMetadata().getAnnotations()).containsEntry(PriorityUpdate.EXPLANATION_ANNOTATION,
                "from client-java");
    }
}
