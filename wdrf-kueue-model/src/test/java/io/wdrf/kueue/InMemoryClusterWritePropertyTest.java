package io.wdrf.kueue;

import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InMemoryCluster#apply} builds the written workload once and carries its projection over; this compares it,
 * over random updates of every target (with and without explanation, annotations set and removed, the boost
 * annotation among them) on workloads with and without a boost, a priority, a LocalQueue mapping, interleaved with
 * LocalQueue changes, against the write spelled out with the builder: same stored fields, a new resourceVersion
 * exactly when something changed, and the snapshot showing what {@code workload(id)} shows.
 */
class InMemoryClusterWritePropertyTest {

    private static final String[] KEYS = {PriorityUpdate.WRITTEN_ANNOTATION, "x", Workload.PRIORITY_BOOST};

    @Test
    void writesEqualTheBuilderSpelledOutWrite() {
        for (long seed = 1; seed <= 5; seed++) {
            run(new Random(seed));
        }
    }

    private void run(Random rnd) {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        InMemoryCluster cluster = InMemoryCluster.builder(clock)
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "8"))
                .clusterQueue("cq2", ResourceQuota.of("default", "cpu", "8"))
                .localQueue("a", "q", "cq").localQueue("b", "q", "cq2").build();
        List<WorkloadId> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Workload.Builder b = Workload.builder(i % 3 == 0 ? "b" : "a", "w" + i, clock.instant())
                    .queueName(i % 4 == 3 ? "missing" : "q").podSets(List.of(PodSet.of("main", 1, Map.of("cpu", "1"))));
            if (rnd.nextBoolean()) {
                b.priority(rnd.nextInt(50));
            }
            if (rnd.nextInt(3) == 0) {
                b.priorityBoost(rnd.nextInt(5));
            }
            if (rnd.nextBoolean()) {
                b.annotations(Map.of("x", "1"));
            }
            ids.add(cluster.submit(b.build()).id());
        }
        Map<WorkloadId, Integer> writes = new HashMap<>();
        for (int step = 0; step < 300; step++) {
            if (rnd.nextInt(25) == 0) { // remap a LocalQueue: the projection must follow
                cluster.putLocalQueue(new LocalQueueInfo("a", "q", rnd.nextBoolean() ? "cq" : "cq2"));
            }
            WorkloadId id = ids.get(rnd.nextInt(ids.size()));
            Workload stored = cluster.workload(id).orElseThrow();
            PriorityTarget target = PriorityTarget.values()[rnd.nextInt(PriorityTarget.values().length)];
            int value = rnd.nextInt(4) == 0 ? (target == PriorityTarget.PRIORITY_BOOST
                    ? nullAs0(stored.priorityBoost()) : nullAs0(stored.priority())) : rnd.nextInt(60);
            String explanation = rnd.nextInt(3) == 0 ? "e" + rnd.nextInt(2) : null;
            Map<String, String> ann = new TreeMap<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                String key = KEYS[rnd.nextInt(KEYS.length)];
                ann.put(key, rnd.nextInt(4) == 0 ? null : key.equals(Workload.PRIORITY_BOOST)
                        ? Integer.toString(rnd.nextInt(5)) : "v" + rnd.nextInt(3));
            }
            PriorityUpdate u = new PriorityUpdate(id, stored.uid(), target, value, null, explanation, ann);
            Workload expected = expectedWrite(stored, u);
            boolean changes = !expected.toBuilder().resourceVersion(stored.resourceVersion()).build().equals(stored);
            assertThat(cluster.apply(List.of(u)).items()).singleElement()
                    .satisfies(i -> assertThat(i.outcome()).isEqualTo(WriteOutcome.WRITTEN));
            writes.merge(id, 1, Integer::sum);
            Workload after = cluster.workload(id).orElseThrow();
            assertThat(after.toBuilder().resourceVersion(null).build())
                    .as("step %d: %s", step, u).isEqualTo(expected.toBuilder().resourceVersion(null).build());
            if (changes) {
                assertThat(after.resourceVersion()).isNotEqualTo(stored.resourceVersion());
            } else {
                assertThat(after).isSameAs(stored);
            }
            assertThat(cluster.snapshot().workloads()).filteredOn(w -> w.id().equals(id)).singleElement().isEqualTo(after);
            assertThat(cluster.writeCount(id)).isEqualTo(writes.get(id));
        }
        assertThat(cluster.indexesConsistent()).isTrue();
    }

    private static int nullAs0(Integer v) {
        return v == null ? 0 : v;
    }

    /** The write spelled out with the builder (the pre-issue-14 implementation), projected as a snapshot shows it. */
    private static Workload expectedWrite(Workload stored, PriorityUpdate u) {
        Workload.Builder b = stored.toBuilder();
        switch (u.target()) {
            case SPEC_PRIORITY -> b.priority(u.value());
            case PRIORITY_BOOST -> b.priorityBoost(u.value());
            default -> { }
        }
        if (u.explanation() != null || !u.annotations().isEmpty()) {
            TreeMap<String, String> ann = new TreeMap<>(stored.annotations());
            if (u.explanation() != null) {
                ann.put(PriorityUpdate.EXPLANATION_ANNOTATION, u.explanation());
            }
            u.annotations().forEach((k, v) -> {
                if (v == null) {
                    ann.remove(k);
                } else {
                    ann.put(k, v);
                }
            });
            b.annotations(ann);
        }
        Workload w = b.build();
        // the boost field and annotation kept consistent, the field winning
        String boostAnn = w.annotations().get(Workload.PRIORITY_BOOST);
        if (w.priorityBoost() != null) {
            if (!Integer.toString(w.priorityBoost()).equals(boostAnn)) {
                TreeMap<String, String> m = new TreeMap<>(w.annotations());
                m.put(Workload.PRIORITY_BOOST, Integer.toString(w.priorityBoost()));
                w = w.toBuilder().annotations(m).build();
            }
        } else if (boostAnn != null) {
            try {
                w = w.toBuilder().priorityBoost(Integer.parseInt(boostAnn.trim())).build();
            } catch (NumberFormatException ignored) {
                // stays as written
            }
        }
        return w; // the stored workload was projected already: writes change neither queue nor admission
    }
}
