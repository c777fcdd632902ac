package io.wdrf.testkit;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each kit test catches the flaw it is about: a deliberately broken backend or controller fails it. */
class KitsCanFailTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    private static ClusterViewCompatibilityKit viewKit(ReferenceBackend.Flaw flaw) {
        return new ClusterViewCompatibilityKit() {
            @Override
            protected KitFixture createFixture() {
                return ReferenceKitsTest.referenceFixture(flaw);
            }

            @Override
            protected Duration timeout() {
                return SHORT;
            }
        };
    }

    private static PriorityWriterCompatibilityKit writerKit(ReferenceBackend.Flaw flaw) {
        return new PriorityWriterCompatibilityKit() {
            @Override
            protected KitFixture createFixture() {
                return ReferenceKitsTest.referenceFixture(flaw);
            }

            @Override
            protected Duration timeout() {
                return SHORT;
            }
        };
    }

    private static ReconcileCompatibilityKit reconcileKit(ReferenceController.Flaw flaw) {
        return new ReconcileCompatibilityKit() {
            @Override
            protected KitFixture createFixture() {
                return ReferenceKitsTest.referenceFixture(ReferenceBackend.Flaw.NONE);
            }

            @Override
            protected KitController startController(ClusterView view, PriorityWriter writer) {
                return new ReferenceController(view, writer, flaw);
            }

            @Override
            protected Duration timeout() {
                return Duration.ofSeconds(5);
            }
        };
    }

    private static <K> void assertFails(K kit, Consumer<K> setUp, Consumer<K> tearDown, Executable test) {
        setUp.accept(kit);
        try {
            assertThatThrownBy(test::execute).isInstanceOf(AssertionError.class);
        } finally {
            tearDown.accept(kit);
        }
    }

    private static void viewFails(ReferenceBackend.Flaw flaw, Consumer<ClusterViewCompatibilityKit> test) {
        ClusterViewCompatibilityKit kit = viewKit(flaw);
        assertFails(kit, ClusterViewCompatibilityKit::createKitFixture, ClusterViewCompatibilityKit::closeKitFixture,
                () -> test.accept(kit));
    }

    private static void writerFails(ReferenceBackend.Flaw flaw, Consumer<PriorityWriterCompatibilityKit> test) {
        PriorityWriterCompatibilityKit kit = writerKit(flaw);
        assertFails(kit, PriorityWriterCompatibilityKit::createKitFixture, PriorityWriterCompatibilityKit::closeKitFixture,
                () -> test.accept(kit));
    }

    private static void reconcileFails(ReferenceController.Flaw flaw, Consumer<ReconcileCompatibilityKit> test) {
        ReconcileCompatibilityKit kit = reconcileKit(flaw);
        assertFails(kit, ReconcileCompatibilityKit::createKitFixture, ReconcileCompatibilityKit::closeKitFixture,
                () -> test.accept(kit));
    }

    @Test
    void viewThatDropsAnnotationsFailsTheProjectionTest() {
        viewFails(ReferenceBackend.Flaw.DROP_ANNOTATIONS,
                ClusterViewCompatibilityKit::initialListProjectsEveryKindWithTheWrittenFields);
    }

    @Test
    void viewThatStopsWatchingFailsTheChangeTests() {
        viewFails(ReferenceBackend.Flaw.FREEZE_AFTER_FIRST_LIST, ClusterViewCompatibilityKit::objectsCreatedAfterStartAppear);
        viewFails(ReferenceBackend.Flaw.FREEZE_AFTER_FIRST_LIST, ClusterViewCompatibilityKit::updatesAreReflected);
        viewFails(ReferenceBackend.Flaw.FREEZE_AFTER_FIRST_LIST, ClusterViewCompatibilityKit::deletesAreReflected);
        viewFails(ReferenceBackend.Flaw.FREEZE_AFTER_FIRST_LIST, ClusterViewCompatibilityKit::convergesAfterWatchCompaction);
    }

    @Test
    void viewThatLosesReCreatedObjectsFailsTheChurnTest() {
        viewFails(ReferenceBackend.Flaw.LATE_DELETE_BY_NAME, ClusterViewCompatibilityKit::convergesUnderChurn);
    }

    @Test
    void viewThatFailsOnOneBadObjectFailsTheMalformedTest() {
        viewFails(ReferenceBackend.Flaw.FAIL_WHOLE_SNAPSHOT_ON_BAD_OBJECT,
                ClusterViewCompatibilityKit::malformedObjectsAreReportedAndDoNotBreakTheView);
    }

    @Test
    void writerFlawsFailTheirTests() {
        writerFails(ReferenceBackend.Flaw.GET_BEFORE_PATCH, PriorityWriterCompatibilityKit::eachWriteIsOnePatchWithoutGet);
        writerFails(ReferenceBackend.Flaw.NOT_FOUND_IS_FAILED, PriorityWriterCompatibilityKit::deletedOrMissingWorkloadIsGone);
        writerFails(ReferenceBackend.Flaw.NO_RETRIES, PriorityWriterCompatibilityKit::throttlingAndServerErrorsAreRetried);
        writerFails(ReferenceBackend.Flaw.IGNORE_UID, PriorityWriterCompatibilityKit::uidMismatchIsGoneAndWritesNothing);
    }

    @Test
    void controllerThatRewritesUnchangedValuesFails() {
        reconcileFails(ReferenceController.Flaw.ALWAYS_WRITE, ReconcileCompatibilityKit::unchangedClusterWritesNothing);
    }

    @Test
    void controllerThatFightsWithoutLimitFails() {
        reconcileFails(ReferenceController.Flaw.NO_FIGHT_LIMIT_DOUBLE_WRITE,
                ReconcileCompatibilityKit::externalOverwriteIsCorrectedWithoutAnEndlessFight);
    }
}
