package io.wdrf.backend.official;

import io.wdrf.testkit.ClusterViewCompatibilityKit;
import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.PriorityWriterCompatibilityKit;
import org.junit.jupiter.api.Nested;

/** The client-java backend against the testkit compatibility kits (FakeKubeApiServer). */
class OfficialKitTests {

    @Nested
    class View extends ClusterViewCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return OfficialKitFixture.create();
        }
    }

    @Nested
    class Writer extends PriorityWriterCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return OfficialKitFixture.create();
        }
    }
}
