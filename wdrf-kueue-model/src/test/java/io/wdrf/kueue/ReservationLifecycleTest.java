package io.wdrf.kueue;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.ManualClock;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.ReservationSettings;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starvation reservations through the in-memory Kueue model (which honours {@code kueue.x-k8s.io/admission-gated-by}):
 * set, EASY-backfill exception, release on admission, timeout, a foreign gate left alone, and a restarted controller
 * that finds its gates in place.
 */
class ReservationLifecycleTest {

    private static final String GATE = Workload.ADMISSION_GATED_BY;
    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final Instant t0 = clock.instant();

    private InMemoryCluster cluster() {
        return InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"))
                .namespace("a").namespace("b").namespace("c")
                .localQueue("a", "lq", "cq").localQueue("b", "lq", "cq").localQueue("c", "lq", "cq").build();
    }

    private Reconciler reconciler(InMemoryCluster c, Duration timeout) {
        WdrfEngine engine = WdrfEngine.builder().clock(clock).policy("fifo")
                .config(PolicyConfig.builder().capacitySource("quota").maxAgingTime(Duration.ofHours(24)).build()).build();
        return Reconciler.builder(c, c, engine).settings(ReconcilerSettings.defaults())
                .reservations(new ReservationSettings(true, timeout, 10)).build();
    }

    private static Workload job(String ns, String name, Instant t, int cpu, Map<String, String> labels,
                                Map<String, String> annotations) {
        return Workload.builder(ns, name, t).uid(ns + "-" + name).queueName("lq").labels(labels).annotations(annotations)
                .podSets(List.of(PodSet.of("main", 1, Map.of("cpu", String.valueOf(cpu))))).build();
    }

    private static final WorkloadId RUN = new WorkloadId("a", "run");
    private static final WorkloadId BIG = new WorkloadId("b", "big");
    private static final WorkloadId SMALL = new WorkloadId("c", "small");
    private static final WorkloadId SHORT = new WorkloadId("c", "short");
    private static final WorkloadId FOREIGN = new WorkloadId("c", "foreign");

    /** a/run holds 6 of 8 CPU (at most 30 h); b/big (4 CPU) has waited 25 h; small ones arrive behind it. */
    private InMemoryCluster starved() {
        InMemoryCluster c = cluster();
        c.submit(job("a", "run", t0, 6, Map.of("kueue.x-k8s.io/max-exec-time-seconds", "108000"), Map.of()));
        c.admissionCycle();
        c.submit(job("b", "big", t0, 4, Map.of(), Map.of()));
        clock.advance(Duration.ofHours(25));
        c.submit(job("c", "small", clock.instant(), 2, Map.of(), Map.of()));
        c.submit(job("c", "short", clock.instant(), 2, Map.of("kueue.x-k8s.io/max-exec-time-seconds", "600"), Map.of()));
        c.submit(job("c", "foreign", clock.instant(), 2, Map.of(), Map.of(GATE, "example.com/other")));
        return c;
    }

    private static String gate(InMemoryCluster c, WorkloadId id) {
        return c.workload(id).orElseThrow().annotations().get(GATE);
    }

    @Test
    void withoutAReservationSmallerJobsBackfillPastTheStarvedOne() {
        InMemoryCluster c = starved();
        WdrfEngine engine = WdrfEngine.builder().clock(clock).policy("fifo")
                .config(PolicyConfig.builder().capacitySource("quota").build()).build();
        Reconciler.builder(c, c, engine).build().runOnce();
        assertThat(c.admissionCycle().admitted()).as("a 2-CPU job takes what b/big lacks").hasSize(1).doesNotContain(BIG);
    }

    @Test
    void setGatesWhatWouldTakeTheMissingCapacityExceptBackfillAndForeignGates() {
        InMemoryCluster c = starved();
        CycleReport r = reconciler(c, Duration.ofHours(24)).runOnce();
        assertThat(r.reservationsHeld()).isEqualTo(1);
        assertThat(gate(c, SMALL)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
        assertThat(c.workload(SMALL).orElseThrow().annotations()).containsEntry(PriorityUpdate.RESERVED_FOR_ANNOTATION, "b/big");
        assertThat(gate(c, SHORT)).as("ends (10 min) before b/big can start (a/run may run 30 h)").isNull();
        assertThat(gate(c, FOREIGN)).isEqualTo("example.com/other");
        assertThat(c.events()).anySatisfy(e -> {
            assertThat(e.workloadId()).isEqualTo(SMALL);
            assertThat(e.reason()).isEqualTo("ReservationGated");
        });
        List<WorkloadId> admitted = c.admissionCycle().admitted();
        assertThat(admitted).contains(SHORT).doesNotContain(SMALL, BIG, FOREIGN);
    }

    @Test
    void gatesAreReleasedOnceTheReservedWorkloadIsAdmitted() {
        InMemoryCluster c = starved();
        Reconciler r = reconciler(c, Duration.ofHours(24));
        r.runOnce();
        c.admissionCycle(); // short backfills
        c.finish(RUN);
        c.delete(RUN);
        c.finish(SHORT);
        c.delete(SHORT);
        assertThat(c.admissionCycle().admitted()).containsExactly(BIG);
        CycleReport after = r.runOnce();
        assertThat(gate(c, SMALL)).isNull();
        assertThat(c.workload(SMALL).orElseThrow().annotations()).doesNotContainKey(PriorityUpdate.RESERVED_FOR_ANNOTATION);
        assertThat(gate(c, FOREIGN)).isEqualTo("example.com/other");
        assertThat(after.reservationsHeld()).isZero();
        assertThat(c.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("ReservationReleased"));
        assertThat(c.admissionCycle().admitted()).contains(SMALL);
    }

    @Test
    void theReconcilerNamesTheWorkloadsItHoldsReservationsFor() {
        InMemoryCluster c = starved();
        Reconciler r = reconciler(c, Duration.ofHours(24));
        assertThat(r.reservationHeads()).isEmpty();
        r.runOnce();
        assertThat(r.reservationHeads()).containsExactly(BIG);
        c.delete(BIG);
        r.runOnce();
        assertThat(r.reservationHeads()).isEmpty();
    }

    @Test
    void gatesAreReleasedWhenTheReservedWorkloadIsDeleted() {
        InMemoryCluster c = starved();
        Reconciler r = reconciler(c, Duration.ofHours(24));
        r.runOnce();
        c.delete(BIG);
        r.runOnce();
        assertThat(gate(c, SMALL)).isNull();
    }

    @Test
    void aReservationTimesOut() {
        InMemoryCluster c = starved();
        Reconciler r = reconciler(c, Duration.ofHours(2));
        r.runOnce();
        assertThat(gate(c, SMALL)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
        clock.advance(Duration.ofHours(2)); // big starved at 24 h, now 27 h: past 24 h + 2 h
        CycleReport late = r.runOnce();
        assertThat(gate(c, SMALL)).isNull();
        assertThat(late.reservationsHeld()).isZero();
    }

    @Test
    void aRestartedControllerKeepsTheGatesItWantsAndReleasesTheRest() {
        InMemoryCluster c = starved();
        reconciler(c, Duration.ofHours(24)).runOnce();
        long writes = c.totalWrites();
        CycleReport fresh = reconciler(c, Duration.ofHours(24)).runOnce(); // a new controller, same cluster
        assertThat(fresh.reservationsHeld()).isEqualTo(1);
        assertThat(gate(c, SMALL)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
        assertThat(c.totalWrites()).as("nothing to change").isEqualTo(writes);
        c.delete(BIG);
        reconciler(c, Duration.ofHours(24)).runOnce();
        assertThat(gate(c, SMALL)).isNull();
        assertThat(gate(c, FOREIGN)).isEqualTo("example.com/other");
    }
}
