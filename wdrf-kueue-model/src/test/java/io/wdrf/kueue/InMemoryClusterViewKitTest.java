package io.wdrf.kueue;

import io.wdrf.testkit.ClusterViewCompatibilityKit;
import io.wdrf.testkit.KitFixture;

/** The in-memory backend passes the ClusterView compatibility kit (fake-server-only checks are skipped). */
class InMemoryClusterViewKitTest extends ClusterViewCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return new InMemoryKitFixture();
    }
}
