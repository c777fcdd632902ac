package io.wdrf.engine;

import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler forgets ledger entries by walking what left the pending list since the last cycle instead of
 * retaining the ledger against every pending workload: after every cycle of a random sequence (submissions,
 * deletions, admissions, finishes, evictions, external overwrites, clock steps) the ledger holds exactly what the
 * from-scratch {@code retain(pending)} would leave: nothing that is not pending now, and every entry of the last cycle
 * whose workload is still pending (with a new object or not), plus this cycle's writes. The report's fair shares,
 * computed when first read, equal those of a fresh evaluation, and its admitted count, kept from cycle to cycle, a
 * count of the snapshot.
 */
class ReconcilerLedgerPropertyTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void ledgerEqualsARetainOverThePendingWorkloads(long seed) {
        Random rnd = new Random(seed);
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        InMemoryCluster cluster = InMemoryCluster.builder(clock)
                .clusterQueue("cq", ResourceQuota.of("default", "cpu", "6"), ResourceQuota.of("default", "memory", "64Gi"))
                .localQueue("a", "q", "cq").localQueue("b", "q", "cq").localQueue("c", "q", "cq").build();
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("quota")
                .maxAgingTime(Duration.ofHours(2)).build()).clock(clock).build();
        ReconcilerSettings settings = ReconcilerSettings.builder().minDelta(0).maxWritesPerCycle(1 + rnd.nextInt(6)).build();
        Reconciler r = Reconciler.builder(cluster, cluster, engine).settings(settings).build();
        List<WorkloadId> ids = new ArrayList<>();
        Set<WorkloadId> before = Set.of();
        int shrank = 0;
        int maxSize = 0;
        int next = 0;
        for (int step = 0; step < 80; step++) {
            int op = rnd.nextInt(8);
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
            } else if (op == 6) {
                cluster.setPriority(ids.get(rnd.nextInt(ids.size())), rnd.nextInt(1000)); // someone else's write
            }
            clock.advance(Duration.ofSeconds(rnd.nextInt(3) * 600L));
            CycleReport rep = r.runOnce();
            assertThat(rep.ok()).as(rep.error()).isTrue();
            Set<WorkloadId> pending = new HashSet<>();
            for (PriorityDecision d : rep.plan().decisions()) {
                pending.add(d.workloadId());
            }
            Set<WorkloadId> ledger = r.ledgerIds();
            // the admitted count, kept from cycle to cycle, equals a count of the snapshot (writes change no phase)
            assertThat(rep.admitted()).isEqualTo((int) cluster.snapshot().workloads().stream()
                    .filter(w -> w.phase() == io.wdrf.api.Phase.ADMITTED).count());
            // the report's fair shares (computed when read) are those of the cycle's context; priorities do not enter
            WdrfEngine fresh = WdrfEngine.builder().config(engine.config()).clock(clock).build();
            assertThat(rep.fairShares()).isEqualTo(FairShares.of(fresh.evaluate(cluster.snapshot()).context()));
            assertThat(pending).as("step %d: only pending workloads keep entries", step).containsAll(ledger);
            for (WorkloadId id : before) {
                if (pending.contains(id)) {
                    assertThat(ledger).as("step %d: %s is still pending", step, id).contains(id);
                }
            }
            if (rep.writeResult() != null) {
                for (WriteResult.Item item : rep.writeResult().items()) {
                    if (item.outcome() == WriteOutcome.WRITTEN) {
                        assertThat(ledger).as("step %d: written now", step).contains(item.workloadId());
                    }
                }
            }
            if (!before.stream().allMatch(ledger::contains)) {
                shrank++;
            }
            maxSize = Math.max(maxSize, ledger.size());
            before = ledger;
        }
        assertThat(maxSize).as("the sequence made ledger entries").isGreaterThan(2);
        assertThat(shrank).as("and workloads with entries left").isPositive();
    }
}
