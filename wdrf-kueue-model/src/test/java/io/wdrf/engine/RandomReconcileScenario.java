package io.wdrf.engine;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.kueue.InMemoryCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The cluster the reconciler's property tests drive: one ClusterQueue (6 CPUs, 64 Gi) shared by three namespaces'
 * LocalQueues, a WDRF engine on its quota with two hours of aging, and random changes to it: submissions (also
 * whenever nothing is left), deletions, admission cycles, finishes, evictions and, when allowed, someone else's
 * priority writes.
 */
final class RandomReconcileScenario {

    final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    final InMemoryCluster cluster = InMemoryCluster.builder(clock)
            .clusterQueue("cq", ResourceQuota.of("default", "cpu", "6"), ResourceQuota.of("default", "memory", "64Gi"))
            .localQueue("a", "q", "cq").localQueue("b", "q", "cq").localQueue("c", "q", "cq").build();
    /** Builds every snapshot incrementally (the default builds ones this small plainly). */
    final WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota")
            .maxAgingTime(Duration.ofHours(2)).build()).clock(clock).incrementalFrom(0).build();
    private final List<WorkloadId> ids = new ArrayList<>();
    private final boolean externalWrites;
    private int next;

    RandomReconcileScenario(boolean externalWrites) {
        this.externalWrites = externalWrites;
    }

    /**
     * Change {@code op}: 0–1 submit 1–4 workloads (also when none is left), 2 delete one, 3 run an admission cycle,
     * 4 finish and delete one, 5 evict one, 6 someone else's priority write (when allowed); anything else nothing.
     */
    void change(int op, Random rnd) {
        if (op <= 1 || ids.isEmpty()) {
            for (int k = rnd.nextInt(4); k >= 0; k--) {
                String ns = List.of("a", "b", "c").get(rnd.nextInt(3));
                Workload w = cluster.submit(ns, "w" + next++, "q",
                        PodSet.of("main", 1, Map.of("cpu", Integer.toString(1 + rnd.nextInt(2)), "memory", "1Gi")));
                ids.add(w.id());
            }
        } else if (op == 2) {
            cluster.delete(ids.remove(rnd.nextInt(ids.size())));
        } else if (op == 3) {
            cluster.admissionCycle();
        } else if (op == 4) {
            WorkloadId id = ids.get(rnd.nextInt(ids.size()));
            if (cluster.finish(id)) {
                cluster.delete(id);
                ids.remove(id);
            }
        } else if (op == 5) {
            cluster.evict(ids.get(rnd.nextInt(ids.size())));
        } else if (op == 6 && externalWrites) {
            cluster.setPriority(ids.get(rnd.nextInt(ids.size())), rnd.nextInt(1000)); // someone else's write
        }
    }
}
