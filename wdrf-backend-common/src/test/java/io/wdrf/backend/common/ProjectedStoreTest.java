package io.wdrf.backend.common;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectedStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    private static Projected<Workload> wl(String ns, String name, int prio) {
        Workload w = Workload.builder(ns, name, T0).uid("u-" + name).priority(prio)
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1"))).build();
        return Projected.ok(ResourceKind.WORKLOAD, ns, name, w);
    }

    private static Projected<Workload> bad(String ns, String name) {
        return Projected.bad(ResourceKind.WORKLOAD, ns, name, "spec.podSets: is missing");
    }

    @Test
    void lateDeleteOfAnOlderIncarnationKeepsTheRecreatedObject() {
        ProjectedStore s = new ProjectedStore();
        s.put(wl("a", "w1", 1)); // uid u-w1
        assertThat(s.remove(ResourceKind.WORKLOAD, "a", "w1", "u-previous")).as("delete of the old object").isFalse();
        assertThat(s.workload(new WorkloadId("a", "w1"))).isNotNull();
        assertThat(s.remove(ResourceKind.WORKLOAD, "a", "w1", "u-w1")).isTrue();
        s.put(wl("a", "w1", 1));
        assertThat(s.remove(ResourceKind.WORKLOAD, "a", "w1", "")).as("unknown uid removes").isTrue();
    }

    @Test
    void putReplaceRemoveAndInvalidTransitions() {
        ProjectedStore s = new ProjectedStore();
        AtomicInteger calls = new AtomicInteger();
        s.addChangeListener(calls::incrementAndGet);

        assertThat(s.put(wl("a", "w1", 1))).isTrue();
        assertThat(s.put(wl("a", "w1", 1))).as("identical re-put is no change").isFalse();
        assertThat(s.put(wl("a", "w1", 2))).isTrue();
        assertThat(s.workload(new WorkloadId("a", "w1")).priority()).isEqualTo(2);

        assertThat(s.put(bad("a", "w1"))).isTrue();
        assertThat(s.workload(new WorkloadId("a", "w1"))).isNull();
        assertThat(s.invalid(ResourceKind.WORKLOAD, "a", "w1").reason()).isEqualTo("spec.podSets: is missing");
        assertThat(s.put(bad("a", "w1"))).isFalse();

        assertThat(s.put(wl("a", "w1", 3))).isTrue();
        assertThat(s.invalid(ResourceKind.WORKLOAD, "a", "w1")).isNull();

        assertThat(s.remove(ResourceKind.WORKLOAD, "a", "w1")).isTrue();
        assertThat(s.remove(ResourceKind.WORKLOAD, "a", "w1")).isFalse();
        assertThat(calls.get()).isEqualTo(5);
        assertThat(s.version()).isEqualTo(5);
    }

    @Test
    void snapshotIsSortedImmutableAndListsInvalid() {
        ProjectedStore s = new ProjectedStore();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            names.add(String.format("w%02d", i));
        }
        Collections.shuffle(names, new Random(3));
        for (String n : names) {
            s.put(wl("ns", n, 0));
        }
        s.put(bad("ns", "broken"));
        s.put(Projected.ok(ResourceKind.LOCAL_QUEUE, "ns", "q", new LocalQueueInfo("ns", "q", "cq")));
        ClusterSnapshot snap = s.snapshot(new ManualClock(T0));
        assertThat(snap.takenAt()).isEqualTo(T0);
        assertThat(snap.workloads()).hasSize(50);
        assertThat(snap.workloads()).extracting(w -> w.id().name()).isSorted();
        assertThat(snap.localQueues()).containsExactly(new LocalQueueInfo("ns", "q", "cq"));
        assertThat(snap.invalid()).singleElement().satisfies(i -> assertThat(i.toString())
                .isEqualTo("Workload ns/broken: spec.podSets: is missing"));
        assertThatThrownBy(() -> snap.workloads().clear()).isInstanceOf(UnsupportedOperationException.class);
        s.remove(ResourceKind.WORKLOAD, "ns", "w00");
        assertThat(snap.workloads()).hasSize(50);
        assertThat(s.snapshot(new ManualClock(T0)).workloads()).hasSize(49);
    }

    @Test
    void repeatedSnapshotsShareUnchangedListsAndSeeEveryChange() {
        ProjectedStore s = new ProjectedStore();
        s.put(wl("a", "w1", 1));
        s.put(Projected.ok(ResourceKind.LOCAL_QUEUE, "a", "q", new LocalQueueInfo("a", "q", "cq")));
        ClusterSnapshot first = s.snapshot(new ManualClock(T0));
        ClusterSnapshot second = s.snapshot(new ManualClock(T0.plusSeconds(1)));
        assertThat(second.takenAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(second.workloads()).isSameAs(first.workloads());
        s.put(wl("a", "w2", 1));
        ClusterSnapshot third = s.snapshot(new ManualClock(T0));
        assertThat(third.workloads()).hasSize(2).isNotSameAs(first.workloads());
        assertThat(third.localQueues()).as("unchanged kind shared").isSameAs(first.localQueues());
        assertThat(first.workloads()).hasSize(1);
        s.put(bad("a", "w2"));
        ClusterSnapshot fourth = s.snapshot(new ManualClock(T0));
        assertThat(fourth.workloads()).hasSize(1);
        assertThat(fourth.invalid()).hasSize(1);
        s.remove(ResourceKind.WORKLOAD, "a", "w2");
        assertThat(s.snapshot(new ManualClock(T0)).invalid()).isEmpty();
        s.replaceAll(ResourceKind.WORKLOAD, List.of());
        assertThat(s.snapshot(new ManualClock(T0)).workloads()).isEmpty();
    }

    @Test
    void replaceAllDropsVanishedObjects() {
        ProjectedStore s = new ProjectedStore();
        s.put(wl("a", "w1", 1));
        s.put(wl("a", "w2", 1));
        s.put(bad("a", "w3"));
        assertThat(s.replaceAll(ResourceKind.WORKLOAD, List.of(wl("a", "w2", 1), wl("a", "w4", 1)))).isTrue();
        assertThat(s.keys(ResourceKind.WORKLOAD)).containsExactly("a/w2", "a/w4");
        assertThat(s.replaceAll(ResourceKind.WORKLOAD, List.of(wl("a", "w2", 1), wl("a", "w4", 1)))).isFalse();
        assertThatThrownBy(() -> s.replaceAll(ResourceKind.NODE, List.of(wl("a", "w2", 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listenersFailIndependentlyAndStopAfterClose() throws Exception {
        List<RuntimeException> errors = new ArrayList<>();
        ProjectedStore s = new ProjectedStore(errors::add);
        AtomicInteger ok = new AtomicInteger();
        s.addChangeListener(() -> {
            throw new IllegalStateException("boom");
        });
        AutoCloseable handle = s.addChangeListener(ok::incrementAndGet);
        s.put(wl("a", "w1", 1));
        assertThat(ok.get()).isEqualTo(1);
        assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
        handle.close();
        s.put(wl("a", "w1", 2));
        assertThat(ok.get()).isEqualTo(1);
        AtomicInteger after = new AtomicInteger();
        s.addChangeListener(after::incrementAndGet);
        s.close();
        s.put(wl("a", "w1", 3));
        assertThat(after.get()).isZero();
        assertThat(s.workload(new WorkloadId("a", "w1")).priority()).isEqualTo(3);
    }

    @Test
    void concurrentWritersNeverLoseUpdates() throws Exception {
        ProjectedStore s = new ProjectedStore();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int tt = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    s.put(wl("ns" + tt, "w" + i, i));
                    if (i % 50 == 0) {
                        assertThat(s.snapshot(new ManualClock(T0)).workloads().size()).isGreaterThan(0);
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(s.size(ResourceKind.WORKLOAD)).isEqualTo(2000);
    }
}
