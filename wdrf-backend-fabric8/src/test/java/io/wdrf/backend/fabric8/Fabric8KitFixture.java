package io.wdrf.backend.fabric8;

import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.FakeServerFixture;

import java.time.Duration;

/** The testkit fixture for the fabric8 backend: one backend (built on first use) serves as both view and writer. */
final class Fabric8KitFixture {
    private Fabric8KitFixture() {
    }

    static FakeServerFixture create() {
        return FakeServerFixture.of(url -> Fabric8Backend.builder().masterUrl(url).onlyHttpWatches(true)
                .requestRetryBackoffLimit(0)
                .config(BackendConfig.defaults().withRetries(6, Duration.ofMillis(10), Duration.ofSeconds(2))
                        .withRateLimit(500, 100))
                .build().start());
    }
}
