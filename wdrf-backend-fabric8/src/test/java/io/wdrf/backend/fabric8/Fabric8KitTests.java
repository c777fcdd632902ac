package io.wdrf.backend.fabric8;

import io.wdrf.testkit.ClusterViewCompatibilityKit;
import io.wdrf.testkit.KitFixture;
import io.wdrf.testkit.PriorityWriterCompatibilityKit;
import org.junit.jupiter.api.Nested;

/** The fabric8 backend against the testkit compatibility kits (FakeKubeApiServer, HTTP watches). */
class Fabric8KitTests {

    @Nested
    class View extends ClusterViewCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return Fabric8KitFixture.create();
        }
    }

    @Nested
    class Writer extends PriorityWriterCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return Fabric8KitFixture.create();
        }
    }
}
