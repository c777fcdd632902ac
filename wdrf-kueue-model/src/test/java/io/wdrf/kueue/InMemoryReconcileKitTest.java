package io.wdrf.kueue;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityWriter;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.testkit.KitController;
import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.ReconcileCompatibilityKit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The engine's reconciler over the in-memory backend passes the end-to-end kit (fake-server-only checks skipped). */
class InMemoryReconcileKitTest extends ReconcileCompatibilityKit {

    @Override
    protected KitFixture createFixture() {
        return new InMemoryKitFixture();
    }

    @Override
    protected KitController startController(ClusterView view, PriorityWriter writer) {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota").build())
                .clock(fixed).build();
        Reconciler reconciler = Reconciler.builder(view, writer, engine).build();
        return new KitController() {
            @Override
            public void runOnce() {
                reconciler.runOnce();
            }

            @Override
            public void close() {
                reconciler.close();
            }
        };
    }
}
