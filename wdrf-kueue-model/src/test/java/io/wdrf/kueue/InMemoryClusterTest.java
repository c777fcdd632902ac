package io.wdrf.kueue;

import io.wdrf.engine.ManualClock;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.KueueDemandModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryClusterTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private InMemoryCluster cluster() {
        return InMemoryCluster.builder(clock)
                .flavor("default")
                .node("n1", Map.of("cpu", "8", "memory", "32Gi"))
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"))
                .localQueue("team-a", "lq", "cq")
                .build();
    }

    private static PodSet cpu(String amount) {
        return PodSet.of("main", 1, Map.of("cpu", amount));
    }

    private static PriorityUpdate update(Workload w, PriorityTarget target, int value, String explanation) {
        return new PriorityUpdate(w.id(), w.uid(), target, value, w.priority(), explanation);
    }

    @Test
    void submitFillsDeterministicUidCreationTimeAndResourceVersion() {
        InMemoryCluster c = cluster();
        Workload a = c.submit("team-a", "a", "lq", cpu("1"));
        clock.advance(Duration.ofSeconds(10));
        Workload b = c.submit("team-a", "b", "lq", cpu("1"));

        assertThat(a.uid()).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(b.uid()).isEqualTo("00000000-0000-4000-8000-000000000002");
        assertThat(a.uid()).isLessThan(b.uid());
        assertThat(a.creationTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(b.creationTime()).isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(Long.parseLong(b.resourceVersion())).isGreaterThan(Long.parseLong(a.resourceVersion()));
        assertThat(a.phase()).isEqualTo(Phase.PENDING);

        // a second cluster built the same way hands out the same uids
        assertThat(cluster().submit("team-a", "a", "lq", cpu("1")).uid()).isEqualTo(a.uid());
    }

    @Test
    void submitKeepsGivenUidAndRejectsDuplicates() {
        InMemoryCluster c = cluster();
        Workload w = c.submit(Workload.builder("team-a", "w", clock.instant()).uid("my-uid").queueName("lq")
                .addPodSet(cpu("1")).build());
        assertThat(w.uid()).isEqualTo("my-uid");
        assertThatThrownBy(() -> c.submit("team-a", "w", "lq", cpu("1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("team-a/w");
    }

    @Test
    void snapshotIsImmutableSortedAndTakenAtTheClockInstant() {
        InMemoryCluster c = cluster();
        c.submit("team-a", "z", "lq", cpu("1"));
        c.submit("team-a", "a", "lq", cpu("1"));
        clock.advance(Duration.ofMinutes(1));
        ClusterSnapshot s1 = c.snapshot();

        assertThat(s1.takenAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(s1.workloads()).extracting(w -> w.id().name()).containsExactly("a", "z");
        assertThat(s1.workloads()).allSatisfy(w -> assertThat(w.clusterQueue()).isEqualTo("cq"));
        assertThat(s1.namespaces()).extracting(NamespaceInfo::name).containsExactly("team-a");
        assertThatThrownBy(() -> s1.workloads().clear()).isInstanceOf(UnsupportedOperationException.class);

        c.submit("team-a", "m", "lq", cpu("1"));
        c.setPriority(new WorkloadId("team-a", "a"), 7);
        c.putNode(new Node("n0", Map.of(), Map.of(), Map.of("cpu", "1"), true, false));
        clock.advance(Duration.ofMinutes(1));

        assertThat(s1.workloads()).hasSize(2);
        assertThat(s1.workloads().get(0).priority()).isNull();
        assertThat(s1.nodes()).extracting(Node::name).containsExactly("n1");
        ClusterSnapshot s2 = c.snapshot();
        assertThat(s2.workloads()).extracting(w -> w.id().name()).containsExactly("a", "m", "z");
        assertThat(s2.workloads().get(0).priority()).isEqualTo(7);
        assertThat(s2.nodes()).extracting(Node::name).containsExactly("n0", "n1");
        assertThat(s2.takenAt()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
    }

    @Test
    void applyWritesSpecPriorityAndExplanation() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        WriteResult r = c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 42, "fair share 0.25")));

        assertThat(r.items()).singleElement().satisfies(i -> assertThat(i.outcome()).isEqualTo(WriteOutcome.WRITTEN));
        Workload after = c.workload(w.id()).orElseThrow();
        assertThat(after.priority()).isEqualTo(42);
        assertThat(after.priorityBoost()).isNull();
        assertThat(after.annotations()).containsEntry(PriorityUpdate.EXPLANATION_ANNOTATION, "fair share 0.25");
        assertThat(after.resourceVersion()).isNotEqualTo(w.resourceVersion());
        assertThat(c.writeCount(w.id())).isEqualTo(1);
        assertThat(c.totalWrites()).isEqualTo(1);
    }

    @Test
    void applyWritesPriorityBoostFieldAndAnnotation() {
        InMemoryCluster c = cluster();
        Workload w = c.submit(Workload.builder("team-a", "w", clock.instant()).queueName("lq").priority(100)
                .addPodSet(cpu("1")).build());
        c.apply(List.of(update(w, PriorityTarget.PRIORITY_BOOST, -5, null)));

        Workload after = c.workload(w.id()).orElseThrow();
        assertThat(after.priority()).isEqualTo(100);
        assertThat(after.priorityBoost()).isEqualTo(-5);
        assertThat(after.effectivePriority()).isEqualTo(95);
        assertThat(after.annotations()).containsEntry(Workload.PRIORITY_BOOST, "-5")
                .doesNotContainKey(PriorityUpdate.EXPLANATION_ANNOTATION);

        c.setPriorityBoost(w.id(), null);
        Workload cleared = c.workload(w.id()).orElseThrow();
        assertThat(cleared.priorityBoost()).isNull();
        assertThat(cleared.annotations()).doesNotContainKey(Workload.PRIORITY_BOOST);
    }

    @Test
    void boostAnnotationGivenOnSubmitIsProjectedIntoTheField() {
        InMemoryCluster c = cluster();
        Workload w = c.submit(Workload.builder("team-a", "w", clock.instant()).queueName("lq")
                .annotations(Map.of(Workload.PRIORITY_BOOST, "12")).addPodSet(cpu("1")).build());
        assertThat(w.priorityBoost()).isEqualTo(12);
        Workload bad = c.submit(Workload.builder("team-a", "bad", clock.instant()).queueName("lq")
                .annotations(Map.of(Workload.PRIORITY_BOOST, "high")).addPodSet(cpu("1")).build());
        assertThat(bad.priorityBoost()).isNull();
        assertThat(bad.annotations()).containsEntry(Workload.PRIORITY_BOOST, "high");
    }

    @Test
    void missingWorkloadOrUidMismatchIsGoneAndTheRestIsWritten() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        Workload other = c.submit("team-a", "other", "lq", cpu("1"));
        WorkloadId missing = new WorkloadId("team-a", "missing");
        WriteResult r = c.apply(List.of(
                new PriorityUpdate(missing, "", PriorityTarget.SPEC_PRIORITY, 1, null, null),
                new PriorityUpdate(w.id(), "stale-uid", PriorityTarget.SPEC_PRIORITY, 2, null, null),
                new PriorityUpdate(other.id(), "", PriorityTarget.SPEC_PRIORITY, 3, null, null)));

        assertThat(r.items()).extracting(WriteResult.Item::outcome)
                .containsExactly(WriteOutcome.GONE, WriteOutcome.GONE, WriteOutcome.WRITTEN);
        assertThat(r.items().get(1).message()).contains("stale-uid");
        assertThat(c.workload(w.id()).orElseThrow().priority()).isNull();
        assertThat(c.workload(other.id()).orElseThrow().priority()).isEqualTo(3);
        assertThat(c.writeCount(w.id())).isZero();
        assertThat(c.writeCount(missing)).isZero();

        // delete + re-create with the same name: the old uid is GONE
        c.delete(w.id());
        Workload recreated = c.submit("team-a", "w", "lq", cpu("1"));
        assertThat(recreated.uid()).isNotEqualTo(w.uid());
        assertThat(c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 5, null))).count(WriteOutcome.GONE))
                .isEqualTo(1);
        assertThat(c.workload(w.id()).orElseThrow().priority()).isNull();
    }

    @Test
    void unchangedWriteIsCountedButDoesNotBumpResourceVersionOrNotify() throws Exception {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        AtomicInteger notifications = new AtomicInteger();
        try (AutoCloseable ignored = c.addChangeListener(notifications::incrementAndGet)) {
            c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 10, "x")));
            String rv = c.workload(w.id()).orElseThrow().resourceVersion();
            c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 10, "x")));

            assertThat(c.writeCount(w.id())).isEqualTo(2);
            assertThat(c.workload(w.id()).orElseThrow().resourceVersion()).isEqualTo(rv);
            assertThat(notifications).hasValue(1);
        }
    }

    @Test
    void externalOverwriteIsVisibleAndNotCountedAsWrite() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 10, null)));
        assertThat(c.setPriority(w.id(), 1000)).isTrue();
        assertThat(c.workload(w.id()).orElseThrow().priority()).isEqualTo(1000);
        assertThat(c.writeCount(w.id())).isEqualTo(1);
        assertThat(c.setPriority(new WorkloadId("team-a", "nope"), 1)).isFalse();
    }

    @Test
    void injectedFailuresAreReportedThenClear() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        c.failNextWrites(w.id(), 2);
        List<PriorityUpdate> one = List.of(update(w, PriorityTarget.SPEC_PRIORITY, 3, null));
        assertThat(c.apply(one).items().get(0).outcome()).isEqualTo(WriteOutcome.FAILED);
        assertThat(c.apply(one).items().get(0).outcome()).isEqualTo(WriteOutcome.FAILED);
        assertThat(c.workload(w.id()).orElseThrow().priority()).isNull();
        assertThat(c.apply(one).items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(c.workload(w.id()).orElseThrow().priority()).isEqualTo(3);
    }

    @Test
    void eventsAreRecordedWithTheClockTime() {
        InMemoryCluster c = cluster();
        WorkloadId id = new WorkloadId("team-a", "w");
        c.recordEvent(id, "PriorityChanged", "0 -> 5");
        clock.advance(Duration.ofSeconds(3));
        c.recordEvent(id, "PriorityOverwritten", "Kueue set 1000");
        assertThat(c.events()).containsExactly(
                new InMemoryCluster.RecordedEvent(Instant.parse("2026-01-01T00:00:00Z"), id, "PriorityChanged", "0 -> 5"),
                new InMemoryCluster.RecordedEvent(Instant.parse("2026-01-01T00:00:03Z"), id, "PriorityOverwritten",
                        "Kueue set 1000"));
    }

    @Test
    void listenersFireAfterEveryMutationAndStopWhenRemovedOrClosed() throws Exception {
        InMemoryCluster c = cluster();
        List<String> seen = new ArrayList<>();
        AtomicInteger second = new AtomicInteger();
        AutoCloseable handle = c.addChangeListener(() -> seen.add("n=" + c.snapshot().workloads().size()));
        c.addChangeListener(() -> {
            throw new IllegalStateException("bad listener");
        });
        c.addChangeListener(second::incrementAndGet);

        Workload w = c.submit("team-a", "w", "lq", cpu("1"));                   // 1
        c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 1, null)));    // 2
        c.admissionCycle();                                                    // 3 (admits w)
        c.admissionCycle();                                                    // nothing to do: no event
        c.finish(w.id());                                                      // 4
        c.finish(w.id());                                                      // already finished: no event
        c.putNode(new Node("n2", Map.of(), Map.of(), Map.of("cpu", "1"), true, false)); // 5
        c.addInvalid(new InvalidObject("Node", "", "broken", "status.allocatable.cpu: bad"));  // 6
        c.delete(w.id());                                                      // 7
        c.delete(w.id());                                                      // absent: no event

        assertThat(seen).containsExactly("n=1", "n=1", "n=1", "n=1", "n=1", "n=1", "n=0");
        assertThat(second).hasValue(7);

        handle.close();
        c.submit("team-a", "x", "lq", cpu("1"));
        assertThat(seen).hasSize(7);
        assertThat(second).hasValue(8);

        c.close();
        c.submit("team-a", "y", "lq", cpu("1"));
        assertThat(second).hasValue(8);
        Workload y = c.workload(new WorkloadId("team-a", "y")).orElseThrow();
        assertThat(c.apply(List.of(update(y, PriorityTarget.SPEC_PRIORITY, 1, null))).items().get(0).outcome())
                .isEqualTo(WriteOutcome.SKIPPED);
    }

    @Test
    void malformedWorkloadIsStoredAsGivenAndServed() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "bad", "lq", cpu("1x"));
        assertThat(c.snapshot().workloads()).singleElement()
                .satisfies(s -> assertThat(s.podSets().get(0).containers().get(0).requests()).containsEntry("cpu", "1x"));
        assertThatThrownBy(() -> new KueueDemandModel().workloadDemand(c.workload(w.id()).orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x");
        c.addInvalid(new InvalidObject("Workload", "team-a", "unparseable", "spec.podSets: not a list"));
        assertThat(c.snapshot().invalid()).extracting(InvalidObject::name).containsExactly("unparseable");
    }

    @Test
    void updateWorkloadChangesFieldsButNotTheId() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        Workload updated = c.updateWorkload(w.id(), x -> x.toBuilder().labels(Map.of("wdrf.x-k8s.io/urgent", "true"))
                .build()).orElseThrow();
        assertThat(updated.labels()).containsEntry("wdrf.x-k8s.io/urgent", "true");
        assertThat(updated.uid()).isEqualTo(w.uid());
        assertThatThrownBy(() -> c.updateWorkload(w.id(), x -> Workload.builder("team-a", "other", x.creationTime())
                .build())).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.updateWorkload(new WorkloadId("team-a", "nope"), x -> x)).isEmpty();
    }

    @Test
    void clusterQueueOfPendingWorkloadFollowsItsLocalQueue() {
        InMemoryCluster c = cluster();
        c.submit("team-b", "w", "lq", cpu("1"));
        assertThat(c.snapshot().workloads().get(0).clusterQueue()).isNull();
        c.putLocalQueue(new io.wdrf.api.LocalQueueInfo("team-b", "lq", "cq"));
        assertThat(c.snapshot().workloads().get(0).clusterQueue()).isEqualTo("cq");
        assertThat(c.snapshot().namespaces()).extracting(NamespaceInfo::name).containsExactly("team-a", "team-b");
    }

    @Test
    void concurrentSubmitsAndWritesAreAllApplied() throws InterruptedException {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "1000")).localQueue("ns", "lq", "cq").build();
        AtomicInteger notifications = new AtomicInteger();
        c.addChangeListener(notifications::incrementAndGet);
        int threads = 4;
        int perThread = 50;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    Workload w = c.submit("ns", "w-" + tt + "-" + i, "lq", cpu("1"));
                    c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, i, null)));
                    if (i % 10 == 0) {
                        c.admissionCycle();
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        ClusterSnapshot s = c.snapshot();
        assertThat(s.workloads()).hasSize(threads * perThread);
        assertThat(s.workloads()).extracting(Workload::uid).doesNotHaveDuplicates();
        assertThat(c.totalWrites()).isEqualTo(threads * perThread);
        assertThat(notifications.get()).isGreaterThanOrEqualTo(2 * threads * perThread);
        c.admissionCycle();
        assertThat(c.snapshot().workloads()).allSatisfy(w -> assertThat(w.phase()).isEqualTo(Phase.ADMITTED));
    }

    /**
     * The snapshot's workload list (kept between snapshots and merged with what was submitted and deleted since) is
     * every stored workload, each as {@link InMemoryCluster#workload} shows it, in id order — over random
     * interleavings of submits (including an id deleted and submitted again), deletes, writes, admissions, finishes,
     * LocalQueue changes and snapshots.
     */
    @Test
    void snapshotWorkloadsStayInIdOrderAcrossSubmitsDeletesAndSnapshots() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 40; round++) {
            InMemoryCluster c = cluster();
            java.util.TreeSet<WorkloadId> live = new java.util.TreeSet<>();
            for (int step = 0; step < 300; step++) {
                int op = rnd.nextInt(10);
                if (op < 4) {
                    String ns = "team-" + (char) ('a' + rnd.nextInt(3));
                    WorkloadId id = new WorkloadId(ns, "w" + rnd.nextInt(60));
                    if (live.add(id)) {
                        c.submit(Workload.builder(ns, id.name(), clock.instant()).queueName("lq").addPodSet(cpu("1"))
                                .build());
                    }
                } else if (op < 6 && !live.isEmpty()) {
                    WorkloadId id = new ArrayList<>(live).get(rnd.nextInt(live.size()));
                    assertThat(c.delete(id)).isTrue();
                    live.remove(id);
                } else if (op < 7 && !live.isEmpty()) {
                    Workload w = c.workload(new ArrayList<>(live).get(rnd.nextInt(live.size()))).orElseThrow();
                    c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, rnd.nextInt(5), null)));
                } else if (op == 7 && rnd.nextBoolean()) {
                    if (rnd.nextBoolean()) {
                        c.admissionCycle();
                    } else if (!live.isEmpty()) {
                        c.finish(new ArrayList<>(live).get(rnd.nextInt(live.size())));
                    }
                } else if (op == 8 && rnd.nextInt(4) == 0) {
                    // a LocalQueue re-pointed: every projection's ClusterQueue may change
                    String ns = "team-" + (char) ('a' + rnd.nextInt(3));
                    c.putLocalQueue(new io.wdrf.api.LocalQueueInfo(ns, "lq", rnd.nextBoolean() ? "cq" : "other"));
                } else {
                    List<Workload> shown = c.snapshot().workloads();
                    assertThat(shown).extracting(Workload::id).as("round " + round + " step " + step)
                            .containsExactlyElementsOf(live);
                    assertThat(shown).allSatisfy(w -> assertThat(c.workload(w.id())).contains(w));
                }
            }
        }
    }

    @Test
    void writeCountsAreKeptAfterDeleteAndAddUpForAResubmittedId() {
        InMemoryCluster c = cluster();
        Workload w = c.submit("team-a", "w", "lq", cpu("1"));
        c.apply(List.of(update(w, PriorityTarget.SPEC_PRIORITY, 1, null), update(w, PriorityTarget.SPEC_PRIORITY, 2, null)));
        assertThat(c.writeCount(w.id())).isEqualTo(2);
        assertThat(c.delete(w.id())).isTrue();
        assertThat(c.writeCount(w.id())).isEqualTo(2);
        Workload again = c.submit("team-a", "w", "lq", cpu("1"));
        c.apply(List.of(update(again, PriorityTarget.SPEC_PRIORITY, 3, null)));
        assertThat(c.writeCount(w.id())).isEqualTo(3);
        c.delete(w.id());
        assertThat(c.writeCount(w.id())).isEqualTo(3);
        assertThat(c.totalWrites()).isEqualTo(3);
    }

    @Test
    void uidsAreZeroPaddedToTwelveDigits() {
        InMemoryCluster c = cluster();
        for (int i = 1; i <= 12; i++) {
            assertThat(c.submit("team-a", "w" + i, "lq", cpu("1")).uid())
                    .isEqualTo(String.format(java.util.Locale.ROOT, "00000000-0000-4000-8000-%012d", i));
        }
    }
}
