package io.wdrf.kueue;

import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.ReconcileCompatibilityKit;

/** The engine's reconciler over the in-memory backend passes the end-to-end kit (fake-server-only checks skipped). */
class InMemoryReconcileKitTest extends ReconcileCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return new InMemoryKitFixture();
    }
}
