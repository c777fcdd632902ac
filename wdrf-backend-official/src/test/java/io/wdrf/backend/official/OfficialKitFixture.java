package io.wdrf.backend.official;

import io.wdrf.backend.common.BackendConfig;
import io.wdrf.testkit.FakeServerFixture;

import java.time.Duration;

/** The testkit fixture for the client-java backend: one backend (built on first use) serves as both view and writer. */
final class OfficialKitFixture {
    private OfficialKitFixture() {
    }

    static FakeServerFixture create() {
        return FakeServerFixture.of(url -> OfficialBackend.builder().basePath(url).verifyingSsl(false)
                .config(BackendConfig.defaults().withRetries(6, Duration.ofMillis(10), Duration.ofSeconds(2))
                        .withRateLimit(500, 100))
                .build().start());
    }
}
