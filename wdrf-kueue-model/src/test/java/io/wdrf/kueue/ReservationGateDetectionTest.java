package io.wdrf.kueue;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
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
 * {@code starvation.reserve = auto}: reservations detect a Kueue that ignores {@code admission-gated-by} (older than
 * v0.19, or {@code AdmissionGatedBy} off) by watching gated workloads get admitted, and then take their gates back.
 */
class ReservationGateDetectionTest {

    private static final String GATE = Workload.ADMISSION_GATED_BY;
    private static final WorkloadId SMALL1 = new WorkloadId("c", "small1");
    private static final WorkloadId SMALL2 = new WorkloadId("c", "small2");
    private static final WorkloadId SMALL3 = new WorkloadId("c", "small3");
    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final Instant t0 = clock.instant();

    private InMemoryCluster cluster(boolean kueueHonoursGate) {
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"))
                .namespace("a").namespace("b").namespace("c")
                .localQueue("a", "lq", "cq").localQueue("b", "lq", "cq").localQueue("c", "lq", "cq");
        return kueueHonoursGate ? b.build() : b.ignoreAdmissionGate().build();
    }

    private Reconciler reconciler(InMemoryCluster c, ReservationSettings.Mode mode) {
        WdrfEngine engine = WdrfEngine.builder().clock(clock).policy("fifo")
                .config(PolicyConfig.builder().capacitySource("quota").maxAgingTime(Duration.ofHours(24)).build()).build();
        return Reconciler.builder(c, c, engine).settings(ReconcilerSettings.defaults())
                .reservations(new ReservationSettings(mode, Duration.ofHours(24), 10)).build();
    }

    private static Workload job(String ns, String name, Instant t, int cpu) {
        return Workload.builder(ns, name, t).uid(ns + "-" + name).queueName("lq")
                .podSets(List.of(PodSet.of("main", 1, Map.of("cpu", String.valueOf(cpu))))).build();
    }

    /**
     * a/run holds 4 of 8 CPU, b/big (6 CPU) waited 25 h, two 2-CPU jobs behind it get gated; then each cycle 30 s
     * apart, with one admission cycle of Kueue between the second and the third.
     */
    private Reconciler starveAndGate(InMemoryCluster c, ReservationSettings.Mode mode) {
        Reconciler r = starve(c, 4, 6, mode);
        r.runOnce(); // gates small1, small2
        assertThat(gate(c, SMALL1)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
        assertThat(gate(c, SMALL2)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
        clock.advance(Duration.ofSeconds(30));
        r.runOnce(); // sees both pending with the gate on
        c.admissionCycle();
        clock.advance(Duration.ofSeconds(30));
        r.runOnce();
        return r;
    }

    /** a/run holds {@code runCpu} of 8 CPU, b/big ({@code bigCpu}) has waited 25 h, c/small1 and c/small2 (2 CPU) behind. */
    private Reconciler starve(InMemoryCluster c, int runCpu, int bigCpu, ReservationSettings.Mode mode) {
        c.submit(job("a", "run", t0, runCpu));
        c.admissionCycle();
        c.submit(job("b", "big", t0, bigCpu));
        clock.advance(Duration.ofHours(25));
        c.submit(job("c", "small1", clock.instant(), 2));
        c.submit(job("c", "small2", clock.instant(), 2));
        return reconciler(c, mode);
    }

    private static String gate(InMemoryCluster c, WorkloadId id) {
        return c.workload(id).orElseThrow().annotations().get(GATE);
    }

    @Test
    void aKueueThatHonoursTheGateIsNeverTakenForOneThatIgnoresIt() {
        InMemoryCluster c = cluster(true);
        Reconciler r = starveAndGate(c, ReservationSettings.Mode.AUTO);
        assertThat(r.reservationGateIgnored()).isFalse();
        assertThat(c.workload(SMALL1).orElseThrow().isAdmissible()).isFalse();
        assertThat(gate(c, SMALL1)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
    }

    @Test
    void autoDetectsAnIgnoredGateThenRemovesEveryGateAndStopsReserving() {
        InMemoryCluster c = cluster(false);
        Reconciler r = starveAndGate(c, ReservationSettings.Mode.AUTO);
        assertThat(c.workload(SMALL1).orElseThrow().isAdmissible()).isFalse();
        assertThat(r.reservationGateIgnored()).as("two workloads admitted through the gate").isTrue();
        assertThat(gate(c, SMALL1)).as("gates taken back, admitted or not").isNull();
        assertThat(gate(c, SMALL2)).isNull();
        assertThat(c.workload(SMALL1).orElseThrow().annotations()).doesNotContainKey(PriorityUpdate.RESERVED_FOR_ANNOTATION);
        c.submit(job("c", "small3", clock.instant(), 2));
        clock.advance(Duration.ofSeconds(30));
        assertThat(r.runOnce().reservationsHeld()).as("no reservation is made again").isZero();
        assertThat(gate(c, SMALL3)).isNull();
    }

    @Test
    void onKeepsGatingAndOnlyReportsTheIgnoredGate() {
        InMemoryCluster c = cluster(false);
        Reconciler r = starveAndGate(c, ReservationSettings.Mode.ON);
        assertThat(r.reservationGateIgnored()).isTrue();
        c.submit(job("c", "small3", clock.instant(), 2));
        clock.advance(Duration.ofSeconds(30));
        assertThat(r.runOnce().reservationsHeld()).isEqualTo(1);
        assertThat(gate(c, SMALL3)).isEqualTo(PriorityUpdate.RESERVATION_GATE);
    }

    @Test
    void oneWorkloadAdmittedThroughTheGateIsNotEnough() {
        InMemoryCluster c = cluster(false);
        Reconciler r = starve(c, 6, 4, ReservationSettings.Mode.AUTO);
        r.runOnce();
        clock.advance(Duration.ofSeconds(30));
        r.runOnce();
        assertThat(c.admissionCycle().admitted()).as("2 CPU free: one of them").hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        r.runOnce();
        assertThat(r.reservationGateIgnored()).isFalse();
    }
}
