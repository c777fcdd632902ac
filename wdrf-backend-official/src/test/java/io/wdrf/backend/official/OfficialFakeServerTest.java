package io.wdrf.backend.official;

import com.google.gson.JsonObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.common.ResourceKind;
import io.wdrf.testkit.BackendFakeServerKit;

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
}
