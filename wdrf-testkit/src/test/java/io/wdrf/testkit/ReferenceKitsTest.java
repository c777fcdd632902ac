package io.wdrf.testkit;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityWriter;
import org.junit.jupiter.api.Nested;

/** The kits against the reference backend: every kit test passes for a correct implementation. */
class ReferenceKitsTest {

    static FakeServerFixture referenceFixture(ReferenceBackend.Flaw flaw) {
        return new FakeServerFixture() {
            @Override
            protected ClusterView createView(String url) {
                return new ReferenceBackend(url, flaw).view();
            }

            @Override
            protected PriorityWriter createWriter(String url) {
                return new ReferenceBackend(url, flaw).writer();
            }
        };
    }

    @Nested
    class View extends ClusterViewCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return referenceFixture(ReferenceBackend.Flaw.NONE);
        }
    }

    @Nested
    class Writer extends PriorityWriterCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return referenceFixture(ReferenceBackend.Flaw.NONE);
        }
    }

    @Nested
    class Reconcile extends ReconcileCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return referenceFixture(ReferenceBackend.Flaw.NONE);
        }

        @Override
        protected KitController startController(ClusterView view, PriorityWriter writer) {
            return new ReferenceController(view, writer, ReferenceController.Flaw.NONE);
        }
    }

    @Nested
    class ReconcileBoost extends ReconcileCompatibilityKit {
        @Override
        protected KitFixture createFixture() {
            return referenceFixture(ReferenceBackend.Flaw.NONE);
        }

        @Override
        protected PriorityTarget target() {
            return PriorityTarget.PRIORITY_BOOST;
        }

        @Override
        protected KitController startController(ClusterView view, PriorityWriter writer) {
            return new ReferenceController(view, writer, ReferenceController.Flaw.NONE, PriorityTarget.PRIORITY_BOOST);
        }
    }
}
