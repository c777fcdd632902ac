package io.wdrf.testkit;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end kit: a controller (the engine's reconciler over a backend's view and writer) against a cluster.
 * Subclass it, implement {@link #createFixture()} and {@link #startController(ClusterView, PriorityWriter)}.
 *
 * <p>The assertions are engine-agnostic. The contract: after {@link KitController#runOnce()} (repeated while the view
 * catches up), every admissible pending workload has a non-null {@code spec.priority} on the server; admitted,
 * finished and inactive workloads are not patched (with {@link #target()} {@code PRIORITY_BOOST}: a boost annotation); a {@code runOnce()} when nothing changed patches nothing; an
 * external overwrite is corrected without an unbounded fight (at most one re-write per overwrite); a 410 relist
 * neither loses nor repeats writes; 429/500 bursts still end with every priority on the server. Use a fixed clock in
 * the controller so aging does not change decisions while a test runs.
 */
public abstract class ReconcileCompatibilityKit {

    private KitFixture fixture;
    private KitController controller;

    /** A fresh fixture for one test. */
    protected abstract KitFixture createFixture();

    /** Starts the controller under test over the fixture's view and writer. */
    protected abstract KitController startController(ClusterView view, PriorityWriter writer);

    /**
     * Where the controller writes (default {@link PriorityTarget#SPEC_PRIORITY}); with
     * {@link PriorityTarget#PRIORITY_BOOST} the kit reads and overwrites the {@code kueue.x-k8s.io/priority-boost}
     * annotation instead of {@code spec.priority}.
     */
    protected PriorityTarget target() {
        return PriorityTarget.SPEC_PRIORITY;
    }

    /** The value the controller manages on the server: spec.priority or the boost annotation (null when absent). */
    private Integer written(WorkloadId id) {
        if (target() == PriorityTarget.SPEC_PRIORITY) {
            return fixture.serverPriority(id);
        }
        String boost = fixture.serverAnnotation(id, Workload.PRIORITY_BOOST);
        return boost == null ? null : Integer.valueOf(boost);
    }

    /** Overwrites the managed value as Kueue or a user would. */
    private void overwriteExternally(WorkloadId id, int value) {
        if (target() == PriorityTarget.SPEC_PRIORITY) {
            fixture.setPriorityExternally(id, value);
            return;
        }
        FakeKubeApiServer server = requireFakeServer();
        String path = "/apis/kueue.x-k8s.io/" + server.servedKueueVersions().get(server.servedKueueVersions().size() - 1)
                + "/namespaces/" + id.namespace() + "/workloads/" + id.name();
        Map<String, Object> obj = server.get(path).orElseThrow();
        Json.child(Json.child(obj, "metadata"), "annotations").put(Workload.PRIORITY_BOOST, Integer.toString(value));
        server.put(path, obj);
    }

    /** How long to wait for convergence (default 20 s). */
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    @BeforeEach
    void createKitFixture() {
        fixture = createFixture();
    }

    @AfterEach
    void closeKitFixture() {
        try {
            if (controller != null) {
                controller.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    /** The current test's fixture. */
    protected KitFixture fixture() {
        return fixture;
    }

    private static final List<WorkloadId> NOT_PENDING = List.of(KitScenario.ADMITTED.id(), KitScenario.FINISHED.id(),
            KitScenario.INACTIVE.id());

    /** The scenario plus pending workloads in both teams; returns the ids of the admissible pending ones. */
    private List<WorkloadId> populate() {
        KitScenario.upsertAll(fixture);
        List<WorkloadId> pending = new ArrayList<>();
        pending.add(KitScenario.PENDING.id());
        for (int i = 0; i < 3; i++) {
            Workload a = KitScenario.pending("team-a", "a" + i, "lq-a", (i + 1) + "");
            Workload b = KitScenario.pending("team-b", "b" + i, "lq-b", "500m");
            fixture.upsert(a);
            fixture.upsert(b);
            pending.add(a.id());
            pending.add(b.id());
        }
        return pending;
    }

    private void start(int expectedWorkloads) {
        ClusterView view = fixture.view();
        Eventually.await(timeout(), expectedWorkloads + " workloads in the view",
                () -> view.hasSynced() && view.snapshot().workloads().size() == expectedWorkloads);
        controller = startController(view, fixture.writer());
    }

    /** Runs cycles until every id has a priority on the server; returns the priorities. */
    private Map<WorkloadId, Integer> converge(List<WorkloadId> ids) {
        Eventually.await(timeout(), "priorities on " + ids, () -> {
            controller.runOnce();
            return ids.stream().allMatch(id -> written(id) != null);
        });
        Map<WorkloadId, Integer> out = new HashMap<>();
        ids.forEach(id -> out.put(id, written(id)));
        return out;
    }

    private void awaitViewPriority(WorkloadId id, Integer priority) {
        Eventually.await(timeout(), "view shows priority " + priority + " on " + id, () -> KitAssertions
                .find(fixture.view().snapshot(), id).map(w -> priority.equals(target() == PriorityTarget.SPEC_PRIORITY
                        ? w.priority() : w.priorityBoost())).orElse(false));
    }

    private FakeKubeApiServer requireFakeServer() {
        Assumptions.assumeTrue(fixture.fakeServer().isPresent(), "needs a FakeKubeApiServer fixture");
        return fixture.fakeServer().get();
    }

    private static long patches(FakeKubeApiServer server) {
        return server.requests().stream().filter(r -> r.method().equals("PATCH")).count();
    }

    @Test
    void pendingWorkloadsGetPrioritiesAndNothingElseIsPatched() {
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        converge(pending);
        // the scenario's ClusterQueue preempts by priority: in preemption mode classes (default) the admitted workload gets
        // one protection write that puts it above every pending workload of its class; in never/allow it is left alone
        WorkloadId admitted = KitScenario.ADMITTED.id();
        String admittedBoost = fixture.serverAnnotation(admitted, Workload.PRIORITY_BOOST);
        long admittedEffective = fixture.serverPriority(admitted) + (admittedBoost == null ? 0 : Long.parseLong(admittedBoost));
        if (admittedEffective != 5) {
            for (WorkloadId id : pending) {
                if (id.equals(KitScenario.PENDING.id())) {
                    continue; // approved: a higher class may preempt the normal admitted workload
                }
                String b = fixture.serverAnnotation(id, Workload.PRIORITY_BOOST);
                Integer p = fixture.serverPriority(id);
                long eff = (p == null ? 0 : p) + (b == null ? 0 : Long.parseLong(b));
                assertThat(admittedEffective).as("admitted %s protected above pending %s", admitted, id).isGreaterThan(eff);
            }
        }
        assertThat(fixture.serverPriority(KitScenario.INACTIVE.id())).as("inactive left alone").isNull();
        assertThat(fixture.serverPriority(KitScenario.FINISHED.id())).as("finished left alone").isNull();
        assertThat(written(KitScenario.INACTIVE.id())).as("inactive left alone").isNull();
        assertThat(written(KitScenario.FINISHED.id())).as("finished left alone").isNull();
        if (target() == PriorityTarget.PRIORITY_BOOST) {
            for (WorkloadId id : pending.subList(1, pending.size())) {
                assertThat(fixture.serverPriority(id)).as("spec.priority of " + id + " with the boost target").isNull();
            }
        }
        fixture.fakeServer().ifPresent(server -> {
            for (WorkloadId id : NOT_PENDING) {
                assertThat(server.patchCount("workloads", id.namespace(), id.name())).as("patches of " + id)
                        .isLessThanOrEqualTo(id.equals(admitted) ? 1 : 0);
            }
        });
    }

    @Test
    void workloadCreatedWhileRunningGetsAPriority() {
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        converge(pending);
        Workload late = KitScenario.pending("team-b", "late", "lq-b", "2");
        fixture.upsert(late);
        converge(List.of(late.id()));
        assertThat(written(late.id())).isNotNull();
    }

    @Test
    void workloadThatLeavesThePendingSetIsNotWrittenAgain() {
        FakeKubeApiServer server = requireFakeServer();
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        converge(pending);
        WorkloadId admittedId = new WorkloadId("team-b", "b0");
        Integer priority = written(admittedId);
        boolean spec = target() == PriorityTarget.SPEC_PRIORITY;
        Workload admitted = KitScenario.pending("team-b", "b0", "lq-b", "500m").toBuilder()
                .priority(spec ? priority : null).priorityBoost(spec ? null : priority)
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new io.wdrf.api.Admission("cq-main", List.of(new io.wdrf.api.PodSetAssignment("main",
                        Map.of("cpu", "default-flavor", "memory", "default-flavor"),
                        io.wdrf.api.ResourceVector.of(Map.of("cpu", 0.5, "memory", (double) (1L << 30))), 1))))
                .build();
        fixture.upsert(admitted);
        Eventually.await(timeout(), "view shows " + admittedId + " admitted", () -> KitAssertions
                .find(fixture.view().snapshot(), admittedId).map(w -> !w.isAdmissible()).orElse(false));
        int before = server.patchCount("workloads", admittedId.namespace(), admittedId.name());
        controller.runOnce();
        controller.runOnce();
        // No longer written as a pending workload. The scenario's ClusterQueue preempts by priority, so in preemption
        // mode classes (default) it may get one protection write, which only ever raises it (a protection keeps lower
        // classes from evicting it); in never/allow it keeps the pending priority it was admitted with.
        int afterAdmission = server.patchCount("workloads", admittedId.namespace(), admittedId.name()) - before;
        assertThat(afterAdmission).as("patches of a workload after it was admitted").isLessThanOrEqualTo(1);
        if (afterAdmission == 0) {
            assertThat(written(admittedId)).isEqualTo(priority);
        } else {
            assertThat(written(admittedId)).as("protection raises the admitted workload").isGreaterThan(priority);
        }
        int settled = server.patchCount("workloads", admittedId.namespace(), admittedId.name());
        controller.runOnce();
        assertThat(server.patchCount("workloads", admittedId.namespace(), admittedId.name()))
                .as("an admitted workload's priority is not rewritten while nothing changes").isEqualTo(settled);
        fixture.deleteWorkload(new WorkloadId("team-a", "a0"));
        Eventually.await(timeout(), "view drops team-a/a0", () -> KitAssertions
                .find(fixture.view().snapshot(), new WorkloadId("team-a", "a0")).isEmpty());
        controller.runOnce();
        assertThat(written(new WorkloadId("team-a", "a0"))).as("deleted workload not re-created").isNull();
    }

    @Test
    void unchangedClusterWritesNothing() {
        FakeKubeApiServer server = requireFakeServer();
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        converge(pending);
        for (WorkloadId id : pending) {
            awaitViewPriority(id, written(id));
        }
        controller.runOnce(); // may still flush anything decided while the view caught up
        long settled = patches(server);
        controller.runOnce();
        controller.runOnce();
        assertThat(patches(server) - settled).as("PATCHes when nothing changed").isZero();
        for (WorkloadId id : pending) {
            // a workload created without a priority must have been written; one that had a priority may be left alone
            int atLeast = id.equals(KitScenario.PENDING.id()) ? 0 : 1;
            assertThat(server.patchCount("workloads", id.namespace(), id.name())).as("patches of " + id)
                    .isBetween(atLeast, 2);
        }
    }

    @Test
    void externalOverwriteIsCorrectedWithoutAnEndlessFight() {
        FakeKubeApiServer server = requireFakeServer();
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        WorkloadId id = pending.get(1);
        int decided = converge(pending).get(id);
        awaitViewPriority(id, decided);
        int external = decided > 0 ? decided - 1000 : decided + 1000;

        int before = server.patchCount("workloads", id.namespace(), id.name());
        overwriteExternally(id, external);
        awaitViewPriority(id, external);
        Eventually.await(timeout(), "overwrite of " + id + " corrected", () -> {
            controller.runOnce();
            return Integer.valueOf(decided).equals(written(id));
        });

        int overwrites = 6;
        for (int i = 2; i <= overwrites; i++) {
            awaitViewPriority(id, written(id)); // corrected, or left alone if the controller gave up
            overwriteExternally(id, external + i);
            awaitViewPriority(id, external + i);
            controller.runOnce();
            controller.runOnce();
        }
        Integer last = written(id);
        awaitViewPriority(id, last);
        controller.runOnce();
        int rewrites = server.patchCount("workloads", id.namespace(), id.name()) - before;
        assertThat(rewrites).as("re-writes for " + overwrites + " external overwrites").isBetween(1, overwrites);
        long settled = patches(server);
        controller.runOnce();
        controller.runOnce();
        assertThat(patches(server) - settled).as("PATCHes after the fight settled").isZero();
    }

    @Test
    void relistAfterCompactionNeitherLosesNorRepeatsWrites() {
        FakeKubeApiServer server = requireFakeServer();
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        converge(pending);
        for (WorkloadId id : pending) {
            awaitViewPriority(id, written(id));
        }
        controller.runOnce();
        Map<WorkloadId, Integer> patchesBefore = new HashMap<>();
        pending.forEach(id -> patchesBefore.put(id, server.patchCount("workloads", id.namespace(), id.name())));

        server.compact();
        Workload gap = KitScenario.pending("team-a", "during-gap", "lq-a", "1");
        fixture.upsert(gap); // lands while the watches are expired: only a relist can see it
        Eventually.await(timeout(), "view relisted", () -> KitAssertions.find(fixture.view().snapshot(), gap.id())
                .isPresent());
        converge(List.of(gap.id()));
        awaitViewPriority(gap.id(), written(gap.id()));
        controller.runOnce();
        long settled = patches(server);
        controller.runOnce();
        assertThat(patches(server) - settled).as("PATCHes after the relist settled").isZero();
        for (WorkloadId id : pending) {
            assertThat(server.patchCount("workloads", id.namespace(), id.name()) - patchesBefore.get(id))
                    .as("extra patches of " + id + " caused by the relist").isLessThanOrEqualTo(1);
        }
        assertThat(fixture.view().snapshot().workloads()).extracting(Workload::id).doesNotHaveDuplicates();
    }

    @Test
    void throttlingAndServerErrorBurstsStillEndWithAllPriorities() {
        FakeKubeApiServer server = requireFakeServer();
        List<WorkloadId> pending = populate();
        start(pending.size() + NOT_PENDING.size());
        server.faults().failNext("PATCH", "/workloads/", 429, 3, 1).failNext("PATCH", "/workloads/", 500, 3);
        converge(pending);
        assertThat(server.faults().remainingFailures()).as("all injected failures were hit").isZero();
        for (WorkloadId id : pending) {
            assertThat(written(id)).as("priority of " + id).isNotNull();
        }
    }
}
