package io.wdrf.backend.fabric8;

import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.ReconcileCompatibilityKit;

/** The engine's reconciler over the fabric8 backend against the fake API server (end-to-end kit). */
class Fabric8ReconcileKitTest extends ReconcileCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return Fabric8KitFixture.create();
    }
}
