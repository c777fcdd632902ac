package io.wdrf.backend.official;

import com.google.gson.JsonObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.common.ResourceKind;
import io.wdrf.testkit.BackendFakeServerKit;
import io.wdrf.testkit.FakeKubeApiServer;
import io.wdrf.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** client-java backend against the testkit fake API server (HTTP chunked watches, 410, fault injection). */
class OfficialFakeServerTest extends BackendFakeServerKit<OfficialBackend> {

    @Override
    protected OfficialBackend startBackend(String url, List<String> namespaces, boolean watchPods,
                                           Consumer<Duration> sleeper) {
        BackendConfig cfg = BackendConfig.defaults().withNamespaces(namespaces).withWatchPods(watchPods);
        return OfficialBackend.builder().basePath(url).verifyingSsl(false)
                .config(cfg.withRetries(6, Duration.ofMillis(5), Duration.ofSeconds(2)).withRateLimit(1000, 100))
                .sleeper(sleeper::accept).build().start();
    }

    @Override
    protected boolean awaitSynced(OfficialBackend backend, Duration timeout) throws InterruptedException {
        return backend.awaitSynced(timeout);
    }

    @Override
    protected String kueueApiVersion(OfficialBackend backend) {
        return backend.kueueApiVersion();
    }

    @Override
    protected void checkInitialProjection(OfficialBackend backend) {
        // the informer caches metadata-only stubs, never the raw objects
        assertThat(backend.informerCache(ResourceKind.WORKLOAD)).singleElement().satisfies(o -> {
            JsonObject raw = ((DynamicKubernetesObject) o).getRaw();
            assertThat(raw.has("spec")).isFalse();
            assertThat(raw.getAsJsonObject("metadata").keySet())
                    .containsExactlyInAnyOrder("name", "namespace", "uid", "resourceVersion");
        });
    }

    @Test
    void pagedInitialListWhenConfigured() throws Exception {
        FakeKubeApiServer server = server();
        for (int i = 0; i < 5; i++) {
            server.put(KUEUE + "/workloads", workload("ns", "w" + i, i));
        }
        try (OfficialBackend backend = OfficialBackend.builder().basePath(server.url()).verifyingSsl(false)
                .listPageSize(2).config(BackendConfig.defaults()).build().start()) {
            assertThat(backend.awaitSynced(Duration.ofSeconds(30))).isTrue();
            assertThat(backend.snapshot().workloads()).hasSize(5);
            List<RecordedRequest> lists = server.requests().stream()
                    .filter(q -> !q.isWatch() && q.path().endsWith("/workloads")).toList();
            // 5 workloads in pages of 2: three requests, the last two continuing, none from the watch cache
            assertThat(lists).hasSizeGreaterThanOrEqualTo(3);
            assertThat(lists).allMatch(q -> q.query().contains("limit=2"));
            assertThat(lists).filteredOn(q -> q.query().contains("continue=")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(lists).noneMatch(q -> q.query().contains("resourceVersion=0"));
            // the watch resumes from the list's resourceVersion: a later change arrives
            server.put(KUEUE + "/workloads", workload("ns", "w9", 9));
            io.wdrf.testkit.Eventually.untilPasses(Duration.ofSeconds(20),
                    () -> assertThat(backend.snapshot().workloads()).hasSize(6));
        }
    }
}
