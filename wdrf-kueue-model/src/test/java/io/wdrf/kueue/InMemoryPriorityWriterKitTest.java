package io.wdrf.kueue;

import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.PriorityWriterCompatibilityKit;

/** The in-memory backend passes the PriorityWriter compatibility kit (fake-server-only checks are skipped). */
class InMemoryPriorityWriterKitTest extends PriorityWriterCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return new InMemoryKitFixture();
    }
}
