package io.wdrf.backend.official;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityWriter;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.FakeServerFixture;

import java.time.Duration;

/** The testkit fixture for the client-java backend: one backend serves as both view and writer. */
final class OfficialKitFixture extends FakeServerFixture {

    private OfficialBackend backend;

    private synchronized OfficialBackend backend(String url) {
        if (backend == null) {
            backend = OfficialBackend.builder().basePath(url).verifyingSsl(false)
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
