package io.wdrf.backend.fabric8;

import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.BackendFakeServerKit;
import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** fabric8 backend against the testkit fake API server (HTTP chunked watches, 410, fault injection). */
class Fabric8FakeServerTest extends BackendFakeServerKit<Fabric8Backend> {

    @Override
    protected Fabric8Backend startBackend(String url, List<String> namespaces, boolean watchPods,
                                          Consumer<Duration> sleeper) {
        BackendConfig cfg = BackendConfig.defaults().withNamespaces(namespaces).withWatchPods(watchPods);
        return Fabric8Backend.builder().masterUrl(url).onlyHttpWatches(true).requestRetryBackoffLimit(0)
                .config(cfg.withRetries(6, Duration.ofMillis(5), Duration.ofSeconds(2)).withRateLimit(1000, 100))
                .sleeper(sleeper::accept).build().start();
    }

    @Override
    protected boolean awaitSynced(Fabric8Backend backend, Duration timeout) throws InterruptedException {
        return backend.awaitSynced(timeout);
    }

    @Override
    protected String kueueApiVersion(Fabric8Backend backend) {
        return backend.kueueApiVersion();
    }

    @Test
    void pagedInitialListWhenConfigured() throws Exception {
        FakeKubeApiServer server = server();
        for (int i = 0; i < 5; i++) {
            server.put(KUEUE + "/workloads", workload("ns", "w" + i, i));
        }
        try (Fabric8Backend backend = Fabric8Backend.builder().masterUrl(server.url()).onlyHttpWatches(true)
                .listPageSize(2).config(BackendConfig.defaults()).build().start()) {
            assertThat(backend.awaitSynced(WAIT)).isTrue();
            assertThat(backend.snapshot().workloads()).hasSize(5);
            assertThat(server.requests()).anyMatch(q -> !q.isWatch() && q.path().endsWith("/workloads")
                    && q.query().contains("limit=2"));
        }
    }
}
