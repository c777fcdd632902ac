package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WorkloadTable} against a {@code HashMap} of the same fill, over refills of changing size. */
class WorkloadTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PendingWorkload pending(String ns, String name) {
        Workload w = Workload.builder(ns, name, T0).queueName("q").build();
        return new PendingWorkload(w, ns, "normal", ResourceVector.of(Map.of("cpu", 1.0)), 0, Duration.ZERO);
    }

    @Test
    void lookupsEqualAHashMapOfTheFillByIdentityAndByEquality() {
        Random rnd = new Random(7);
        WorkloadTable table = new WorkloadTable();
        for (int round = 0; round < 60; round++) {
            int n = round % 10 == 9 ? 0 : rnd.nextInt(round % 3 == 0 ? 3000 : 40);
            List<PendingWorkload> fill = new ArrayList<>();
            Map<WorkloadId, Workload> expected = new HashMap<>();
            for (int i = 0; i < n; i++) {
                PendingWorkload p = pending("ns" + rnd.nextInt(5), "w" + rnd.nextInt(5000));
                if (expected.putIfAbsent(p.id(), p.workload()) == null) {
                    fill.add(p);
                }
            }
            table.fill(fill);
            assertThat(table.size()).isEqualTo(expected.size());
            for (PendingWorkload p : fill) {
                assertThat(table.get(p.id())).isSameAs(p.workload()); // the very id object
                WorkloadId copy = new WorkloadId(p.id().namespace(), p.id().name()); // equal, another object
                assertThat(table.get(copy)).isSameAs(p.workload());
                assertThat(table.containsKey(copy)).isTrue();
            }
            for (int k = 0; k < 200; k++) {
                WorkloadId probe = new WorkloadId("ns" + rnd.nextInt(6), "w" + rnd.nextInt(6000));
                assertThat(table.get(probe)).isSameAs(expected.get(probe));
                assertThat(table.containsKey(probe)).isEqualTo(expected.containsKey(probe));
            }
        }
    }

    @Test
    void aRefillForgetsTheLastFill() {
        WorkloadTable table = new WorkloadTable();
        PendingWorkload a = pending("a", "1");
        PendingWorkload b = pending("a", "2");
        table.fill(List.of(a, b));
        assertThat(table.get(a.id())).isSameAs(a.workload());
        table.fill(List.of(b));
        assertThat(table.get(a.id())).isNull();
        assertThat(table.get(new WorkloadId("a", "1"))).isNull();
        assertThat(table.get(b.id())).isSameAs(b.workload());
        assertThat(table.size()).isEqualTo(1);
    }
}
