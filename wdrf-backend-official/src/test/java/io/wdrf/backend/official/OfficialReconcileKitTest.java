package io.wdrf.backend.official;

import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.ReconcileCompatibilityKit;

/** The engine's reconciler over the client-java backend against the fake API server (end-to-end kit). */
class OfficialReconcileKitTest extends ReconcileCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return OfficialKitFixture.create();
    }
}
