package io.wdrf.kueue;

import io.wdrf.engine.ManualClock;
import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionModelTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

    private static PodSet pods(int count, String cpu) {
        return PodSet.of("main", count, Map.of("cpu", cpu));
    }

    private static PodSet pods(int count, String cpu, String memory) {
        return PodSet.of("main", count, Map.of("cpu", cpu, "memory", memory));
    }

    private static ResourceQuota quota(String flavor, String resource, String nominal, String borrowingLimit,
                                       String lendingLimit) {
        return new ResourceQuota(flavor, resource, Quantity.parse(nominal),
                borrowingLimit == null ? null : Quantity.parse(borrowingLimit),
                lendingLimit == null ? null : Quantity.parse(lendingLimit));
    }

    private Workload submit(InMemoryCluster c, String ns, String name, String queue, Integer priority, PodSet... ps) {
        return c.submit(Workload.builder(ns, name, clock.instant()).queueName(queue).priority(priority)
                .podSets(List.of(ps)).build());
    }

    private static List<String> names(List<WorkloadId> ids) {
        return ids.stream().map(WorkloadId::name).toList();
    }

    private static WorkloadId id(String ns, String name) {
        return new WorkloadId(ns, name);
    }

    private InMemoryCluster oneQueue(String strategy, String cpu) {
        return InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", null, strategy, ResourceQuota.of("default", "cpu", cpu))
                .localQueue("ns", "lq", "cq").build();
    }

    @Test
    void admitsInKueueHeapOrderPriorityThenTimeThenUid() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "100");
        submit(c, "ns", "old-low", "lq", 1, pods(1, "1"));
        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "new-high", "lq", 5, pods(1, "1"));
        submit(c, "ns", "no-priority", "lq", null, pods(1, "1"));        // null reads as 0
        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "newer-low", "lq", 1, pods(1, "1"));
        // same priority and creation time: UID decides, not the name
        c.submit(Workload.builder("ns", "tie-a", clock.instant()).uid("uid-2").queueName("lq").priority(3)
                .addPodSet(pods(1, "1")).build());
        c.submit(Workload.builder("ns", "tie-b", clock.instant()).uid("uid-1").queueName("lq").priority(3)
                .addPodSet(pods(1, "1")).build());
        // the boost counts: 0 + 4 sits between 5 and 3
        c.submit(Workload.builder("ns", "boosted", clock.instant()).queueName("lq").priorityBoost(4)
                .addPodSet(pods(1, "1")).build());

        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted()))
                .containsExactly("new-high", "boosted", "tie-b", "tie-a", "old-low", "newer-low", "no-priority");
        assertThat(r.preempted()).isEmpty();
        assertThat(r.inadmissible()).isEmpty();
        assertThat(r.at()).isEqualTo(clock.instant());
    }

    @Test
    void limitedQuotaAdmitsTheFirstInHeapOrderOnly() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "2");
        submit(c, "ns", "a", "lq", 1, pods(1, "1"));
        submit(c, "ns", "b", "lq", 3, pods(1, "1"));
        submit(c, "ns", "c", "lq", 2, pods(1, "1"));

        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted())).containsExactly("b", "c");
        assertThat(r.inadmissible()).containsOnlyKeys(id("ns", "a"));
        assertThat(r.inadmissible().get(id("ns", "a"))).contains("insufficient cpu").contains("available 0");
        assertThat(c.workload(id("ns", "a")).orElseThrow().phase()).isEqualTo(Phase.PENDING);
    }

    @Test
    void admissionRecordsConditionsAndUsageFromTheDemandModel() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "10");
        // pod request = max(app 1, init 2) = 2 cpu; 3 pods = 6 cpu
        PodSet ps = new PodSet("workers", 3, null, List.of(
                new ContainerSpec("init", ContainerKind.INIT, Map.of("cpu", "2"), Map.of()),
                new ContainerSpec("app", ContainerKind.APP, Map.of(), Map.of("cpu", "1"))),
                Map.of(), Map.of(), Map.of());
        Workload w = submit(c, "ns", "w", "lq", null, ps);
        clock.advance(Duration.ofSeconds(30));
        c.admissionCycle();

        Workload admitted = c.workload(w.id()).orElseThrow();
        assertThat(admitted.trueConditions()).contains(Workload.QUOTA_RESERVED, Workload.ADMITTED);
        assertThat(admitted.phase()).isEqualTo(Phase.ADMITTED);
        assertThat(admitted.clusterQueue()).isEqualTo("cq");
        assertThat(admitted.admission()).isEqualTo(new Admission("cq", List.of(
                new PodSetAssignment("workers", Map.of("cpu", "default"), ResourceVector.of("cpu", 6.0), 3))));
    }

    @Test
    void bestEffortFifoSkipsAHeadThatDoesNotFitButStrictFifoBlocks() {
        for (String strategy : List.of(ClusterQueueInfo.BEST_EFFORT_FIFO, ClusterQueueInfo.STRICT_FIFO)) {
            InMemoryCluster c = oneQueue(strategy, "4");
            submit(c, "ns", "big", "lq", 10, pods(1, "6"));
            submit(c, "ns", "small-1", "lq", 1, pods(1, "1"));
            submit(c, "ns", "small-2", "lq", 1, pods(1, "1"));

            AdmissionResult r = c.admissionCycle();

            if (strategy.equals(ClusterQueueInfo.BEST_EFFORT_FIFO)) {
                assertThat(names(r.admitted())).as(strategy).containsExactly("small-1", "small-2");
                assertThat(r.inadmissible()).containsOnlyKeys(id("ns", "big"));
            } else {
                assertThat(r.admitted()).as(strategy).isEmpty();
                assertThat(r.inadmissible()).containsOnlyKeys(id("ns", "big"), id("ns", "small-1"), id("ns", "small-2"));
                assertThat(r.inadmissible().get(id("ns", "small-1"))).contains("StrictFIFO").contains("ns/big");
            }
        }
    }

    @Test
    void theQueuedOrderIsTheHeapOrder() {
        java.util.Random rnd = new java.util.Random(7);
        Instant t0 = clock.instant();
        List<Requests.Queued> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Workload.Builder b = Workload.builder("ns-" + rnd.nextInt(3), "w-" + rnd.nextInt(60),
                    t0.plusSeconds(rnd.nextInt(5))).uid("u-" + rnd.nextInt(4)).queueName("lq");
            if (rnd.nextBoolean()) {
                b.priority(rnd.nextInt(3) - 1);
            }
            if (rnd.nextInt(4) == 0) {
                b.priorityBoost(rnd.nextInt(3) - 1);
            }
            if (rnd.nextInt(5) == 0) {
                b.lastEvictionTime(t0.plusSeconds(rnd.nextInt(5)));
            }
            queued.add(new Requests.Queued(b.build(), "ns/lq", List.of(), null));
        }
        for (Requests.Queued a : queued) {
            for (Requests.Queued b : queued.subList(0, 60)) {
                assertThat(Integer.signum(KueueAdmissionModel.QUEUED_ORDER.compare(a, b)))
                        .isEqualTo(Integer.signum(ClusterQueueHeap.ORDER.compare(a.workload(), b.workload())));
            }
        }
    }

    @Test
    void withoutReasonsTheCyclesAdmitAndBlockTheSameButReportNoReason() {
        for (String strategy : List.of(ClusterQueueInfo.BEST_EFFORT_FIFO, ClusterQueueInfo.STRICT_FIFO)) {
            InMemoryCluster with = oneQueue(strategy, "4");
            InMemoryCluster without = InMemoryCluster.builder(clock).flavor("default").withoutInadmissibleReasons()
                    .clusterQueue("cq", null, strategy, ResourceQuota.of("default", "cpu", "4"))
                    .localQueue("ns", "lq", "cq").build();
            for (InMemoryCluster c : List.of(with, without)) {
                submit(c, "ns", "big", "lq", 10, pods(1, "6"));
                submit(c, "ns", "small-1", "lq", 1, pods(1, "1"));
                submit(c, "ns", "small-2", "lq", 3, pods(1, "2"));
                submit(c, "ns", "small-3", "lq", 2, pods(1, "2"));
                submit(c, "ns", "no-queue", "nope", 2, pods(1, "1"));
            }
            AdmissionResult a = with.admissionCycle();
            AdmissionResult b = without.admissionCycle();
            assertThat(a.inadmissible()).as(strategy).isNotEmpty();
            assertThat(b.inadmissible()).as(strategy).isEmpty();
            assertThat(b.admitted()).as(strategy).isEqualTo(a.admitted());
            assertThat(b.preempted()).as(strategy).isEqualTo(a.preempted());
            for (String n : List.of("big", "small-1", "small-2", "small-3", "no-queue")) {
                assertThat(without.workload(id("ns", n)).orElseThrow().phase()).as(strategy + " " + n)
                        .isEqualTo(with.workload(id("ns", n)).orElseThrow().phase());
            }
        }
    }

    @Test
    void strictFifoAdmitsInOrderUntilTheFirstMisfit() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.STRICT_FIFO, "4");
        submit(c, "ns", "a", "lq", 5, pods(1, "2"));
        submit(c, "ns", "b", "lq", 4, pods(1, "1"));
        submit(c, "ns", "c", "lq", 3, pods(1, "2"));
        submit(c, "ns", "d", "lq", 2, pods(1, "1"));
        assertThat(names(c.admissionCycle().admitted())).containsExactly("a", "b");
        // once the head fits again (quota freed), the queue moves on
        c.finish(id("ns", "a"));
        assertThat(names(c.admissionCycle().admitted())).containsExactly("c", "d");
    }

    @Test
    void quotaIsPerFlavorAndFlavorsAreTriedInQuotaOrder() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("spot").flavor("on-demand")
                .clusterQueue("cq", ResourceQuota.of("spot", "cpu", "2"), ResourceQuota.of("on-demand", "cpu", "3"))
                .localQueue("ns", "lq", "cq").build();
        for (int i = 0; i < 6; i++) {
            submit(c, "ns", "w" + i, "lq", null, pods(1, "1"));
        }
        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted())).containsExactly("w0", "w1", "w2", "w3", "w4");
        assertThat(r.inadmissible()).containsOnlyKeys(id("ns", "w5"));
        assertThat(r.inadmissible().get(id("ns", "w5"))).contains("flavor spot").contains("flavor on-demand");
        assertThat(flavorOf(c, "w0")).isEqualTo("spot");
        assertThat(flavorOf(c, "w1")).isEqualTo("spot");
        assertThat(flavorOf(c, "w2")).isEqualTo("on-demand");
        assertThat(flavorOf(c, "w4")).isEqualTo("on-demand");
    }

    private String flavorOf(InMemoryCluster c, String name) {
        return c.workload(id("ns", name)).orElseThrow().admission().podSetAssignments().get(0).flavors().get("cpu");
    }

    @Test
    void flavorFallbackWhenTheFirstIsTooSmallOrExcludedByNodeSelector() {
        InMemoryCluster c = InMemoryCluster.builder(clock)
                .flavor("small", Map.of("pool", "small")).flavor("large", Map.of("pool", "large"))
                .clusterQueue("cq", ResourceQuota.of("small", "cpu", "2"), ResourceQuota.of("large", "cpu", "8"))
                .localQueue("ns", "lq", "cq").build();
        submit(c, "ns", "too-big-for-small", "lq", 3, pods(1, "3"));
        c.submit(Workload.builder("ns", "wants-large", clock.instant()).queueName("lq").priority(2)
                .addPodSet(new PodSet("main", 1, null, List.of(ContainerSpec.app("c", Map.of("cpu", "1"))),
                        Map.of(), Map.of("pool", "large"), Map.of())).build());
        submit(c, "ns", "fits-small", "lq", 1, pods(1, "1"));

        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted())).containsExactly("too-big-for-small", "wants-large", "fits-small");
        assertThat(flavorOf(c, "too-big-for-small")).isEqualTo("large");
        assertThat(flavorOf(c, "wants-large")).isEqualTo("large");
        assertThat(flavorOf(c, "fits-small")).isEqualTo("small");
    }

    @Test
    void resourceGroupsGetTheirOwnFlavors() {
        // cpu/memory in group {default}; GPUs in group {a100, h100}
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default").flavor("a100").flavor("h100")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "64"), ResourceQuota.of("default", "memory", "256Gi"),
                        ResourceQuota.of("a100", "nvidia.com/gpu", "2"), ResourceQuota.of("h100", "nvidia.com/gpu", "4"))
                .localQueue("ns", "lq", "cq").build();
        submit(c, "ns", "g1", "lq", 2, PodSet.of("main", 1, Map.of("cpu", "4", "nvidia.com/gpu", "2")));
        submit(c, "ns", "g2", "lq", 1, PodSet.of("main", 2, Map.of("cpu", "4", "memory", "8Gi", "nvidia.com/gpu", "1")));
        c.admissionCycle();

        assertThat(c.workload(id("ns", "g1")).orElseThrow().admission().podSetAssignments().get(0).flavors())
                .isEqualTo(Map.of("cpu", "default", "nvidia.com/gpu", "a100"));
        assertThat(c.workload(id("ns", "g2")).orElseThrow().admission().podSetAssignments().get(0).flavors())
                .containsEntry("cpu", "default").containsEntry("memory", "default")
                .containsEntry("nvidia.com/gpu", "h100");
    }

    @Test
    void resourceNotCoveredByTheClusterQueueIsInadmissible() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "8");
        submit(c, "ns", "gpu", "lq", 5, PodSet.of("main", 1, Map.of("cpu", "1", "nvidia.com/gpu", "1")));
        submit(c, "ns", "cpu", "lq", 1, pods(1, "1"));
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("cpu");
        assertThat(r.inadmissible().get(id("ns", "gpu"))).contains("nvidia.com/gpu").contains("not covered");
    }

    @Test
    void brokenWorkloadsStayPendingWithAReasonAndDoNotStopOthers() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "8");
        submit(c, "ns", "bad-quantity", "lq", 9, pods(1, "1x"));
        submit(c, "ns", "no-queue", "missing", 9, pods(1, "1"));
        submit(c, "ns", "no-pod-sets", "lq", 9);
        submit(c, "ns", "good", "lq", 1, pods(1, "1"));
        c.submit(Workload.builder("ns", "inactive", clock.instant()).queueName("lq").active(false)
                .addPodSet(pods(1, "1")).build());
        c.submit(Workload.builder("ns", "gated", clock.instant()).queueName("lq")
                .annotations(Map.of(Workload.ADMISSION_GATED_BY, "someone")).addPodSet(pods(1, "1")).build());

        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted())).containsExactly("good");
        assertThat(r.inadmissible().get(id("ns", "bad-quantity")))
                .contains("spec.podSets[0]").contains("cpu").contains("'1x'");
        assertThat(r.inadmissible().get(id("ns", "no-queue"))).contains("LocalQueue ns/missing does not exist");
        assertThat(r.inadmissible().get(id("ns", "no-pod-sets"))).contains("no pod sets");
        // not admissible at all (Kueue's predicate): neither admitted nor listed
        assertThat(r.inadmissible()).doesNotContainKeys(id("ns", "inactive"), id("ns", "gated"));
        assertThat(c.workload(id("ns", "inactive")).orElseThrow().phase()).isEqualTo(Phase.PENDING);
    }

    @Test
    void finishFreesQuotaAndEvictRequeuesWithEvictionTime() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "2");
        submit(c, "ns", "first", "lq", null, pods(1, "2"));
        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "second", "lq", null, pods(1, "2"));
        assertThat(names(c.admissionCycle().admitted())).containsExactly("first");
        assertThat(c.admissionCycle().admitted()).isEmpty();

        assertThat(c.finish(id("ns", "first"))).isTrue();
        assertThat(c.workload(id("ns", "first")).orElseThrow().phase()).isEqualTo(Phase.FINISHED);
        assertThat(names(c.admissionCycle().admitted())).containsExactly("second");

        clock.advance(Duration.ofMinutes(5));
        assertThat(c.evict(id("ns", "second"))).isTrue();
        Workload evicted = c.workload(id("ns", "second")).orElseThrow();
        assertThat(evicted.phase()).isEqualTo(Phase.PENDING);
        assertThat(evicted.admission()).isNull();
        assertThat(evicted.trueConditions()).contains(InMemoryCluster.EVICTED)
                .doesNotContain(Workload.QUOTA_RESERVED, Workload.ADMITTED);
        assertThat(evicted.lastEvictionTime()).isEqualTo(clock.instant());
        assertThat(evicted.queueOrderTime()).isEqualTo(clock.instant());
        assertThat(c.evict(id("ns", "second"))).isFalse();

        // the evicted workload now queues behind a workload created before its eviction
        submit(c, "ns", "third", "lq", null, pods(1, "2"));
        Workload third = c.workload(id("ns", "third")).orElseThrow();
        assertThat(third.creationTime()).isEqualTo(evicted.lastEvictionTime());
        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "fourth", "lq", null, pods(1, "2"));
        AdmissionResult r = c.admissionCycle();
        assertThat(r.admitted()).hasSize(1);
        // same timestamp as "third": UID decides ("second" was submitted earlier, so its UID is smaller)
        assertThat(names(r.admitted())).containsExactly("second");
        assertThat(c.workload(id("ns", "second")).orElseThrow().trueConditions()).doesNotContain(InMemoryCluster.EVICTED);
    }

    @Test
    void cohortMembersBorrowUnusedNominalQuota() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq-a", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .clusterQueue("cq-b", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .clusterQueue("cq-c", ResourceQuota.of("default", "cpu", "4"))
                .localQueue("a", "lq", "cq-a").localQueue("b", "lq", "cq-b").localQueue("c", "lq", "cq-c").build();
        submit(c, "a", "a-big", "lq", null, pods(1, "6"));
        submit(c, "c", "c-big", "lq", null, pods(1, "6"));     // no cohort: cannot borrow
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("a-big");
        assertThat(r.inadmissible()).containsOnlyKeys(id("c", "c-big"));

        submit(c, "b", "b-3", "lq", null, pods(1, "3"));
        submit(c, "b", "b-2", "lq", null, pods(1, "2"));
        r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("b-2");  // 8 - 6 = 2 left in the cohort
        assertThat(r.inadmissible().get(id("b", "b-3"))).contains("available 2");

        c.finish(id("a", "a-big"));
        assertThat(names(c.admissionCycle().admitted())).containsExactly("b-3");
    }

    @Test
    void borrowingLimitCapsWhatAQueueTakesFromItsCohort() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq-a", "pool", null, quota("default", "cpu", "4", "1", null))
                .clusterQueue("cq-b", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .localQueue("a", "lq", "cq-a").build();
        submit(c, "a", "six", "lq", 2, pods(1, "6"));
        submit(c, "a", "five", "lq", 1, pods(1, "5"));
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("five");
        assertThat(r.inadmissible().get(id("a", "six"))).contains("available 5");
    }

    @Test
    void lendingLimitKeepsTheRestOfNominalPrivate() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq-a", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .clusterQueue("cq-b", "pool", null, quota("default", "cpu", "4", null, "1"))
                .localQueue("a", "lq", "cq-a").localQueue("b", "lq", "cq-b").build();
        submit(c, "a", "a-6", "lq", 2, pods(1, "6"));
        submit(c, "a", "a-5", "lq", 1, pods(1, "5"));
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("a-5");      // 4 own + 1 lent by cq-b
        // cq-b still has its 3 private CPUs although the cohort pool is exhausted
        submit(c, "b", "b-3", "lq", null, pods(1, "3"));
        submit(c, "b", "b-1", "lq", null, pods(1, "1"));
        r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("b-3");
        assertThat(r.inadmissible()).containsKey(id("b", "b-1"));
    }

    @Test
    void headsThatFitWithoutBorrowingGoFirstAcrossClusterQueues() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq-a", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .clusterQueue("cq-b", "pool", null, ResourceQuota.of("default", "cpu", "4"))
                .localQueue("a", "lq", "cq-a").localQueue("b", "lq", "cq-b").build();
        submit(c, "a", "a-borrows", "lq", 100, pods(1, "6"));
        submit(c, "b", "b-nominal", "lq", 1, pods(1, "4"));
        AdmissionResult r = c.admissionCycle();
        // cq-a sorts first by name and has the higher priority, but it needs to borrow
        assertThat(names(r.admitted())).containsExactly("b-nominal");
        assertThat(r.inadmissible()).containsOnlyKeys(id("a", "a-borrows"));
    }

    @Test
    void withinClusterQueueLowerPriorityPreemptsTheFewestLowestPriorityWorkloads() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", "4")),
                        null, "LowerPriority", null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
        submit(c, "ns", "p1", "lq", 1, pods(1, "1"));
        submit(c, "ns", "p2", "lq", 2, pods(1, "1"));
        submit(c, "ns", "p3-old", "lq", 3, pods(1, "1"));
        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "p3-new", "lq", 3, pods(1, "1"));
        assertThat(c.admissionCycle().admitted()).hasSize(4);

        clock.advance(Duration.ofSeconds(1));
        submit(c, "ns", "high", "lq", 10, pods(1, "2"));
        submit(c, "ns", "equal", "lq", 1, pods(1, "1"));       // cannot preempt p1 (same priority)
        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.preempted())).containsExactly("p1", "p2");
        assertThat(names(r.admitted())).containsExactly("high");
        assertThat(r.inadmissible()).containsOnlyKeys(id("ns", "equal"));
        assertThat(c.preemptions()).isEqualTo(2);
        Workload p1 = c.workload(id("ns", "p1")).orElseThrow();
        assertThat(p1.phase()).isEqualTo(Phase.PENDING);
        assertThat(p1.trueConditions()).contains(InMemoryCluster.EVICTED, InMemoryCluster.PREEMPTED);
        assertThat(p1.lastEvictionTime()).isNull();  // Kueue keeps the creation time as queue-order time

        // no preemption without the policy
        InMemoryCluster never = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "1");
        submit(never, "ns", "low", "lq", 1, pods(1, "1"));
        never.admissionCycle();
        submit(never, "ns", "high", "lq", 10, pods(1, "1"));
        assertThat(never.admissionCycle().admitted()).isEmpty();
        assertThat(never.preemptions()).isZero();
    }

    @Test
    void preemptionKeepsVictimsThatTurnOutNotToBeNeeded() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", "4")),
                        null, "LowerPriority", null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
        submit(c, "ns", "small", "lq", 1, pods(1, "1"));
        submit(c, "ns", "big", "lq", 2, pods(1, "3"));
        c.admissionCycle();
        submit(c, "ns", "high", "lq", 10, pods(1, "3"));
        AdmissionResult r = c.admissionCycle();
        // "small" is tried first (lowest priority) but evicting "big" alone is enough
        assertThat(names(r.preempted())).containsExactly("big");
        assertThat(c.workload(id("ns", "small")).orElseThrow().phase()).isEqualTo(Phase.ADMITTED);
    }

    @Test
    void quotaFreedByPreemptionIsOfferedToTheCohortInTheSameCycle() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq-a", "pool", List.of(ResourceQuota.of("default", "cpu", "4")),
                        null, "LowerPriority", null, null, 1.0))
                .clusterQueue("cq-b", "pool", ClusterQueueInfo.BEST_EFFORT_FIFO, ResourceQuota.of("default", "cpu", "0"))
                .localQueue("a", "lq", "cq-a").localQueue("b", "lq", "cq-b").build();
        submit(c, "a", "a-low", "lq", 0, pods(1, "4"));
        c.admissionCycle();
        submit(c, "b", "b-first", "lq", 20, pods(1, "2"));
        submit(c, "b", "b-second", "lq", 15, pods(1, "2"));   // same shape as b-first
        submit(c, "a", "a-high", "lq", 10, pods(1, "1"));
        AdmissionResult r = c.admissionCycle();
        // b-first is tried while the cohort is full; a-high then evicts a-low, and b-second borrows what is left
        assertThat(names(r.preempted())).containsExactly("a-low");
        assertThat(names(r.admitted())).containsExactly("a-high", "b-second");
        assertThat(r.inadmissible()).containsOnlyKeys(id("b", "b-first"));
    }

    @Test
    void preemptionPrefersTheMostRecentlyAdmittedAmongEqualPriorities() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", "2")),
                        null, "LowerPriority", null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
        submit(c, "ns", "early", "lq", 1, pods(1, "1"));
        c.admissionCycle();
        clock.advance(Duration.ofMinutes(1));
        submit(c, "ns", "late", "lq", 1, pods(1, "1"));
        c.admissionCycle();
        submit(c, "ns", "high", "lq", 5, pods(1, "1"));
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.preempted())).containsExactly("late");
        assertThat(names(r.admitted())).containsExactly("high");
    }

    @Test
    void lowerOrNewerEqualPriorityAlsoPreemptsNewerEqualPriorityWork() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "cpu", "1")),
                        null, "LowerOrNewerEqualPriority", null, null, 1.0))
                .localQueue("ns", "lq", "cq").build();
        Instant t0 = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        submit(c, "ns", "newer", "lq", 5, pods(1, "1"));
        c.admissionCycle();
        // an older workload of equal priority arrives (e.g. requeued with its original creation time)
        c.submit(Workload.builder("ns", "older", t0).queueName("lq").priority(5).addPodSet(pods(1, "1")).build());
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.preempted())).containsExactly("newer");
        assertThat(names(r.admitted())).containsExactly("older");
    }

    /**
     * DRF at the model level (Ghodsi et al., NSDI 2011): capacity ⟨9 CPU, 18 GiB⟩, user A runs ⟨1 CPU, 4 GiB⟩ tasks
     * (dominant: memory, 2/9 per task), user B ⟨3 CPU, 1 GiB⟩ tasks (dominant: CPU, 1/3 per task). Priorities set by
     * hand from the progressive-filling levels (the dominant share before adding the task): A1 0, B1 0, A2 .22,
     * B2 .33, A3 .44, A4 .67, B3 .67, A5 .89, B4 1.0, B5 1.33 — a lower level gets a higher priority.
     */
    @Test
    void drfOrderedPrioritiesMakeKueueAdmitThreeTasksOfAAndTwoOfB() {
        InMemoryCluster c = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "9"), ResourceQuota.of("default", "memory", "18Gi"))
                .localQueue("a", "lq", "cq").localQueue("b", "lq", "cq").build();
        // B submits first, so plain FIFO would favour B
        int[] bPriorities = {100, 80, 50, 30, 20};
        int[] aPriorities = {100, 90, 70, 50, 40};
        for (int i = 0; i < 5; i++) {
            submit(c, "b", "b" + (i + 1), "lq", bPriorities[i], pods(1, "3", "1Gi"));
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            submit(c, "a", "a" + (i + 1), "lq", aPriorities[i], pods(1, "1", "4Gi"));
        }

        AdmissionResult r = c.admissionCycle();

        assertThat(names(r.admitted())).containsExactly("b1", "a1", "a2", "b2", "a3");
        assertThat(r.admitted().stream().filter(i -> i.namespace().equals("a")).count()).isEqualTo(3);
        assertThat(r.admitted().stream().filter(i -> i.namespace().equals("b")).count()).isEqualTo(2);
        assertThat(c.admissionCycle().admitted()).as("no more room").isEmpty();
        ResourceVector used = c.snapshot().workloads().stream().filter(w -> w.phase() == Phase.ADMITTED)
                .map(w -> w.admission().totalUsage()).reduce(ResourceVector.empty(), ResourceVector::plus);
        assertThat(used.get("cpu")).isEqualTo(9.0);
        assertThat(used.get("memory")).isEqualTo(14.0 * 1024 * 1024 * 1024);

        // contrast: the same tasks without priorities are admitted FIFO, and B takes all CPUs
        InMemoryCluster fifo = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "9"), ResourceQuota.of("default", "memory", "18Gi"))
                .localQueue("a", "lq", "cq").localQueue("b", "lq", "cq").build();
        for (int i = 0; i < 5; i++) {
            submit(fifo, "b", "b" + (i + 1), "lq", null, pods(1, "3", "1Gi"));
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            submit(fifo, "a", "a" + (i + 1), "lq", null, pods(1, "1", "4Gi"));
        }
        assertThat(names(fifo.admissionCycle().admitted())).containsExactly("b1", "b2", "b3");
    }

    @Test
    void sameInputGivesTheSameResult() {
        AdmissionResult first = null;
        for (int run = 0; run < 2; run++) {
            ManualClock cl = ManualClock.at("2026-01-01T00:00:00Z");
            InMemoryCluster c = InMemoryCluster.builder(cl).flavor("f1").flavor("f2")
                    .clusterQueue("cq-a", "pool", null, ResourceQuota.of("f1", "cpu", "3"), ResourceQuota.of("f2", "cpu", "2"))
                    .clusterQueue("cq-b", "pool", ClusterQueueInfo.STRICT_FIFO, ResourceQuota.of("f1", "cpu", "2"))
                    .localQueue("a", "lq", "cq-a").localQueue("b", "lq", "cq-b").build();
            for (int i = 0; i < 6; i++) {
                c.submit(Workload.builder(i % 2 == 0 ? "a" : "b", "w" + i, cl.instant()).queueName("lq")
                        .priority(i % 3).addPodSet(pods(1, Integer.toString(1 + i % 2))).build());
            }
            AdmissionResult r = c.admissionCycle();
            if (first == null) {
                first = r;
            } else {
                assertThat(r).isEqualTo(first);
            }
        }
        assertThat(first.admitted()).isNotEmpty();
    }

    @Test
    void admittedWorkloadSubmittedWithAnAdmissionHoldsItsQuota() {
        InMemoryCluster c = oneQueue(ClusterQueueInfo.BEST_EFFORT_FIFO, "4");
        c.submit(Workload.builder("ns", "running", clock.instant()).queueName("lq")
                .addPodSet(pods(1, "3")).condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission("cq", List.of(new PodSetAssignment("main", Map.of("cpu", "default"),
                        ResourceVector.of("cpu", 3.0), 1)))).build());
        submit(c, "ns", "two", "lq", 5, pods(1, "2"));
        submit(c, "ns", "one", "lq", 1, pods(1, "1"));
        AdmissionResult r = c.admissionCycle();
        assertThat(names(r.admitted())).containsExactly("one");
        assertThat(r.inadmissible().get(id("ns", "two"))).contains("available 1");
    }
}
