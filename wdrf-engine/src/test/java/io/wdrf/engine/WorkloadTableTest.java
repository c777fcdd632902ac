package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkloadTable} edited cycle by cycle against a from-scratch map of the same pending list, over random
 * sequences of removals, insertions, new objects for the same id (same or an equal id object), new pending workloads
 * for the same workload object (a later instant: one, or all of them at once), wholesale changes, growth and
 * shrinkage, and lists that break the id order.
 */
class WorkloadTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PendingWorkload pending(WorkloadId id, int priority) {
        Workload w = new Workload(id, "", null, "q", null, Map.of(), Map.of(), T0, null, List.of(), priority, null, null,
                true, null, null);
        return new PendingWorkload(w, id.namespace(), "normal", ResourceVector.of(Map.of("cpu", 1.0)), 0, Duration.ZERO);
    }

    /** The same workload object in a new pending workload (its wait moved). */
    private static PendingWorkload later(PendingWorkload p, Random rnd) {
        return new PendingWorkload(p.workload(), p.tenant(), p.workloadClass(), p.demand(), p.level(),
                p.waited().plusSeconds(1 + rnd.nextInt(60)));
    }

    @Test
    void editedTableEqualsAMapOfTheCurrentList() {
        int paired = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Random rnd = new Random(seed);
            WorkloadTable table = new WorkloadTable();
            List<PendingWorkload> last = List.of();
            TreeMap<WorkloadId, PendingWorkload> now = new TreeMap<>();
            List<WorkloadId> gone = new ArrayList<>();
            for (int round = 0; round < 150; round++) {
                int kind = rnd.nextInt(20);
                if (kind == 0) {
                    gone.addAll(now.keySet());
                    now.clear();
                } else if (kind == 2) { // a clock step: every pending workload a new object, the workloads the same
                    now.replaceAll((id, p) -> later(p, rnd));
                } else if (kind == 1) { // grow by a lot
                    for (int k = 0; k < 1500; k++) {
                        WorkloadId id = new WorkloadId("ns" + rnd.nextInt(4), "w" + rnd.nextInt(100_000));
                        now.putIfAbsent(id, pending(id, 0));
                    }
                } else {
                    List<WorkloadId> ids = new ArrayList<>(now.keySet());
                    for (int k = rnd.nextInt(12); k > 0 && !ids.isEmpty(); k--) {
                        WorkloadId id = ids.get(rnd.nextInt(ids.size()));
                        switch (rnd.nextInt(4)) {
                            case 3 -> now.computeIfPresent(id, (k2, p) -> later(p, rnd)); // the same workload, later
                            case 0 -> {
                                now.remove(id);
                                gone.add(id);
                            }
                            case 1 -> now.put(id, pending(id, rnd.nextInt(100))); // a new version, same id object
                            default -> { // a new version whose id is an equal object
                                WorkloadId copy = new WorkloadId(id.namespace(), id.name());
                                now.remove(id);
                                now.put(copy, pending(copy, rnd.nextInt(100)));
                            }
                        }
                    }
                    for (int k = rnd.nextInt(12); k > 0; k--) {
                        WorkloadId id = new WorkloadId("ns" + rnd.nextInt(4), "w" + rnd.nextInt(100_000));
                        now.putIfAbsent(id, pending(id, 0));
                    }
                }
                List<PendingWorkload> list = new ArrayList<>(now.values());
                if (rnd.nextInt(15) == 0) {
                    Collections.shuffle(list, rnd); // not the promised order: the answers must still be right
                }
                table.update(list);
                check(table, now, gone, rnd);
                List<PendingWorkload> previous = table.previousList();
                for (int j = 0; j < list.size(); j++) { // a pairing is always the very same workload object
                    int i = table.previousPosition(j);
                    if (i >= 0) {
                        assertThat(previous.get(i).workload()).isSameAs(list.get(j).workload());
                        paired++;
                    }
                }
                assertThat(previous).isSameAs(last);
                last = list;
            }
        }
        assertThat(paired).as("positions were paired with the last list's").isGreaterThan(1000);
    }

    private static void check(WorkloadTable table, TreeMap<WorkloadId, PendingWorkload> now, List<WorkloadId> gone,
                              Random rnd) {
        assertThat(table.size()).isEqualTo(now.size());
        for (PendingWorkload p : now.values()) {
            assertThat(table.get(p.id())).isSameAs(p.workload());
            assertThat(table.get(new WorkloadId(p.id().namespace(), p.id().name()))).isSameAs(p.workload());
        }
        for (int k = 0; k < 50 && !gone.isEmpty(); k++) {
            WorkloadId id = gone.get(rnd.nextInt(gone.size()));
            PendingWorkload p = now.get(id);
            assertThat(table.get(id)).isSameAs(p == null ? null : p.workload());
            assertThat(table.containsKey(id)).isEqualTo(p != null);
        }
    }
}
