package io.wdrf.backend.fabric8;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityWriter;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.FakeServerFixture;

import java.time.Duration;

/** The testkit fixture for the fabric8 backend: one backend serves as both view and writer. */
final class Fabric8KitFixture extends FakeServerFixture {

    private Fabric8Backend backend;

    private synchronized Fabric8Backend backend(String url) {
        if (backend == null) {
            backend = Fabric8Backend.builder().masterUrl(url).onlyHttpWatches(true).requestRetryBackoffLimit(0)
                    .config(BackendConfig.defaults().withRetries(6, Duration.ofMillis(10), Duration.ofSeconds(2))
                            .withRateLimit(500, 100))
                    .build().start();
        }
        return backend;
    }

    @Override
    protected ClusterView createView(String url) {
        return backend(url);
    }

    @Override
    protected PriorityWriter createWriter(String url) {
        return backend(url);
    }
}
