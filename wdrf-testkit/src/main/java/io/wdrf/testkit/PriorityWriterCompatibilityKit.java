package io.wdrf.testkit;

import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility kit for {@link io.wdrf.api.PriorityWriter} implementations. Subclass it and implement
 * {@link #createFixture()}; every test gets a fresh fixture.
 *
 * <p>Checks: {@code spec.priority} and the explanation annotation are written and nothing else changes; the
 * {@code PRIORITY_BOOST} target writes {@code kueue.x-k8s.io/priority-boost}; deleted workloads and uid mismatches
 * are {@link WriteOutcome#GONE}; results come in request order; and, with a {@link FakeKubeApiServer}, 429 (with
 * Retry-After), 500 and 409 answers are retried until the value is on the server, each write is exactly one PATCH
 * (no GET before it), and writes work against a Kueue serving only v1beta1.
 */
public abstract class PriorityWriterCompatibilityKit extends FixtureKit {

    private static final String EXPLANATION = PriorityUpdate.EXPLANATION_ANNOTATION;


    private Workload create(String namespace, String name, Integer priority) {
        Workload w = KitScenario.pending(namespace, name, "lq", "1").toBuilder().priority(priority)
                .annotations(Map.of("keep", "me")).labels(Map.of("app", name)).build();
        fixture().upsert(w);
        return w;
    }

    /** The uid the backend sees, via its view. */
    private String uid(WorkloadId id) {
        return Eventually.await(timeout(), "uid of " + id, () -> fixture().view().snapshot(),
                s -> KitAssertions.find(s, id).isPresent()).workloads().stream()
                .filter(w -> w.id().equals(id)).findFirst().orElseThrow().uid();
    }

    private static PriorityUpdate update(WorkloadId id, String uid, int value, String explanation) {
        return new PriorityUpdate(id, uid, PriorityTarget.SPEC_PRIORITY, value, null, explanation);
    }

    private WriteResult.Item applyOne(PriorityUpdate u) {
        WriteResult r = fixture().writer().apply(List.of(u));
        assertThat(r.items()).as("one result per update").hasSize(1);
        assertThat(r.items().get(0).workloadId()).isEqualTo(u.workloadId());
        return r.items().get(0);
    }

    private FakeKubeApiServer requireFakeServer() {
        Assumptions.assumeTrue(fixture().fakeServer().isPresent(), "needs a FakeKubeApiServer fixture()");
        return fixture().fakeServer().get();
    }

    @Test
    void writesSpecPriorityAndExplanation() {
        Workload w = create("team-a", "w1", 5);
        WriteResult.Item item = applyOne(update(w.id(), uid(w.id()), 42, "wdrf: class=normal level=0.25"));
        assertThat(item.outcome()).as(item.message()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverPriority(w.id())).isEqualTo(42);
        assertThat(fixture().serverAnnotation(w.id(), EXPLANATION)).isEqualTo("wdrf: class=normal level=0.25");
        assertThat(fixture().serverAnnotation(w.id(), "keep")).as("other annotations kept").isEqualTo("me");
    }

    @Test
    void writesOnlyTheTargetField() {
        Workload w = create("team-a", "w1", null);
        Workload before = Eventually.await(timeout(), "w1 in view", () -> fixture().view().snapshot(),
                s -> KitAssertions.find(s, w.id()).isPresent()).workloads().stream()
                .filter(x -> x.id().equals(w.id())).findFirst().orElseThrow();
        assertThat(applyOne(update(w.id(), "", -7, null)).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverPriority(w.id())).isEqualTo(-7);
        assertThat(fixture().serverAnnotation(w.id(), EXPLANATION)).as("no explanation requested").isNull();
        Workload after = Eventually.await(timeout(), "new priority in view", () -> fixture().view().snapshot(),
                s -> KitAssertions.find(s, w.id()).map(x -> Integer.valueOf(-7).equals(x.priority())).orElse(false))
                .workloads().stream().filter(x -> x.id().equals(w.id())).findFirst().orElseThrow();
        KitAssertions.assertSameWorkload(before.toBuilder().priority(-7).build(), after);
    }

    @Test
    void priorityBoostTargetWritesTheBoostAnnotation() {
        Workload w = create("team-a", "w1", 100);
        PriorityUpdate u = new PriorityUpdate(w.id(), uid(w.id()), PriorityTarget.PRIORITY_BOOST, 17, null, "boosted");
        WriteResult.Item item = applyOne(u);
        assertThat(item.outcome()).as(item.message()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverAnnotation(w.id(), Workload.PRIORITY_BOOST)).isEqualTo("17");
        assertThat(fixture().serverPriority(w.id())).as("spec.priority untouched").isEqualTo(100);
        assertThat(fixture().serverAnnotation(w.id(), EXPLANATION)).isEqualTo("boosted");
        PriorityUpdate negative = new PriorityUpdate(w.id(), "", PriorityTarget.PRIORITY_BOOST, -3, 17, null);
        assertThat(applyOne(negative).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverAnnotation(w.id(), Workload.PRIORITY_BOOST)).isEqualTo("-3");
    }

    @Test
    void deletedOrMissingWorkloadIsGone() {
        Workload w = create("team-a", "w1", 1);
        String uid = uid(w.id());
        fixture().deleteWorkload(w.id());
        WriteResult r = fixture().writer().apply(List.of(update(w.id(), uid, 9, null),
                update(new WorkloadId("team-a", "never-existed"), "", 9, null)));
        assertThat(r.items()).extracting(WriteResult.Item::outcome).containsExactly(WriteOutcome.GONE, WriteOutcome.GONE);
        assertThat(fixture().serverPriority(w.id())).as("nothing re-created").isNull();
    }

    @Test
    void uidMismatchIsGoneAndWritesNothing() {
        Workload w = create("team-a", "w1", 1);
        String uid = uid(w.id());
        WriteResult.Item item = applyOne(update(w.id(), "not-" + uid, 9, "x"));
        assertThat(item.outcome()).as(item.message()).isEqualTo(WriteOutcome.GONE);
        assertThat(fixture().serverPriority(w.id())).isEqualTo(1);
        assertThat(fixture().serverAnnotation(w.id(), EXPLANATION)).isNull();
        assertThat(applyOne(update(w.id(), uid, 9, null)).outcome()).as("matching uid").isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverPriority(w.id())).isEqualTo(9);
    }

    @Test
    void resultsComeInRequestOrderAndRewritesAreIdempotent() {
        Workload a = create("team-a", "a", null);
        Workload b = create("team-b", "b", null);
        Workload c = create("team-a", "c", null);
        WorkloadId missing = new WorkloadId("team-a", "missing");
        List<PriorityUpdate> updates = List.of(update(c.id(), "", 3, null), update(a.id(), "", 1, null),
                update(missing, "", 0, null), update(b.id(), "", 2, null));
        WriteResult r = fixture().writer().apply(updates);
        assertThat(r.items()).extracting(WriteResult.Item::workloadId).containsExactly(c.id(), a.id(), missing, b.id());
        assertThat(r.items()).extracting(WriteResult.Item::outcome).containsExactly(WriteOutcome.WRITTEN,
                WriteOutcome.WRITTEN, WriteOutcome.GONE, WriteOutcome.WRITTEN);
        assertThat(List.of(fixture().serverPriority(a.id()), fixture().serverPriority(b.id()), fixture().serverPriority(c.id())))
                .containsExactly(1, 2, 3);
        WriteResult again = fixture().writer().apply(List.of(update(a.id(), "", 1, null)));
        assertThat(again.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverPriority(a.id())).isEqualTo(1);
        assertThat(fixture().writer().apply(List.of()).items()).isEmpty();
    }

    @Test
    void eachWriteIsOnePatchWithoutGet() {
        FakeKubeApiServer server = requireFakeServer();
        Workload a = create("team-a", "a", 1);
        Workload b = create("team-a", "b", 1);
        String uidA = uid(a.id());
        fixture().writer(); // build the writer (and any discovery it does) before counting
        server.clearRequests();
        WriteResult r = fixture().writer().apply(List.of(update(a.id(), uidA, 10, "why"), update(b.id(), "", 20, null)));
        assertThat(r.count(WriteOutcome.WRITTEN)).isEqualTo(2);
        List<RecordedRequest> workloadRequests = server.requests().stream()
                .filter(x -> x.path().contains("/workloads/")).toList();
        assertThat(workloadRequests).as("requests for the two workloads").extracting(RecordedRequest::method)
                .containsExactly("PATCH", "PATCH");
        assertThat(workloadRequests.get(0).contentType()).as("merge patch")
                .containsAnyOf("application/merge-patch+json", "application/strategic-merge-patch+json");
        assertThat(workloadRequests.get(0).body()).contains("10").contains("why");
        assertThat(server.patchCount("workloads", "team-a", "a")).isEqualTo(1);
        assertThat(server.patchCount("workloads", "team-a", "b")).isEqualTo(1);
        assertThat(server.requests()).as("no other writes").filteredOn(x -> !x.method().equals("GET"))
                .allMatch(x -> x.path().contains("/workloads/") || x.path().contains("/events"));
    }

    @Test
    void throttlingAndServerErrorsAreRetried() {
        FakeKubeApiServer server = requireFakeServer();
        Workload a = create("team-a", "a", 1);
        Workload b = create("team-a", "b", 1);
        Workload c = create("team-a", "c", 1);
        server.faults().failNext("PATCH", "/workloads/a$", 429, 2, 1)
                .failNext("PATCH", "/workloads/b$", 500, 2)
                .failNext("PATCH", "/workloads/c$", 409, 1);
        WriteResult r = fixture().writer().apply(List.of(update(a.id(), "", 11, null), update(b.id(), "", 12, null),
                update(c.id(), "", 13, null)));
        assertThat(r.items()).extracting(WriteResult.Item::outcome)
                .containsExactly(WriteOutcome.WRITTEN, WriteOutcome.WRITTEN, WriteOutcome.WRITTEN);
        assertThat(r.items().get(0).attempts()).as("attempts after two 429s").isGreaterThanOrEqualTo(3);
        assertThat(r.items().get(1).attempts()).as("attempts after two 500s").isGreaterThanOrEqualTo(3);
        assertThat(List.of(fixture().serverPriority(a.id()), fixture().serverPriority(b.id()), fixture().serverPriority(c.id())))
                .containsExactly(11, 12, 13);
        assertThat(server.faults().remainingFailures()).isZero();
    }

    @Test
    void writesThroughV1beta1OnOldKueue() {
        FakeKubeApiServer server = requireFakeServer();
        server.serveKueueVersions("v1beta1");
        Workload w = create("team-a", "w1", 1);
        WriteResult.Item item = applyOne(update(w.id(), uid(w.id()), 33, "old kueue"));
        assertThat(item.outcome()).as(item.message()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(fixture().serverPriority(w.id())).isEqualTo(33);
        assertThat(server.requests()).filteredOn(x -> x.method().equals("PATCH"))
                .allMatch(x -> x.path().startsWith("/apis/kueue.x-k8s.io/v1beta1/"));
    }

    @Test
    void recordingEventsNeverThrows() {
        Workload w = create("team-a", "w1", 1);
        fixture().writer().recordEvent(w.id(), "PriorityChanged", "priority 1 -> 2");
        fixture().writer().recordEvent(new WorkloadId("team-a", "missing"), "PriorityChanged", "no such workload");
        assertThat(fixture().serverPriority(w.id())).as("events do not touch the workload").isEqualTo(1);
        // recording is best effort (may be rate-limited or off), but what is recorded must be right
        fixture().fakeServer().ifPresent(server -> assertThat(server.list("/api/v1/events"))
                .as("recorded events").allSatisfy(e -> {
                    assertThat(Json.str(e, "involvedObject", "kind")).isEqualTo("Workload");
                    assertThat(Json.str(e, "involvedObject", "name")).isIn("w1", "missing");
                    assertThat(Json.str(e, "metadata", "namespace")).isEqualTo("team-a");
                    assertThat(Json.str(e, "reason")).isEqualTo("PriorityChanged");
                }));
    }
}
