package io.wdrf.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/**
 * What the view and writer kits share: a fresh {@link KitFixture} per test, closed after it, and the time to wait
 * for a backend to reflect a change.
 */
public abstract class FixtureKit {

    private KitFixture fixture;

    /** A fresh fixture for one test. */
    protected abstract KitFixture createFixture();

    /** How long to wait for the view to reflect a change (default 15 s). */
    protected Duration timeout() {
        return Duration.ofSeconds(15);
    }

    @BeforeEach
    void createKitFixture() {
        fixture = createFixture();
    }

    @AfterEach
    void closeKitFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The current test's fixture. */
    protected KitFixture fixture() {
        return fixture;
    }
}
